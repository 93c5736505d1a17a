"""Opportunity: a funding call (grant, loan, prize...) that opens and closes at given times."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from contacts.models import Contact
from opportunities import deadlines
from opportunities.deadlines import State
from publishing.addresses import slug_url
from publishing.models import Publishable, PublishableQuerySet
from publishing.richtext import RichTextField
from publishing.search import search_vector_field
from reports.models import Report

# What a finder card shows (includes/opportunity_card.html), so lists read no other column.
CARD_FIELDS = (
    *("title", "slug", "publish_at", "standfirst", "funder", "funding_type"),
    *("opens_at", "closes_at", "award_max", "award_text", "total_pot"),
)


class FundingType(models.TextChoices):
    GRANT = "grant", "Grant"
    LOAN = "loan", "Loan"
    INVESTMENT = "investment", "Investment partnership"
    PRIZE = "prize", "Prize"
    PROCUREMENT = "procurement", "Procurement"
    OTHER = "other", "Other"


class Applicant(models.TextChoices):
    """Who can apply: each is a yes/no field `eligible_<value>` on the opportunity."""

    ANY_BUSINESS = "any_business", "Business of any size"
    SME = "sme", "Micro or SME business"
    LARGE = "large", "Large business"
    RESEARCH = "research", "Research organisation"
    CHARITY_PUBLIC = "charity_public", "Charity or public body"


# A business of any size may apply to a call for SMEs or large businesses too.
APPLICANT_COVERS = {
    Applicant.SME: (Applicant.SME, Applicant.ANY_BUSINESS),
    Applicant.LARGE: (Applicant.LARGE, Applicant.ANY_BUSINESS),
    Applicant.ANY_BUSINESS: (Applicant.ANY_BUSINESS, Applicant.SME, Applicant.LARGE),
}


class FundingBand(models.TextChoices):
    """Bands of the largest award per project, as GOV.UK's finders offer them."""

    UP_TO_100K = "up-to-100k", "Up to £100,000"
    TO_1M = "100k-to-1m", "£100,000 to £1 million"
    OVER_1M = "over-1m", "Over £1 million"


BAND_LIMITS = {
    FundingBand.UP_TO_100K: (None, 100_000),
    FundingBand.TO_1M: (100_000, 1_000_000),
    FundingBand.OVER_1M: (1_000_000, None),
}


def band_q(band):
    low, high = BAND_LIMITS[band]
    q = models.Q(award_max__isnull=False)
    if low is not None:
        q &= models.Q(award_max__gt=low)
    if high is not None:
        q &= models.Q(award_max__lte=high)
    return q


def applicant_q(applicant):
    q = models.Q()
    for covered in APPLICANT_COVERS.get(applicant, (applicant,)):
        q |= models.Q(**{f"eligible_{covered}": True})
    return q


def pounds(amount):
    """£500,000, £1.5 million: an amount as readers read it."""
    if amount >= 1_000_000 and amount % 100_000 == 0:
        return f"£{amount / 1_000_000:g} million"
    return f"£{amount:,}"


def check_apply_url(value):
    """The Apply link must be https and lead away from this site's admin."""
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme != "https":
        raise ValidationError(
            "The apply link must start with https:// (the official application service).",
            code="not_https",
        )
    site = urlsplit(settings.SITE_URL)
    if parts.hostname == site.hostname and parts.path.startswith("/admin"):
        raise ValidationError(
            "The apply link points at this site's admin: give the application service's "
            "address instead.",
            code="admin_link",
        )


class OpportunityQuerySet(PublishableQuerySet):
    def in_state(self, state, now=None):
        return self.filter(deadlines.state_q(state, now or timezone.now()))

    def not_closed(self, now=None):
        return self.filter(closes_at__gt=now or timezone.now())

    def coming_changes(self):
        """When pages showing live opportunities next change by the clock alone (one opens,
        enters its last week, closes, or counts down a day): the page cache keeps no page
        past the first of them (caching.pagecache), so no cron purges anything then."""
        return state_change_moments(timezone.now())


class Opportunity(Publishable):
    standfirst = models.TextField(
        max_length=600, help_text="One or two sentences on what the call funds, shown in lists."
    )
    body = RichTextField(blank=True)
    image = models.ForeignKey(
        "library.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="used_by_opportunities",
        help_text="Choose a picture from the library or upload one; its alt text is kept there.",
    )
    funder = models.CharField(max_length=200, help_text="Who gives the money, e.g. Innovate UK.")
    funding_type = models.CharField(
        "funding type", max_length=20, choices=FundingType.choices, default=FundingType.GRANT
    )
    total_pot = models.PositiveBigIntegerField(
        "total funding (£)",
        null=True,
        blank=True,
        help_text="The whole pot in pounds, as a number: 5000000 for £5 million.",
    )
    award_max = models.PositiveBigIntegerField(
        "largest award per project (£)",
        null=True,
        blank=True,
        help_text="In pounds, as a number; the finder's funding bands use it.",
    )
    award_text = models.CharField(
        "award in words",
        max_length=200,
        blank=True,
        help_text="Optional, shown instead of the number: “up to £500k per project”.",
    )
    project_size = models.CharField(max_length=200, blank=True, help_text="E.g. “£50k to £250k”.")
    project_length = models.CharField(
        max_length=200, blank=True, help_text="E.g. “6 to 18 months”."
    )
    eligible_any_business = models.BooleanField(Applicant.ANY_BUSINESS.label, default=False)
    eligible_sme = models.BooleanField(Applicant.SME.label, default=False)
    eligible_large = models.BooleanField(Applicant.LARGE.label, default=False)
    eligible_research = models.BooleanField(Applicant.RESEARCH.label, default=False)
    eligible_charity_public = models.BooleanField(Applicant.CHARITY_PUBLIC.label, default=False)
    eligibility = models.TextField(
        "eligibility summary",
        blank=True,
        max_length=1000,
        help_text="A few sentences on who can apply and any conditions.",
    )
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="opportunities")
    opens_at = models.DateTimeField(
        "opens at", help_text="UK time. Readers can apply from this minute."
    )
    closes_at = models.DateTimeField(
        "closes at", help_text="UK time. The deadline: applications close then."
    )
    apply_url = models.URLField(
        "apply link",
        max_length=500,
        blank=True,
        validators=[check_apply_url],
        help_text="The official application service (https). Hidden once the call closes.",
    )
    briefing_title = models.CharField(
        "briefing event", max_length=200, blank=True, help_text="Optional: a briefing's name."
    )
    briefing_url = models.URLField(
        "briefing event link", max_length=500, blank=True, help_text="Where to book the briefing."
    )
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="+", help_text="Who readers ask about the call."
    )
    reports = models.ManyToManyField(
        Report, blank=True, related_name="+", verbose_name="related reports"
    )
    dates_note = models.CharField(
        "note on the dates",
        max_length=300,
        blank=True,
        editable=False,
        help_text="Recorded when a live call's dates change; readers see it under the dates.",
    )
    # Filled by a database trigger on PostgreSQL (see publishing.search).
    search_vector = search_vector_field()
    preview_links = GenericRelation("publishing.PreviewLink")

    objects = OpportunityQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name_plural = "opportunities"
        permissions = [("publish_opportunity", "Can publish opportunities")]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="opportunities_opportunity_closes_after_opens",
            ),
        ]
        indexes = [
            # The finder walks calls by closing date; on PostgreSQL the columns live(), the
            # state filters and the other filters read are in the index too, so its count
            # and pages need no table (a seq scan of every call counted "who can apply").
            models.Index(
                fields=["closes_at", "id"],
                include=[
                    *("opens_at", "status", "publish_at", "expire_at"),
                    *("funder", "funding_type", "award_max"),
                    *(f"eligible_{kind.value}" for kind in Applicant),
                ],
                name="opportunities_finder_idx",
            ),
            # The finder's funder filter lists the funders: read from this index alone.
            models.Index(fields=["funder"], name="opportunities_funder_idx"),
        ]

    def get_absolute_url(self):
        return slug_url("opportunities:detail", self.slug)

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The closing time must be after the opening time."})

    # --- state, from the dates only ---------------------------------------------------------

    def state(self, now=None):
        return deadlines.state_at(self.opens_at, self.closes_at, now or timezone.now())

    @property
    def state_now(self):
        return self.state()

    @property
    def state_label(self):
        return self.state().label

    @property
    def state_line(self):
        return deadlines.state_line(self.opens_at, self.closes_at, timezone.now())

    @property
    def is_open(self):
        return self.state() in (State.OPEN, State.CLOSING_SOON)

    @property
    def is_closed(self):
        return self.state() == State.CLOSED

    @property
    def reminds_before_closing(self):
        """Whether readers can have a deadline reminder (a week before closing): not for a
        call open less than a week in all, whose "new opportunity" alert says it all."""
        return self.closes_at - self.opens_at >= deadlines.CLOSING_SOON

    @property
    def opens_iso(self):
        """For <time datetime>: whole seconds, as HTML allows at most milliseconds."""
        return deadlines.london(self.opens_at).replace(microsecond=0).isoformat()

    @property
    def closes_iso(self):
        return deadlines.london(self.closes_at).replace(microsecond=0).isoformat()

    @property
    def opens_text(self):
        return deadlines.when_text(self.opens_at)

    @property
    def closes_text(self):
        return deadlines.when_text(self.closes_at)

    # --- money and eligibility ---------------------------------------------------------------

    @property
    def award_words(self):
        if self.award_text:
            return self.award_text
        return f"Up to {pounds(self.award_max)} per project" if self.award_max else ""

    @property
    def total_words(self):
        return pounds(self.total_pot) if self.total_pot else ""

    @property
    def applicants(self):
        return [kind.label for kind in Applicant if getattr(self, f"eligible_{kind.value}")]

    def content_checks(self):
        """Checked before publishing (publishing.content_checks): a readable amount, a future
        deadline and an Apply link for an open call."""
        from publishing.content_checks import Finding

        findings = []
        if self.closes_at and self.closes_at <= timezone.now():
            findings.append(
                Finding(
                    "closes_at",
                    "Closes at",
                    "The closing time has passed: readers will see the call as closed.",
                    "Check the dates with the funder before publishing.",
                )
            )
        if not self.apply_url:
            findings.append(
                Finding(
                    "apply_url",
                    "Apply link",
                    "There is no apply link: readers cannot reach the application service.",
                    "Add the funder's https address for applications.",
                )
            )
        if not (self.award_max or self.award_text or self.total_pot):
            findings.append(
                Finding(
                    "award_max",
                    "Funding",
                    "No amount is given: readers cannot tell how much is on offer.",
                    "Give the largest award, the total pot, or the award in words.",
                )
            )
        return findings


def state_change_moments(now):
    """Querysets of single moments at which a live opportunity's state or wording changes
    next (it opens, enters its last week, closes, or "Closes in 3 days" becomes 2 at UK
    midnight), for the page cache to keep no page past the first of them."""
    live = Opportunity.objects.live().order_by()
    soon = now + deadlines.CLOSING_SOON
    return [
        live.filter(opens_at__gt=now).values_list("opens_at", flat=True),
        live.filter(closes_at__gt=now).values_list("closes_at", flat=True),
        live.filter(closes_at__gt=soon)
        .annotate(moment=models.F("closes_at") - deadlines.CLOSING_SOON)
        .values_list("moment", flat=True),
        live.filter(opens_at__lte=now, closes_at__gt=now, closes_at__lte=soon)
        .annotate(moment=models.Value(deadlines.next_midnight(now), models.DateTimeField()))
        .values_list("moment", flat=True),
    ]


class ApplyLinkCheck(models.Model):
    """The last answer of an opportunity's apply link (opportunities.linkcheck), for editors.

    Kept apart from the opportunity so that a check never makes a version, a history line
    or a purge of readers' pages; `url` is the address checked, so a link changed since
    counts as not checked yet.
    """

    opportunity = models.OneToOneField(
        Opportunity, on_delete=models.CASCADE, primary_key=True, related_name="apply_link_check"
    )
    url = models.URLField("address checked", max_length=500)
    checked_at = models.DateTimeField()
    ok = models.BooleanField("answers")
    status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "apply link check"

    def __str__(self):
        return f"{self.url}: {'answers' if self.ok else self.error}"
