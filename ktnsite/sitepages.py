"""Site pages (privacy notice, accessibility statement, cookies, contact): Django's flat pages, sanitised like rich text."""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db.models.signals import pre_save
from django.urls import Resolver404, resolve

from publishing.richtext import sanitise_html

# name -> (address, title): the pages the footer links to; load_demo writes their text.
FOOTER_PAGES = {
    "privacy": ("/privacy/", "Privacy notice"),
    "accessibility": ("/accessibility/", "Accessibility statement"),
    "cookies": ("/cookies/", "Cookies"),
    "contact": ("/contact/", "Contact us"),
}


def sanitise_flat_page(sender, instance, **kwargs):
    """Every save, from the admin, the shell or an import, keeps only allow-listed markup.

    The page is sanitised again when shown, like every rich text, so a row written with
    SQL stays inert too.
    """
    instance.content = sanitise_html(instance.content)
    instance.title = instance.title.strip()


def connect_signals():
    pre_save.connect(sanitise_flat_page, sender=FlatPage, dispatch_uid="ktnsite.sitepages")


def site_page(url):
    """The flat page at `url` on this site, or None."""
    return FlatPage.objects.filter(url=url, sites=settings.SITE_ID).first()


def is_served(url):
    """Whether the site shows a flat page at `url`: a footer page's address or one under
    /pages/ (the "site-page" routes in ktnsite.urls). Any other address, and never another
    host's (`//evil.example/`), is refused by the admin's form, left out of the sitemap and
    given no "View on site" link."""
    if not url.startswith("/") or "//" in url or "\\" in url:
        return False
    try:
        match = resolve(url)
    except Resolver404:
        return False
    return match.namespace == "site-page"
