"""The deploy files name what exists: systemd units run real commands, gunicorn's config loads."""

import configparser
import os
import runpy
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _unit(path):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(path)
    return parser


def test_there_is_a_unit_for_the_web_the_worker_and_the_scheduler():
    assert [unit.name for unit in UNITS] == [
        "ktnsite-scheduler.service",
        "ktnsite-web.service",
        "ktnsite-worker.service",
    ]


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_each_unit_runs_an_existing_command_as_the_site_user_from_its_environment_file(path):
    service = _unit(path)["Service"]
    assert service["User"] == "ktnsite"
    assert service["WorkingDirectory"] == "/srv/ktnsite"
    assert service["EnvironmentFile"] == "/etc/ktnsite/env"
    assert service["Restart"] == "on-failure"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    command = shlex.split(service["ExecStart"])
    if "manage.py" in command:
        assert command[command.index("manage.py") + 1] in get_commands()
    else:
        assert Path(command[0]).name == "gunicorn"
        config = command[command.index("-c") + 1]
        assert (DEPLOY / Path(config).relative_to("/srv/ktnsite/deploy")).exists()


def test_the_web_and_the_worker_share_one_metrics_folder():
    folders = {
        name: _unit(DEPLOY / "systemd" / f"ktnsite-{name}.service")["Service"]["Environment"]
        for name in ("web", "worker")
    }
    assert folders["web"] == folders["worker"] == "PROMETHEUS_MULTIPROC_DIR=/run/ktnsite/metrics"


def test_systemd_finds_nothing_wrong_in_the_units_but_the_paths_of_the_server():
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    result = subprocess.run(  # noqa: S603 - our own arguments
        [analyze, "verify", *map(str, UNITS)], capture_output=True, text=True, timeout=60
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "is not executable: No such file or directory" not in line
    ]
    assert problems == []


def test_gunicorn_takes_its_workers_and_address_from_the_environment(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] == 3
    assert config["bind"] == "127.0.0.1:8000"
    assert config["accesslog"] is None
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["bind"] == "0.0.0.0:9000"


def test_a_session_signed_with_the_former_key_stays_valid_while_it_is_a_fallback():
    # Rotating DJANGO_SECRET_KEY (docs/operations.md) must not log everyone out.
    script = (
        "import django; django.setup(); from django.core import signing; "
        "old = signing.dumps('editor', key='the-former-key', salt='s'); "
        "print(signing.loads(old, salt='s'))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ktnsite.settings",
        "DJANGO_SECRET_KEY": "the-new-key",
        "DJANGO_SECRET_KEY_FALLBACKS": "an-older-key, the-former-key",
    }
    result = subprocess.run(  # noqa: S603 - our own arguments
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "editor", result.stderr
    env["DJANGO_SECRET_KEY_FALLBACKS"] = ""
    result = subprocess.run(  # noqa: S603 - our own arguments
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert "BadSignature" in result.stderr
