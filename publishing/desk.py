"""The editor's desk beside the change form: the checks-before-publishing panel, the message
that lists them again on publishing (publishing.content_checks does the checking), and the
search behind the body editor's "Link to our content" button."""

from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from publishing.content_checks import check_item
from publishing.links import LINK_KINDS, stable_url


def content_checks_context(model, request, context, obj):
    """Template context for the panel: the findings for what the form holds now (None on a
    fresh add form: nothing written yet) and the address that re-checks unsaved content."""
    opts = model._meta
    args = [obj.pk] if obj is not None else []
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_checks", args=args)
    adminform = context.get("adminform")
    if obj is None and request.method == "GET":
        findings = None
    else:
        # After a failed save the form's instance holds what was typed, so that is checked.
        item = adminform.form.instance if adminform is not None else obj
        findings = check_item(item)
    return {"content_checks": findings, "content_checks_url": url}


def autosave_choice_labels(form, data):
    """The names of the items an autosave chose in pickers that load their choices on demand
    (the report, the contacts), as {field: [[id, label], ...]}: the form's page holds options
    only for the saved choices, so the restored ones are shown by these names."""
    labels = {}
    for name, field in form.fields.items():
        widget = getattr(field.widget, "widget", field.widget)  # inside Django's "+" wrapper
        ids = [value for value in data.get(name, []) if value]
        if not ids or not isinstance(widget, AutocompleteMixin):
            continue
        try:
            # The field's own queryset: only items the editor may choose there.
            items = list(field.queryset.filter(pk__in=ids))
        except (ValueError, TypeError, ValidationError):
            continue  # an id that was never valid is not offered back
        labels[name] = [[str(item.pk), field.label_from_instance(item)] for item in items]
    return labels


def findings_message(model_admin, request, obj):
    """A warning after publishing or scheduling that lists what the checks still find."""
    findings = check_item(obj)
    if not findings:
        return
    count = len(findings)
    model_admin.message_user(
        request,
        format_html(
            "{} before readers see it ({}) — it is published anyway; fix them and save again:"
            "<ul>{}</ul>",
            f"{count} thing{'s' if count != 1 else ''} to check",
            "listed beside the form too",
            format_html_join(
                "",
                "<li><strong>{}</strong>: {} {}</li>",
                ((f.where, f.problem, f.fix) for f in findings),
            ),
        ),
        messages.WARNING,
    )


SEARCH_MIN, SEARCH_MAX, SEARCH_PER_KIND = 2, 100, 8


def link_search(request):
    """Staff-only JSON for the editor's "Link to our content" button: posts, reports, contacts
    and topics whose title holds ?q=, each with its stable address (publishing.links). Two
    queries per kind, whatever the number of results; only kinds the user may view."""
    query = " ".join(request.GET.get("q", "").split())
    if not SEARCH_MIN <= len(query) <= SEARCH_MAX:
        return JsonResponse(
            {"error": f"Type {SEARCH_MIN} to {SEARCH_MAX} characters of a title."}, status=400
        )
    results = []
    for kind in LINK_KINDS.values():
        opts = kind.model._meta
        if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        title = kind.title_field
        rows = list(
            kind.model._default_manager.filter(**{f"{title}__icontains": query})
            .order_by(title)
            .values_list("pk", title)[:SEARCH_PER_KIND]
        )
        visible = set(
            kind.visible().filter(pk__in=[pk for pk, _ in rows]).values_list("pk", flat=True)
        )
        # Titles that start with the words typed come first.
        rows.sort(key=lambda row: not row[1].lower().startswith(query.lower()))
        results += [
            {
                "kind": kind.label,
                "title": text,
                "url": stable_url(kind.kind, pk),
                "live": pk in visible,
            }
            for pk, text in rows
        ]
    return JsonResponse({"results": results})


def fields_described_by(form, described):
    """Point each form field named in `described` ({name: [element ids]}) at those elements
    with aria-describedby (notes the review app shows beside a field), after its help text
    and errors, which Django would otherwise name there itself."""
    for name, ids in described.items():
        if name not in form.fields or not ids:
            continue
        bound = form[name]
        own = []
        if bound.auto_id and not bound.is_hidden:
            if bound.help_text:
                own.append(f"{bound.auto_id}_helptext")
            if bound.errors:
                own.append(f"{bound.auto_id}_error")
        form.fields[name].widget.attrs["aria-describedby"] = " ".join([*own, *ids])
