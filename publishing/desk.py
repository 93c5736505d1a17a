"""The editor's desk beside the change form: the checks-before-publishing panel and the
message that lists them again on publishing (publishing.content_checks does the checking)."""

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from publishing.content_checks import check_item


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
