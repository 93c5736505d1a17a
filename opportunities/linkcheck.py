"""Checking that live opportunities' "Apply" links still answer, for editors (never blocking readers).

A scheduled job (`check_apply_links`, declared in opportunities/apps.py) asks each open or
upcoming opportunity's apply address for its headers and records the answer in
`ApplyLinkCheck`: a 4xx or 5xx status, a timeout or a refused connection is a broken link,
flagged in the admin's list and on the dashboard. Readers' pages never wait on it.

The site fetches addresses editors typed, so the request is kept on a short leash (SSRF):
http and https only; each host is resolved once and every address it resolves to must be a
public one (no loopback, private, link-local or reserved range), and the connection goes to
that vetted address, so a DNS answer that changes between the check and the connection
cannot point it inside; redirects are followed by hand, at most MAX_REDIRECTS, each hop
vetted the same way; a timeout on every step; no body is read.
"""

import http.client
import ipaddress
import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

MAX_REDIRECTS = 5
# Checks run side by side: each waits on the network, not the CPU.
WORKERS = 8
USER_AGENT = "ktnsite-link-check/1.0 (checks that funding application links answer)"


@dataclass(frozen=True)
class Answer:
    ok: bool
    status: int | None = None
    error: str = ""


class Refused(Exception):  # noqa: N818 - a verdict on the address, not a fault
    """An address the checker will not fetch (its scheme or where it points)."""


def _vetted_address(host, port):
    """The first address `host` resolves to, if every one of them is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OSError(f"the name {host} does not resolve") from error
    addresses = [info[4][0] for info in infos]
    if not settings.OPPORTUNITY_LINK_CHECK_PRIVATE:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not ip.is_global:
                raise Refused(f"{host} points to a private address ({ip})")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the name typed, not the address dialled.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _request(url, method, timeout):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused(f"only http and https addresses are checked, not {parts.scheme or 'none'}")
    if not parts.hostname:
        raise Refused("the address names no host")
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = _vetted_address(parts.hostname, port)
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request(method, path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def check_url(url, *, timeout=None):
    """Whether `url` answers with a success status (after at most MAX_REDIRECTS redirects)."""
    timeout = timeout or settings.OPPORTUNITY_LINK_CHECK_TIMEOUT
    try:
        for _ in range(MAX_REDIRECTS + 1):
            status, location = _request(url, "HEAD", timeout)
            if status in (405, 501):  # some services refuse HEAD: ask for the page itself
                status, location = _request(url, "GET", timeout)
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            if status >= 400:
                return Answer(False, status, f"answered {status}")
            return Answer(True, status)
        return Answer(False, None, f"more than {MAX_REDIRECTS} redirects")
    except Refused as refused:
        return Answer(False, None, f"not checked: {refused}")
    except TimeoutError:
        return Answer(False, None, f"no answer within {timeout:g} s")
    except (OSError, http.client.HTTPException, ValueError) as error:
        return Answer(False, None, f"{type(error).__name__}: {error}"[:200])


def apply_links_check(*, now=None):
    """Check the apply link of every live opportunity not yet closed; returns the counts."""
    from opportunities.models import ApplyLinkCheck, Opportunity

    now = now or timezone.now()
    rows = list(
        Opportunity.objects.live()
        .not_closed(now)
        .exclude(apply_url="")
        .order_by("pk")
        .values_list("pk", "apply_url")
    )
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        answers = list(pool.map(lambda row: check_url(row[1]), rows))
    checked_at = timezone.now()
    with transaction.atomic():
        for (pk, url), answer in zip(rows, answers, strict=True):
            ApplyLinkCheck.objects.update_or_create(
                opportunity_id=pk,
                defaults={
                    "url": url,
                    "checked_at": checked_at,
                    "ok": answer.ok,
                    "status": answer.status,
                    "error": answer.error,
                },
            )
    broken = sum(not answer.ok for answer in answers)
    return {"checked": len(rows), "broken": broken}
