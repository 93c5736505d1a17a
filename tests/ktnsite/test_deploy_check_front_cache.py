"""`manage.py check --deploy` warns when a front cache is configured but no proxy is trusted
(issue 22.12): every reader would then share one allowance in every per-address limit."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def check_deploy(**env):
    """`manage.py check --deploy` as a deployment runs it, with these environment variables."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_FRONT_CACHE", "DJANGO_TRUSTED", "CLOUDFLARE", "CLOUDFRONT"))
    }
    environ.update(DJANGO_SECRET_KEY="x" * 60, DJANGO_DEBUG="0", **env)
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr


@pytest.mark.parametrize(
    "front_cache",
    [
        {"DJANGO_FRONT_CACHE_VARNISH": "http://10.0.0.5:6081"},
        {"DJANGO_FRONT_CACHE_PURGE_URL": "http://cdn.example/purge"},
    ],
    ids=["varnish", "http-purge"],
)
def test_a_front_cache_with_no_trusted_proxy_is_warned_about(front_cache):
    output = check_deploy(**front_cache)
    assert "ktnsite.W003" in output and "DJANGO_TRUSTED_PROXY_COUNT=1" in output
    assert "ktnsite.W003" not in check_deploy(**front_cache, DJANGO_TRUSTED_PROXY_COUNT="1")


def test_no_front_cache_no_warning():
    assert "ktnsite.W003" not in check_deploy()
