"""Every response carries the security headers; the admin alone gets a policy CKEditor can run under."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def _directives(header):
    return {
        name: rest
        for name, _, rest in (part.strip().partition(" ") for part in header.split(";"))
        if name
    }


@pytest.mark.parametrize("path", ["/", "/news/", "/search/?q=energy", "/mailing-list/", "/nope/"])
def test_public_pages_get_the_strict_policy(client, path):
    policy = _directives(client.get(path)["Content-Security-Policy"])
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }


def test_public_pages_get_the_other_security_headers(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    permissions = response["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert f"{feature}=()" in permissions
    assert "clipboard-write" not in permissions  # the share panel's "Copy link" keeps working


def test_a_page_served_from_the_page_cache_carries_the_policy_too(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 600  # on, as in production
    first, second = client.get("/news/"), client.get("/news/")
    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Permissions-Policy"] == first["Permissions-Policy"]


def test_the_admin_allows_inline_script_and_style_but_nothing_else_more(client):
    policy = _directives(client.get("/admin/login/")["Content-Security-Policy"])
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert "unsafe-eval" not in str(policy)
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


def _policy_through_the_server(path, script_name):
    """The admin page's policy through the WSGI handler, which (unlike the test client) sets
    the script prefix from SCRIPT_NAME as a server does; as the test client does, the
    test's database connection stays open and the prefix does not leak into later tests."""
    import io

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.urls import get_script_prefix, set_script_prefix

    environ = {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": script_name, "PATH_INFO": path,
        "QUERY_STRING": "", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
    }  # fmt: skip
    headers = {}
    prefix = get_script_prefix()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        WSGIHandler()(environ, lambda status, sent, *rest: headers.update(sent))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        set_script_prefix(prefix)
    return _directives(headers["Content-Security-Policy"])


def test_the_admin_keeps_its_policy_when_the_site_is_mounted_under_a_path():
    from ktnsite.security import _built_policies, admin_prefix

    admin_prefix.cache_clear()  # as in a fresh process whose first request is under the path
    _built_policies.clear()
    mounted = _policy_through_the_server("/admin/login/", "/ktn")
    assert mounted["script-src"] == "'self' 'unsafe-inline'"  # CKEditor can run
    # The same process serving the site at the root: the admin still gets its policy.
    assert _policy_through_the_server("/admin/login/", "")["style-src"] == "'self' 'unsafe-inline'"
    assert _policy_through_the_server("/news/", "/ktn")["style-src"] == "'self'"


def test_images_may_come_from_where_the_media_storage_links_them(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "ktnsite-media", "custom_domain": "media.example.net"},
        },
    }
    policy = _directives(client.get("/")["Content-Security-Policy"])
    assert policy["img-src"] == "'self' data: https://media.example.net"
    assert policy["script-src"] == "'self'"  # images only: the bucket never serves script
    admin = _directives(client.get("/admin/login/")["Content-Security-Policy"])
    assert admin["img-src"] == "'self' data: blob: https://media.example.net"


def _headers_with_env(path, **env_overrides):
    """Response headers for `path` from a fresh process whose settings read `env_overrides`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="ktnsite.settings",
        DJANGO_SECRET_KEY="a-real-secret-for-this-test",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_STATIC_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        DATABASE_URL="sqlite://:memory:",
        **env_overrides,
    )
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        f"print(json.dumps(dict(Client().get({path!r}).headers)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_report_only_mode_and_an_external_media_host_come_from_the_environment():
    headers = _headers_with_env(
        "/robots.txt",
        DJANGO_CSP_REPORT_ONLY="1",
        DJANGO_CSP_REPORT_URI="https://reports.example.org/csp",
        MEDIA_URL="https://media.example.org/uploads/",
    )
    assert "Content-Security-Policy" not in headers
    policy = _directives(headers["Content-Security-Policy-Report-Only"])
    assert policy["img-src"] == "'self' data: https://media.example.org"
    assert policy["report-uri"] == "https://reports.example.org/csp"


def test_production_settings_redirect_to_https_and_send_hsts_but_not_for_the_health_check():
    production = dict(
        DJANGO_SECURE_SSL_REDIRECT="1",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
    )
    assert _headers_with_env("/robots.txt", **production)["Location"] == (
        "https://testserver/robots.txt"
    )
    # A load balancer checks health over plain HTTP; a redirect would mark the server down.
    assert "Location" not in _headers_with_env("/healthz", **production)


def test_production_settings_pass_the_deployment_checks():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL="sqlite://:memory:",
        DJANGO_SECRET_KEY="x" * 10 + "a-long-and-varied-production-secret-0123456789",
        DJANGO_ALLOWED_HOSTS="www.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://www.example.org",
        DJANGO_SECURE_PROXY_SSL="1",
        DJANGO_SECURE_SSL_REDIRECT="1",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        DJANGO_SECURE_HSTS_PRELOAD="1",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
