"""Template tags: the mailing-list block drawn on every article."""

from django import template
from wagtail.models import Site

from core.forms import SignupForm

register = template.Library()


@register.inclusion_tag("includes/mailing_list_block.html", takes_context=True)
def mailing_list_block(context, chosen_topics=None):
    """The mailing list sign-up, every topic a checkbox, this page's topics ticked."""
    request = context["request"]
    site = Site.find_for_request(request)
    form = SignupForm(initial={"topics": [t.pk for t in chosen_topics or []]})
    return {"request": request, "form": form, "site_name": site.site_name if site else ""}
