"""Topic alerts: record that an item went live, and fan it out into one delivery per subscriber."""

from datetime import timedelta
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from mailinglist.models import Alert, Delivery, Subscriber
from publishing import registry

# How long an item with no topics waits for them before it is taken to have none.
TOPICLESS_GRACE = timedelta(hours=1)


def alerted_models():
    """The concrete models whose going live alerts subscribers: the content types declared
    with `alerts=True` (publishing.registry), or, when the MAILINGLIST_ALERT_MODELS setting
    is set, the models it names ("app.Model" labels), which override the declarations."""
    labels = getattr(settings, "MAILINGLIST_ALERT_MODELS", None)
    if labels is None:
        return [ct.model._meta.concrete_model for ct in registry.alerting()]
    # By name: the mailing list imports no content app.
    return [apps.get_model(label)._meta.concrete_model for label in labels]


def alert_owed(*, model, publish_at, now=None):
    """The alert rule: an item of an alerted model is alerted when it goes live, unless it is
    dated before the alert window (deliberately backdated, archive material).

    Publishing stamps the moment an item went live as its publish time, so a draft started
    days ago and published now is dated now and alerted; the one Alert per item (see
    alert_record) makes it once, however often it is saved, unpublished or republished.
    """
    # The concrete model's label, so a save through a proxy (an admin view) counts too.
    if model._meta.concrete_model not in alerted_models():
        return False
    now = now or timezone.now()
    window = timedelta(hours=settings.MAILINGLIST_ALERT_MAX_AGE_HOURS)
    return publish_at is not None and publish_at >= now - window


def alert_note(*, model, item_pk, publish_at, now=None):
    """One sentence for the editor about to publish: will subscribers be alerted?"""
    if model._meta.concrete_model not in alerted_models():
        return None
    now = now or timezone.now()
    if item_pk is not None:
        sent = Alert.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=item_pk,
            fanned_out_at__isnull=False,
        )
        if sent.exists():
            return "Subscribers were alerted to it before, so they will not be alerted again."
    if not alert_owed(model=model, publish_at=publish_at, now=now):
        hours = settings.MAILINGLIST_ALERT_MAX_AGE_HOURS
        return (
            f"Subscribers will not be alerted: its publish time is more than {hours} hours "
            "ago, so it counts as backdated."
        )
    when = "when it goes live" if publish_at > now else "now"
    return f"Confirmed subscribers to its topics will be emailed an alert {when}."


def alert_record(*, instance, now=None):
    """Note that an item saved as published will owe its subscribers an alert.

    Called for every such save, so it is idempotent: one Alert per item, and an item that
    has already been fanned out is never alerted again, however often it is edited.
    """
    now = now or timezone.now()
    if not alert_owed(model=type(instance), publish_at=instance.publish_at, now=now):
        return None
    content_type = ContentType.objects.get_for_model(instance)
    alert, created = Alert.objects.get_or_create(
        content_type=content_type, object_id=instance.pk, defaults={"due_at": instance.publish_at}
    )
    if not created and alert.fanned_out_at is None and alert.due_at != instance.publish_at:
        Alert.objects.filter(pk=alert.pk, fanned_out_at__isnull=True).update(
            due_at=instance.publish_at
        )
    # After commit, so the topics saved with the item are there when the task reads them.
    transaction.on_commit(partial(_enqueue_alerts, instance.publish_at, now))
    return alert


def _enqueue_alerts(due_at, now):
    from django_tasks import default_task_backend

    from mailinglist.tasks import send_alerts

    if due_at <= now:
        send_alerts.enqueue()
    elif default_task_backend.supports_defer:
        # A queue that can wait (the database backend) sends a scheduled item on time;
        # `manage.py send_alerts` on a schedule covers every other case.
        send_alerts.using(run_after=due_at).enqueue()


def alerts_discover(*, now=None):
    """Record alerts for recent live items that no save announced.

    Publishing by `QuerySet.update()` (a bulk action, a script) sends no signal; this sweep
    means such items are still alerted, by the next scheduled run.
    """
    now = now or timezone.now()
    since = now - timedelta(hours=settings.MAILINGLIST_ALERT_MAX_AGE_HOURS)
    found = 0
    for model in alerted_models():
        content_type = ContentType.objects.get_for_model(model)
        known = Alert.objects.filter(content_type=content_type).values("object_id")
        missing = (
            model.objects.live()
            .filter(publish_at__gte=since)
            .exclude(pk__in=known)
            .values_list("pk", "publish_at")
        )
        found += len(
            Alert.objects.bulk_create(
                [Alert(content_type=content_type, object_id=pk, due_at=at) for pk, at in missing],
                ignore_conflicts=True,
            )
        )
    return found


def alerts_fan_out(*, now=None):
    """Turn every due alert into one delivery (an outbox row) per interested, confirmed
    subscriber; returns how many deliveries were recorded."""
    now = now or timezone.now()
    alerts_discover(now=now)
    created = 0
    due = Alert.objects.filter(fanned_out_at__isnull=True, due_at__lte=now)
    for alert in due.select_related("content_type"):
        model = alert.content_type.model_class()
        item = model and model.objects.live().filter(pk=alert.object_id).first()
        if item is None:
            # Withdrawn, deleted or moved later: a scheduled one keeps its alert at its new
            # time; anything else is forgotten, and publishing it again records it anew.
            later = model and model.objects.scheduled().filter(pk=alert.object_id).first()
            if later is not None:
                Alert.objects.filter(pk=alert.pk).update(due_at=later.publish_at)
            else:
                Alert.objects.filter(pk=alert.pk, fanned_out_at__isnull=True).delete()
            continue
        topic_ids = list(item.topics.values_list("pk", flat=True))
        if not topic_ids and alert.due_at > now - TOPICLESS_GRACE:
            # Saved outside a transaction, an item's topics are set just after it went
            # live: leave it for a later run rather than tell nobody about it.
            continue
        subscriber_ids = (
            Subscriber.objects.confirmed()
            .filter(topics__in=topic_ids)
            .values_list("pk", flat=True)
            .distinct()
        )
        # ignore_conflicts: the unique (subscriber, item) row is what stops two
        # overlapping runs from owing, and so sending, anyone the same item twice.
        rows = Delivery.objects.bulk_create(
            [
                Delivery(subscriber_id=pk, content_type_id=alert.content_type_id, object_id=item.pk)
                for pk in subscriber_ids
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        created += len(rows)
        Alert.objects.filter(pk=alert.pk).update(fanned_out_at=now)
    return created
