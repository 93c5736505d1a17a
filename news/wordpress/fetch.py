"""Downloading the uploads a WordPress export names but --media lacks, from the old site's own hosts."""

import http.client
import ipaddress
import socket
import ssl
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from news.wordpress.body import WORDPRESS_COM_FILES

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
WORDPRESS_COM = ".wordpress.com"


class FetchRefused(Exception):
    """A file that was not downloaded, with the reason the import report shows."""


def fetch_hosts(values):
    """The hosts files may come from: each --fetch-from (a host, host:port or address), and
    for a WordPress.com blog (name.wordpress.com) its files host (name.files.wordpress.com)."""
    hosts = set()
    for value in values:
        value = value.strip()
        host = urlsplit(value if "//" in value else f"//{value}").hostname
        if not host:
            continue
        hosts.add(host)
        if host.endswith(WORDPRESS_COM) and not host.endswith(WORDPRESS_COM_FILES):
            hosts.add(host[: -len(WORDPRESS_COM)] + WORDPRESS_COM_FILES)
    return hosts


def _public(address):
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever a second lookup answers."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host's name and the
    machine's trusted authorities (the system's, or the file SSL_CERT_FILE names)."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class Fetcher:
    """Fetches missing uploads into the --media folder, so a second run finds them there.

    Only from `hosts` (after every redirect too), only over HTTP(S), never from a private,
    loopback or link-local address (unless WORDPRESS_FETCH_PRIVATE_NETWORKS is set, for
    tests), each file within its kind's upload limit and all of them within `total_bytes`.
    A file is written under a temporary name and renamed once complete, so an interrupted
    run leaves nothing half-written to be taken for the real file.
    """

    def __init__(self, *, hosts, media_dir, total_bytes, timeout=20):
        self.hosts = fetch_hosts(hosts)
        self.media_dir = Path(media_dir).resolve()
        self.total_bytes = total_bytes
        self.timeout = timeout
        self.private_ok = getattr(settings, "WORDPRESS_FETCH_PRIVATE_NETWORKS", False)
        self.fetched = 0
        self.fetched_bytes = 0

    def fetch(self, rel, url, max_bytes):
        """Download `url` to <media>/<rel>; raise FetchRefused with the reason if it is not."""
        target = (self.media_dir / rel).resolve()
        if not target.is_relative_to(self.media_dir):
            raise FetchRefused("its path leads out of the --media folder")
        for _ in range(MAX_REDIRECTS + 1):
            response, connection = self._get(url)
            try:
                if response.status in (301, 302, 303, 307, 308):
                    url = urljoin(url, response.getheader("Location") or "")
                    continue
                if response.status != 200:
                    raise FetchRefused(f"the old site answered {response.status} {response.reason}")
                self._save(response, target, max_bytes)
                return
            finally:
                connection.close()
        raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")

    def _get(self, url):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(f"not an http(s) address: {url[:100]}")
        host = parts.hostname or ""
        if host not in self.hosts:
            raise FetchRefused(f"{host} is not one of the old site's hosts given with --fetch-from")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise FetchRefused(f"{host} could not be found ({exc.strerror or exc})") from exc
        addresses = [info[4][0] for info in found]
        if not self.private_ok and not all(_public(address) for address in addresses):
            raise FetchRefused(f"{host} is on a private or loopback network: not fetched")
        kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = kind(host, port, addresses[0], self.timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                "GET", path, headers={"User-Agent": "ktnsite import_wordpress", "Accept": "*/*"}
            )
            return connection.getresponse(), connection
        except ssl.SSLCertVerificationError as exc:
            connection.close()
            raise FetchRefused(
                f"{host}'s certificate is not trusted ({exc.verify_message}): not fetched. If "
                "the old site's certificate is right but from an authority this machine does "
                "not know, add that authority to the trusted ones (or name a file of them in "
                "SSL_CERT_FILE)"
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise FetchRefused(f"{host} could not be reached ({exc})") from exc

    def _save(self, response, target, max_bytes):
        kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "text/html":  # a login page or an error page served as 200
            raise FetchRefused("the old site answered with a web page, not the file")
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchRefused(_too_large(int(declared), max_bytes))
        target.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as out:
            try:
                while chunk := response.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchRefused(_too_large(size, max_bytes, at_least=True))
                    if self.fetched_bytes + size > self.total_bytes:
                        raise FetchRefused(
                            f"the limit on the total fetched ({self.total_bytes // 1048576} MB, "
                            "--fetch-max-mb) is reached"
                        )
                    out.write(chunk)
            except (OSError, http.client.HTTPException) as exc:
                Path(out.name).unlink(missing_ok=True)
                raise FetchRefused(f"the download broke off ({exc})") from exc
            except FetchRefused:
                Path(out.name).unlink(missing_ok=True)
                raise
        if size == 0:
            Path(out.name).unlink(missing_ok=True)
            raise FetchRefused("the old site sent an empty file")
        Path(out.name).replace(target)
        self.fetched += 1
        self.fetched_bytes += size


def _too_large(size, limit, at_least=False):
    more = "more than " if at_least else ""
    return f"too large ({more}{size / 1048576:.1f} MB; the limit is {limit / 1048576:.1f} MB)"
