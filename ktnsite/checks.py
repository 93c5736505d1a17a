"""`manage.py check --deploy` checks of our own: where mail is sent, caches shared by processes, client addresses behind a front cache."""

from django.conf import settings
from django.core import checks

IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
QUEUE = "django_tasks_db.DatabaseBackend"
# Email backends that never talk to a mail server, so sending inline cannot hang a request.
OFFLINE_EMAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.compatibility, deploy=True)
def check_mail_is_sent_by_a_worker(app_configs, **kwargs):
    """The immediate task backend sends mail inside the reader's request: a slow or hung
    mail server then holds every worker that serves an enquiry or a sign-up."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != IMMEDIATE or settings.EMAIL_BACKEND in OFFLINE_EMAIL:
        return []
    return [
        checks.Warning(
            "Email would be sent inside readers' requests: the task backend is "
            f"{IMMEDIATE} and the email backend talks to a mail server.",
            hint=(
                f"Set DJANGO_TASKS_BACKEND={QUEUE} (the default) and run `manage.py db_worker` "
                "beside the web server (docs/operations.md: Email)."
            ),
            id="ktnsite.W001",
        )
    ]


@checks.register(checks.Tags.caches, deploy=True)
def check_caches_are_shared(app_configs, **kwargs):
    """Several processes with a per-process cache each keep their own rate-limit counts and
    page-cache generation: limits multiply and a save does not reach the others' pages."""
    if settings.SERVER_PROCESSES <= 1:
        return []
    local = [
        alias
        for alias, config in settings.CACHES.items()
        if config["BACKEND"] in PER_PROCESS_CACHES
    ]
    if not local:
        return []
    return [
        checks.Warning(
            f"{settings.SERVER_PROCESSES} processes serve the site (WEB_CONCURRENCY) but the "
            f"cache(s) {', '.join(local)} live in each process's own memory.",
            hint="Set REDIS_URL so every process shares one cache and one set of rate limits.",
            id="ktnsite.W002",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_client_address_behind_a_front_cache(app_configs, **kwargs):
    """Behind a front cache every request comes from the cache's address: with no trusted
    proxy, every reader shares one rate-limit allowance (enquiries, sign-ups, logins), so
    one person's five enquiries lock out everyone else."""
    if not settings.FRONT_CACHE_PURGERS or settings.CLIENT_IP_PROXY_COUNT > 0:
        return []
    caches = ", ".join(
        purger["BACKEND"].rsplit(".", 1)[-1] for purger in settings.FRONT_CACHE_PURGERS
    )
    return [
        checks.Warning(
            f"A front cache is configured ({caches}) but DJANGO_TRUSTED_PROXY_COUNT is 0: "
            "every reader's request comes from the cache's address, so all readers share one "
            "allowance in every per-address limit.",
            hint=(
                "Set DJANGO_TRUSTED_PROXY_COUNT=1 behind deploy/varnish/default.vcl alone "
                "(Varnish appends the client's address to X-Forwarded-For), plus one for each "
                "proxy in front of it that appends its own."
            ),
            id="ktnsite.W003",
        )
    ]
