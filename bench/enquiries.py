"""Benchmark the enquiry outbox: submit N enquiries through the view, deliver them over SMTP.

Runs against a throw-away test database (SQLite unless DATABASE_URL is set) and a real
SMTP server on loopback (aiosmtpd), and prints figures; it asserts nothing.

    .venv/bin/python bench/enquiries.py [N]
"""

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
warnings.filterwarnings("ignore", "No directory at")  # no collectstatic for a benchmark


def main(count):
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)  # the figures, not the per-message SMTP log
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tests.conftest import SMTPTestServer

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.CONTACTS_ENQUIRY_RATE = f"{count * 10}/h"
    # Delivery runs in-process right after each request (the immediate backend), so the
    # first figure is the cost of a delivery; the site itself queues it for db_worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    server = SMTPTestServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    try:
        from contacts.models import Enquiry, EnquiryState
        from contacts.services import enquiries_deliver_pending
        from tests.factories import enquiry_form_data, make_contact

        contact = make_contact()
        client = Client()
        url = contact.get_absolute_url()

        # 1. Submit, then deliver at once (the immediate backend).
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            client.post(url, enquiry_form_data())
        print(f"submit + deliver: {1000 * (time.perf_counter() - start):.1f} ms, "
              f"{len(queries)} queries, {len(server.messages)} messages")  # fmt: skip

        # 2. Submit only (mail server down), then let the command deliver the backlog.
        server.stop()
        start = time.perf_counter()
        for _ in range(count):
            client.post(url, enquiry_form_data())
        elapsed = time.perf_counter() - start
        print(f"submit {count} with the mail server down: {1000 * elapsed / count:.1f} ms each")
        server.start()
        server.messages.clear()
        start = time.perf_counter()
        outcomes = enquiries_deliver_pending()
        elapsed = time.perf_counter() - start
        sent = Enquiry.objects.filter(state=EnquiryState.SENT).count()
        print(f"send_outbox (enquiries): {outcomes['sent']} enquiries ({len(server.messages)} "
              f"messages) in {elapsed:.2f} s, {outcomes['sent'] / elapsed:.0f} enquiries/s; "
              f"{sent} of {count + 1} now sent")  # fmt: skip
        sizes = sorted(len(m.as_bytes()) for m in server.messages)
        print(f"message size: {sizes[0]}-{sizes[-1]} bytes")
    finally:
        server.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", nargs="?", type=int, default=50, help="enquiries to send")
    main(parser.parse_args().count)
