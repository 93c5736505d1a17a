"""import_wordpress_opportunities: a WordPress export's opportunity custom posts become funding opportunities.

In the site layer because it joins the WordPress reader (`news.wordpress.wxr`) to `opportunities`,
which may not import each other. Idempotent: an opportunity is found again by its slug, so
a second run updates what the first made. Items it cannot map (no dates, closing before
opening) are listed and skipped; an apply link that is not https is dropped with a note.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from news.wordpress.wxr import WXRError, read_export
from opportunities.models import Opportunity, check_apply_url
from publishing.models import Status
from publishing.services import publishable_save

LONDON = ZoneInfo("Europe/London")
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y")


def read_when(value):
    """A meta value as an aware datetime: a Unix time (ACF date pickers store one), or a UK
    date and time in one of DATE_FORMATS; None when it is none of them."""
    value = (value or "").strip()
    if value.isdigit() and len(value) >= 9:
        return datetime.fromtimestamp(int(value), tz=LONDON)
    if value.isdigit() and len(value) == 8:  # ACF's Ymd
        value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=LONDON)
        except ValueError:
            continue
    return None


class Command(BaseCommand):
    help = "Import a WordPress export's opportunity custom post type into funding opportunities."

    def add_arguments(self, parser):
        parser.add_argument("export", help="the WXR file WordPress's Tools > Export wrote")
        parser.add_argument("--post-type", default="opportunity")
        parser.add_argument("--opens-key", default="opens_at")
        parser.add_argument("--closes-key", default="closes_at")
        parser.add_argument("--funder-key", default="funder")
        parser.add_argument("--apply-key", default="apply_url")
        parser.add_argument("--default-funder", default="Innovate UK")

    def handle(self, *args, **options):
        made = updated = 0
        problems = []
        try:
            for item in read_export(options["export"]):
                if item.get("wp:post_type") != options["post_type"]:
                    continue
                title = (item.get("title") or "").strip() or "Untitled opportunity"
                slug = (
                    slugify(item.get("wp:post_name") or title)[:200]
                    or f"opportunity-{item.get('wp:post_id')}"
                )
                meta = item["meta"]
                opens = read_when(meta.get(options["opens_key"]))
                closes = read_when(meta.get(options["closes_key"]))
                if opens is None or closes is None:
                    problems.append(f"“{title}”: no readable opening and closing dates; skipped.")
                    continue
                if closes <= opens:
                    problems.append(f"“{title}”: it closes before it opens; skipped.")
                    continue
                apply_url = (meta.get(options["apply_key"]) or "").strip()
                try:
                    check_apply_url(apply_url)
                except ValidationError:
                    problems.append(f"“{title}”: apply link {apply_url!r} is not https; left out.")
                    apply_url = ""
                opportunity = Opportunity.objects.filter(slug=slug).first()
                new = opportunity is None
                opportunity = opportunity or Opportunity(slug=slug)
                opportunity.title = title[:200]
                opportunity.standfirst = (item.get("excerpt:encoded") or "").strip()[:600] or title
                opportunity.body = item.get("content:encoded") or ""  # sanitised on save
                opportunity.funder = (meta.get(options["funder_key"]) or "").strip()[
                    :200
                ] or options["default_funder"]
                opportunity.opens_at, opportunity.closes_at = opens, closes
                opportunity.apply_url = apply_url
                if new:
                    published = item.get("wp:status") == "publish"
                    opportunity.status = Status.PUBLISHED if published else Status.DRAFT
                    opportunity.publish_at = (
                        read_when(item.get("wp:post_date_gmt")) if published else None
                    )
                    if opportunity.publish_at is not None:
                        opportunity.publish_at = opportunity.publish_at.replace(
                            tzinfo=ZoneInfo("UTC")
                        )
                publishable_save(item=opportunity, user=None, comment="Imported from WordPress")
                made, updated = made + new, updated + (not new)
        except WXRError as exc:
            raise CommandError(str(exc)) from exc
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"Opportunities: {made} made, {updated} updated, {len(problems)} problems."
        )
