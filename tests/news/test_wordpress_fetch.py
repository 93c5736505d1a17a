"""import_wordpress --fetch-from: missing uploads downloaded from the old site's own hosts only."""

import io
import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import IPv4Address

import pytest
from django.core.management import call_command

from ktnsite.demo.files import make_hero_image, make_pdf
from library.models import Image
from news.models import Post
from reports.models import Report
from tests.factories import write_wxr, wxr_attachment, wxr_post


class OldSite:
    """A local HTTP server standing in for the old WordPress site: files, redirects, a count."""

    def __init__(self, tls=None):
        self.files = {}  # path -> (content type, bytes), or ("redirect", location)
        self.requests = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append(self.path)
                kind, body = site.files.get(self.path, ("missing", b""))
                if kind == "redirect":
                    self.send_response(302)
                    self.send_header("Location", body)
                    self.end_headers()
                    return
                if kind == "missing":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        if tls is not None:  # (certificate file, key file): the old site over HTTPS
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.url = f"https://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def old_site():
    site = OldSite()
    yield site
    site.stop()


def _export(tmp_path, site):
    """Posts using two images and a PDF from the old site; one image redirects elsewhere."""
    up = f"{site.url}/wp-content/uploads/2021/10"
    items = [
        wxr_post(
            1,
            "With pictures",
            slug="pictures",
            site=site.url,
            thumbnail_id=11,
            body=f'<p><img src="{up}/chart-300x200.jpg" alt="A chart"></p>'
            f'<p><img src="{up}/moved.jpg" alt="Moved"></p>'
            f'<p>Read <a href="{up}/report.pdf">the report</a>.</p>',
        ),
        wxr_attachment(11, "2021/10/hero.jpg", alt="The hero", site=site.url),
        wxr_attachment(12, "2021/10/chart.jpg", alt="A chart", site=site.url),
    ]
    export = tmp_path / "export.xml"
    with open(export, "w", encoding="utf-8") as handle:
        write_wxr(handle, items, site=site.url)
    return export


def _run(export, uploads, *args):
    out = io.StringIO()
    call_command("import_wordpress", str(export), "--media", str(uploads), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def setup(tmp_path, old_site, settings):
    settings.WORDPRESS_FETCH_PRIVATE_NETWORKS = True  # the stand-in old site is on loopback
    files = "/wp-content/uploads/2021/10/"
    old_site.files[files + "hero.jpg"] = ("image/jpeg", make_hero_image())
    old_site.files[files + "chart.jpg"] = ("image/jpeg", make_hero_image())
    old_site.files[files + "report.pdf"] = ("application/pdf", make_pdf([["Report"]]))
    # A redirect to another host (localhost is not 127.0.0.1, the host given) is refused.
    old_site.files[files + "moved.jpg"] = ("redirect", f"http://localhost:{old_site.port}/x.jpg")
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    return _export(tmp_path, old_site), uploads


@pytest.mark.django_db
def test_missing_uploads_are_fetched_from_the_old_site_into_the_media_folder(setup, old_site):
    export, uploads = setup

    output = _run(export, uploads, "--fetch-from", "127.0.0.1")

    post = Post.objects.get()
    assert post.hero_image.alt == "The hero"
    assert Image.objects.filter(alt="A chart").exists()
    assert Report.objects.filter(title="the report").exists()
    # The original stands for its resized copy: the original is what is fetched.
    assert (uploads / "2021/10/chart.jpg").is_file()
    assert not (uploads / "2021/10/chart-300x200.jpg").exists()
    assert "Fetched from the old site: 3 files" in output
    assert not list(uploads.rglob("*.part"))


@pytest.mark.django_db
def test_a_redirect_to_another_host_is_refused(setup, old_site):
    export, uploads = setup

    output = _run(export, uploads, "--fetch-from", "127.0.0.1")

    assert (
        "image wp-content/uploads/2021/10/moved.jpg: the file is not in the --media folder and "
        "was not fetched: localhost is not one of the old site's hosts given with --fetch-from"
    ) in output
    assert "/x.jpg" not in old_site.requests
    assert not (uploads / "2021/10/moved.jpg").exists()


@pytest.mark.django_db
def test_a_file_over_the_upload_limit_is_refused_and_not_kept(setup, old_site, settings):
    export, uploads = setup
    settings.IMAGE_MAX_BYTES = 1000

    output = _run(export, uploads, "--fetch-from", "127.0.0.1")

    assert "featured image wp-content/uploads/2021/10/hero.jpg: the file is not in the " in output
    assert "was not fetched: too large (" in output
    assert not (uploads / "2021/10/hero.jpg").exists()
    assert not list(uploads.rglob("*.part"))


@pytest.mark.django_db
def test_a_second_run_fetches_only_what_is_still_missing(setup, old_site):
    export, uploads = setup
    _run(export, uploads, "--fetch-from", "127.0.0.1")
    old_site.requests.clear()

    output = _run(export, uploads, "--fetch-from", "127.0.0.1")

    # Only the file refused last time is asked for again.
    assert old_site.requests == ["/wp-content/uploads/2021/10/moved.jpg"]
    assert "Fetched from the old site: 0 files" in output


@pytest.mark.django_db
def test_the_old_site_on_a_loopback_address_is_refused_by_default(setup, settings):
    export, uploads = setup
    settings.WORDPRESS_FETCH_PRIVATE_NETWORKS = False

    output = _run(export, uploads, "--fetch-from", "127.0.0.1")

    assert "127.0.0.1 is on a private or loopback network: not fetched" in output
    assert not any(uploads.rglob("*.jpg"))


@pytest.mark.django_db
def test_the_total_fetched_is_limited(setup, old_site):
    export, uploads = setup
    big = "/wp-content/uploads/2021/10/hero.jpg"
    old_site.files[big] = ("image/jpeg", make_hero_image() + b"\0" * 1_100_000)

    output = _run(export, uploads, "--fetch-from", "127.0.0.1", "--fetch-max-mb", "1")

    assert "the limit on the total fetched (1 MB, --fetch-max-mb) is reached" in output


@pytest.mark.django_db
def test_a_dry_run_fetches_nothing(setup, old_site):
    export, uploads = setup

    _run(export, uploads, "--fetch-from", "127.0.0.1", "--dry-run")

    assert old_site.requests == []


def test_a_wordpress_com_blog_s_files_host_is_one_of_its_hosts():
    from news.wordpress.fetch import fetch_hosts

    assert fetch_hosts(["wpthemetestdata.wordpress.com", "https://old.example.org:8443/"]) == {
        "wpthemetestdata.wordpress.com",
        "wpthemetestdata.files.wordpress.com",
        "old.example.org",
    }


def _certificates(folder):
    """A certificate authority of our own and, signed by it, a certificate for 127.0.0.1:
    (authority's certificate file, server's certificate file, server's key file)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)

    def make(subject, key, issuer, issuer_key, *, authority):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
        )
        if authority:
            builder = builder.add_extension(
                x509.KeyUsage(True, False, False, False, False, True, True, False, False), True
            )
        else:
            names = [x509.IPAddress(IPv4Address("127.0.0.1"))]
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = make("Old site test authority", ca_key, "Old site test authority", ca_key, authority=True)
    cert = make("127.0.0.1", key, "Old site test authority", ca_key, authority=False)
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


@pytest.fixture
def https_setup(tmp_path, settings):
    """The old site over HTTPS, with a certificate from an authority of the test's own."""
    settings.WORDPRESS_FETCH_PRIVATE_NETWORKS = True
    authority, cert, key = _certificates(tmp_path)
    site = OldSite(tls=(cert, key))
    files = "/wp-content/uploads/2021/10/"
    for name in ("hero.jpg", "chart.jpg", "moved.jpg"):
        site.files[files + name] = ("image/jpeg", make_hero_image())
    site.files[files + "report.pdf"] = ("application/pdf", make_pdf([["Report"]]))
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    yield _export(tmp_path, site), uploads, site, authority
    site.stop()


@pytest.mark.django_db
def test_uploads_are_fetched_over_https_from_a_site_whose_authority_is_trusted(
    https_setup, monkeypatch
):
    export, uploads, site, authority = https_setup
    # The authority is trusted the way an operator trusts one: the file SSL_CERT_FILE names.
    monkeypatch.setenv("SSL_CERT_FILE", str(authority))

    output = _run(export, uploads, "--fetch-from", "127.0.0.1")

    assert "Fetched from the old site: 4 files" in output
    assert Post.objects.get().hero_image.alt == "The hero"
    assert (uploads / "2021/10/chart.jpg").is_file()


@pytest.mark.django_db
def test_an_https_site_whose_certificate_is_not_trusted_is_refused_clearly(
    https_setup, monkeypatch, tmp_path
):
    export, uploads, site, _authority = https_setup
    # Trusted: only an authority that did not sign the old site's certificate.
    other = tmp_path / "other"
    other.mkdir()
    stranger, _cert, _key = _certificates(other)
    monkeypatch.setenv("SSL_CERT_FILE", str(stranger))

    output = _run(export, uploads, "--fetch-from", "127.0.0.1")

    assert (
        "featured image wp-content/uploads/2021/10/hero.jpg: the file is not in the --media "
        "folder and was not fetched: 127.0.0.1's certificate is not trusted ("
    ) in output
    assert "Fetched from the old site: 0 files" in output
    assert site.requests == []  # nothing was asked of a server that could not be trusted
    assert not any(uploads.rglob("*.jpg"))
