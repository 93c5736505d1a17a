"""Settings come from the environment, and refuse an unsafe production start."""

import os
import re
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


MEDIA_VARIABLES = {
    "DJANGO_MEDIA_STORAGE": "s3",
    "MEDIA_S3_BUCKET": "ktn-media",
    "MEDIA_S3_ENDPOINT_URL": "https://minio.example.org",
    "MEDIA_S3_REGION": "eu-west-2",
    "MEDIA_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "MEDIA_S3_SECRET_ACCESS_KEY": "secret",
    "MEDIA_S3_CUSTOM_DOMAIN": "media.example.org",
    "MEDIA_S3_DEFAULT_ACL": "private",
    "MEDIA_S3_QUERYSTRING_AUTH": "1",
    "MEDIA_S3_QUERYSTRING_EXPIRE": "600",
    "MEDIA_S3_PREFIX": "site",
    "MEDIA_S3_ADDRESSING_STYLE": "path",
}


def test_without_a_media_storage_uploads_stay_on_local_disk(monkeypatch):
    from ktnsite.settings import media_storage

    monkeypatch.delenv("DJANGO_MEDIA_STORAGE", raising=False)
    assert media_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_media_storage_is_configured_from_the_environment(monkeypatch):
    from storages.backends.s3 import S3Storage

    from ktnsite.settings import media_storage

    for name, value in MEDIA_VARIABLES.items():
        monkeypatch.setenv(name, value)
    storage = media_storage()
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "ktn-media"
    assert options["endpoint_url"] == "https://minio.example.org"
    assert (options["region_name"], options["default_acl"]) == ("eu-west-2", "private")
    assert (options["querystring_auth"], options["querystring_expire"]) == (True, 600)
    assert options["custom_domain"] == "media.example.org"
    # Every option is one django-storages knows: it refuses unknown ones when it starts.
    S3Storage(**options)


def test_s3_media_storage_without_a_bucket_stops_startup_with_one_clear_line():
    result = _check(DJANGO_SECRET_KEY="a-real-secret", DJANGO_MEDIA_STORAGE="s3")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "DJANGO_MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET, the bucket's name."
    ]


def _database_options(**env_overrides):
    env = {**os.environ, "DJANGO_SECRET_KEY": "x", **env_overrides}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(sorted(settings.DATABASES['default'].get('OPTIONS', {})))",
        ],
        cwd=PROJECT,
        env={**env, "DJANGO_SETTINGS_MODULE": "ktnsite.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()


def test_postgresql_prepares_statements_unless_a_pooler_needs_them_off():
    url = "postgres://nobody@127.0.0.1:5432/unused"
    assert "server_side_binding" in _database_options(DATABASE_URL=url)
    assert _database_options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0") == "[]"


def _example_lines():
    example = (PROJECT / "deploy" / ".env.example").read_text()
    return dict(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=(.*)$", example, re.MULTILINE))


def test_deploy_env_example_lists_every_variable_the_settings_read():
    # An operator reads deploy/.env.example to learn what can be set: a variable added to
    # the settings but not there would be one nobody knows about.
    from ktnsite.environment import Environment

    read = set(Environment.model_fields)
    listed = set(_example_lines())
    assert len(read) > 80
    assert read - listed == set()
    assert listed - read == set()


def test_deploy_env_example_shows_each_variable_with_its_real_default(monkeypatch):
    # A commented line shows the default: reading that value must give what the settings
    # use when the variable is unset, or the example would mislead.
    from ktnsite.environment import Environment

    for name in Environment.model_fields:
        monkeypatch.delenv(name, raising=False)
    defaults = Environment()
    for name, shown in _example_lines().items():
        default = getattr(defaults, name)
        if default is None:
            continue  # depends on other variables: the comment above the line says how
        monkeypatch.setenv(name, shown)
        assert getattr(Environment(), name) == default, name
        monkeypatch.delenv(name)


def test_a_wrong_value_stops_startup_with_one_line_naming_the_variable():
    result = _check(DJANGO_SECRET_KEY="a-real-secret", DJANGO_DEBUG="maybe", EMAIL_PORT="smtp")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("DJANGO_DEBUG: Input should be a valid boolean")
    assert lines[1].startswith("EMAIL_PORT: Input should be a valid integer")


def test_an_empty_value_means_the_default_and_a_dollar_is_taken_as_it_is(monkeypatch):
    from ktnsite.environment import Environment

    monkeypatch.setenv("EMAIL_PORT", "")
    monkeypatch.setenv("DJANGO_DEBUG", "")
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "$ecret$HOME")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", " example.org, ,www.example.org ")
    env = Environment()
    assert (env.EMAIL_PORT, env.DJANGO_DEBUG) == (25, False)
    assert env.EMAIL_HOST_PASSWORD == "$ecret$HOME"
    assert env.DJANGO_ALLOWED_HOSTS == ["example.org", "www.example.org"]


def _setting(name, **env_overrides):
    """A setting as `manage.py` builds it from this environment, and what start-up printed."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"OUTBOX_MAX_ATTEMPTS", "CONTACTS_ENQUIRY_MAX_ATTEMPTS"}
    }
    env.update({"DJANGO_SECRET_KEY": "x", **env_overrides})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         f"from django.conf import settings; print(settings.{name})"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return result.stdout.strip(), result.stderr


def test_an_old_setting_name_still_works_and_says_what_replaces_it():
    value, warning = _setting("OUTBOX_MAX_ATTEMPTS", CONTACTS_ENQUIRY_MAX_ATTEMPTS="3")
    assert value == "3"
    assert "CONTACTS_ENQUIRY_MAX_ATTEMPTS is deprecated" in warning
    assert "set OUTBOX_MAX_ATTEMPTS instead" in warning
    # The new name wins, and says nothing.
    value, warning = _setting(
        "OUTBOX_MAX_ATTEMPTS", CONTACTS_ENQUIRY_MAX_ATTEMPTS="3", OUTBOX_MAX_ATTEMPTS="4"
    )
    assert value == "4"
    assert "deprecated" not in warning
