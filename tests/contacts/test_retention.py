"""Retention: delivered enquiries go after the retention period; undelivered ones never do."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from contacts.models import Enquiry, EnquiryState
from tests.factories import make_enquiry

pytestmark = pytest.mark.django_db


def _received(days_ago, state):
    enquiry = make_enquiry(state=state)
    Enquiry.objects.filter(pk=enquiry.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return enquiry


def _purge():
    out = StringIO()
    call_command("purge_enquiries", stdout=out)
    return out.getvalue()


def test_delivered_enquiries_past_retention_are_deleted_and_recent_ones_kept(settings):
    settings.CONTACTS_ENQUIRY_RETENTION_DAYS = 365
    old = _received(400, EnquiryState.SENT)
    recent = _received(30, EnquiryState.SENT)
    assert "deleted (older than 365 days): 1." in _purge()
    assert list(Enquiry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Enquiry.objects.filter(pk=old.pk).exists()


def test_old_enquiries_never_delivered_are_kept(settings):
    settings.CONTACTS_ENQUIRY_RETENTION_DAYS = 365
    pending = _received(400, EnquiryState.PENDING)
    failed = _received(400, EnquiryState.FAILED)
    _purge()
    assert set(Enquiry.objects.values_list("pk", flat=True)) == {pending.pk, failed.pk}


def test_a_retention_of_zero_keeps_everything(settings):
    settings.CONTACTS_ENQUIRY_RETENTION_DAYS = 0
    _received(4000, EnquiryState.SENT)
    assert "retention is off" in _purge()
    assert Enquiry.objects.count() == 1
