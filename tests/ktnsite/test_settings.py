"""Settings come from the environment, and refuse an unsafe production start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def _check(**env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_secret_key_and_debug_off_startup_stops_with_one_clear_line():
    result = _check()
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "DJANGO_SECRET_KEY is not set: set it, or set DJANGO_DEBUG=1 for local development."
    ]


def test_with_a_secret_key_the_project_starts():
    result = _check(DJANGO_SECRET_KEY="a-real-secret-for-this-test")
    assert result.returncode == 0, result.stderr


def test_uk_dates_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ is True


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
