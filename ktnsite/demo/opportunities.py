"""The demo's funding opportunities: six calls in different states around the day the demo is loaded."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")

# Each call's dates are days from the day load_demo runs, at a UK time of day, so a fresh
# demo always shows one of each state: open, closing in 3 days, upcoming and closed.
OPPORTUNITIES = [
    {
        "slug": "medicines-manufacturing-innovation-fund",
        "title": "Medicines manufacturing innovation fund",
        "standfirst": "Grants for projects that make medicines faster, cleaner and closer to patients.",
        "body": "<p>Projects must be led by a UK business and may include research partners.</p>"
        "<h2>What we fund</h2><p>Continuous manufacturing, advanced therapies and digital "
        "quality control.</p>",
        "funder": "Innovate UK",
        "funding_type": "grant",
        "total_pot": 10_000_000,
        "award_max": 1_500_000,
        "project_length": "12 to 36 months",
        "eligible": ["sme", "large", "research"],
        "topics": ["medicines-manufacturing"],
        "contacts": ["karen-wilkinson"],
        "opens": (-20, time(9)),
        "closes": (25, time(11)),
    },
    {
        "slug": "net-zero-heat-pump-prize",
        "title": "Net zero heat pump prize",
        "standfirst": "A prize for the quietest, most efficient domestic heat pump design.",
        "body": "<p>Shortlisted teams test their designs in real homes.</p>",
        "funder": "Department for Energy Security and Net Zero",
        "funding_type": "prize",
        "total_pot": 500_000,
        "award_text": "£250,000 for the winner, £50,000 for each finalist",
        "eligible": ["any_business", "research", "charity_public"],
        "topics": ["net-zero"],
        "contacts": ["amir-haddad"],
        "opens": (-30, time(9)),
        "closes": (3, time(12)),
    },
    {
        "slug": "vertical-farming-scale-up-loans",
        "title": "Vertical farming scale-up loans",
        "standfirst": "Innovation loans for growers moving from pilot to commercial scale.",
        "body": "<p>Loans at a below-market rate, repaid once the farm is trading.</p>",
        "funder": "Innovate UK",
        "funding_type": "loan",
        "award_max": 2_000_000,
        "eligible": ["sme"],
        "topics": ["agri-food"],
        "contacts": ["fiona-macleod"],
        "opens": (14, time(9)),
        "closes": (60, time(11)),
    },
    {
        "slug": "trustworthy-ai-feasibility-studies",
        "title": "Trustworthy AI feasibility studies",
        "standfirst": "Short studies testing whether an AI product can be explained and audited.",
        "body": "<p>Up to six months; results are shared with the regulator's sandbox.</p>",
        "funder": "UKRI",
        "funding_type": "grant",
        "award_max": 75_000,
        "project_size": "£25,000 to £75,000",
        "project_length": "Up to 6 months",
        "eligible": ["sme", "research"],
        "topics": ["digital-and-ai"],
        "contacts": ["priya-natarajan"],
        "opens": (-10, time(9)),
        "closes": (40, time(11)),
    },
    {
        "slug": "space-data-for-agriculture",
        "title": "Space data for agriculture",
        "standfirst": "Using satellite data to help farmers plan planting and irrigation.",
        "body": "<p>Collaborations between space and agri-food businesses.</p>",
        "funder": "UK Space Agency",
        "funding_type": "grant",
        "total_pot": 3_000_000,
        "award_max": 300_000,
        "eligible": ["any_business", "research"],
        "topics": ["space", "agri-food"],
        "contacts": [],
        "opens": (-60, time(9)),
        "closes": (-5, time(11)),
    },
    {
        "slug": "hydrogen-procurement-challenge",
        "title": "Hydrogen procurement challenge",
        "standfirst": "Public bodies buying the first hydrogen-ready fleet depots.",
        "body": "<p>A pre-commercial procurement in two phases.</p>",
        "funder": "Innovate UK",
        "funding_type": "procurement",
        "award_text": "Up to £1m per contract in phase 2",
        "eligible": ["any_business"],
        "topics": ["net-zero"],
        "contacts": [],
        "opens": (-3, time(10)),
        "closes": (45, time(12)),
    },
]


def at(days_and_time, today=None):
    """A UK time `days` from today, as an aware datetime."""
    days, clock = days_and_time
    today = today or timezone.localdate()
    return datetime.combine(today + timedelta(days=days), clock, tzinfo=LONDON)
