"""The demo content as data: topics, contacts, reports and posts, written in our own words."""

SEED_POST_SLUG = "ktn-and-ukri-release-medicines-manufacturing-impact-report"
SEED_REPORT_SLUG = "medicines-manufacturing-challenge-impact-report"

TOPICS = [
    {
        "name": "Medicines Manufacturing",
        "slug": "medicines-manufacturing",
        "description": "New ways to make medicines, from continuous processing to cell and gene therapies.",
    },
    {
        "name": "Net Zero",
        "slug": "net-zero",
        "description": "Innovation that cuts emissions across energy, transport and industry.",
    },
    {
        "name": "Agri-food",
        "slug": "agri-food",
        "description": "Farming, food processing and the supply chains between them.",
    },
    {
        "name": "Digital and AI",
        "slug": "digital-and-ai",
        "description": "Data, artificial intelligence and the software that businesses run on.",
    },
    {
        "name": "Space",
        "slug": "space",
        "description": "Satellites, launch and the services built on data from orbit.",
    },
]

# Phone numbers from the range Ofcom keeps for drama (020 7946 0xxx): they ring nobody.
CONTACTS = [
    {
        "name": "Karen Wilkinson",
        "slug": "karen-wilkinson",
        "job_title": "Knowledge Transfer Manager",
        "team": "Medicines Manufacturing",
        "email": "karen.wilkinson@example.org",
        "phone": "020 7946 0101",
        "bio": (
            "Karen connects companies, universities and investors working on new ways to "
            "manufacture medicines, and supports the Medicines Manufacturing Challenge Community."
        ),
        "topics": ["medicines-manufacturing"],
    },
    {
        "name": "Amir Haddad",
        "slug": "amir-haddad",
        "job_title": "Innovation Lead",
        "team": "Net Zero",
        "email": "amir.haddad@example.org",
        "phone": "020 7946 0102",
        "bio": "Amir works with industrial clusters on hydrogen, carbon capture and heat.",
        "topics": ["net-zero"],
    },
    {
        "name": "Fiona MacLeod",
        "slug": "fiona-macleod",
        "job_title": "Knowledge Transfer Manager",
        "team": "Agri-food",
        "email": "fiona.macleod@example.org",
        "phone": "020 7946 0103",
        "bio": "Fiona helps growers and food manufacturers adopt new technology.",
        "topics": ["agri-food"],
    },
    {
        "name": "Priya Natarajan",
        "slug": "priya-natarajan",
        "job_title": "Head of Digital",
        "team": "Digital and AI",
        "email": "priya.natarajan@example.org",
        "phone": "020 7946 0104",
        "bio": "Priya leads our work on trustworthy AI and data sharing.",
        "topics": ["digital-and-ai", "space"],
    },
]

SEED_REPORT = {
    "title": "Medicines Manufacturing Challenge: Impact Report",
    "slug": SEED_REPORT_SLUG,
    "publish_at": (2021, 10, 14, 9, 0),
    "summary": (
        "What UKRI's investment through the Medicines Manufacturing Challenge, established in "
        "2017, has achieved: £255 million invested by July 2021 in first-of-a-kind "
        "manufacturing technologies, new infrastructure, skills and collaboration."
    ),
    "topics": ["medicines-manufacturing"],
    "pages": [
        [
            "Medicines Manufacturing Challenge: Impact Report",
            "Published October 2021 by KTN and UK Research and Innovation.",
            "The Medicines Manufacturing Challenge was established in 2017 to support and grow "
            "the UK's capabilities in manufacturing medicines.",
        ],
        [
            "Investment",
            "As of July 2021, £255 million has been invested in developing first-of-a-kind "
            "technologies to manufacture medicines and to accelerate patient access to new "
            "drugs and treatments.",
        ],
        [
            "Innovation and infrastructure",
            "The challenge has de-risked the development of new manufacturing technologies, "
            "supported shared infrastructure and embedded a culture of collaboration across "
            "the UK life sciences landscape.",
        ],
        [
            "Skills and community",
            "Training opportunities and apprenticeships are building the skills needed for "
            "the next generation of therapies. The Medicines Manufacturing Challenge Community "
            "helps innovative organisations work together.",
        ],
    ],
}

OTHER_REPORTS = [
    {
        "title": "Hydrogen in Industrial Clusters",
        "slug": "hydrogen-in-industrial-clusters",
        "publish_at": (2021, 6, 3, 10, 0),
        "summary": "Where low-carbon hydrogen can replace natural gas in UK industry first.",
        "topics": ["net-zero"],
        "pages": [
            ["Hydrogen in Industrial Clusters", "A review of demand for low-carbon hydrogen."],
            ["Findings", "Clusters with shared pipelines can switch soonest."],
        ],
    },
    {
        "title": "Vertical Farming Landscape",
        "slug": "vertical-farming-landscape",
        "publish_at": (2021, 3, 22, 10, 0),
        "summary": "A map of UK vertical farming companies, their crops and their costs.",
        "topics": ["agri-food"],
        "pages": [
            ["Vertical Farming Landscape", "Who grows what, indoors, across the UK."],
            ["Energy", "Lighting is the largest cost for most indoor farms."],
        ],
    },
    {
        "title": "Trustworthy AI in Practice",
        "slug": "trustworthy-ai-in-practice",
        "publish_at": (2022, 2, 8, 10, 0),
        "summary": "Case studies of small firms assuring the AI systems they build and buy.",
        "topics": ["digital-and-ai"],
        "pages": [
            ["Trustworthy AI in Practice", "Eight case studies of AI assurance."],
            ["Lessons", "Document the data, test for drift, and keep a human in the loop."],
        ],
    },
]

SEED_POST = {
    "title": "KTN and UKRI Release Medicines Manufacturing Impact Report",
    "slug": SEED_POST_SLUG,
    "publish_at": (2021, 10, 14, 9, 0),
    "standfirst": (
        "Take a look at our recently released report which highlights the significant impact "
        "made through investment and collaboration into UK Medicines Manufacturing."
    ),
    "hero_alt": "medicine production line, vials of blue liquid",
    "topics": ["medicines-manufacturing"],
    "contacts": ["karen-wilkinson"],
    "report": SEED_REPORT_SLUG,
    "is_featured": True,
    # {report_url} is filled in with the report page's address when loaded. The original
    # said "Please click here to view the report"; link text now says where it leads.
    "body": (
        "<p>UKRI set up the Medicines Manufacturing Challenge in 2017 to build the UK's "
        "ability to make medicines. By July 2021 it had invested £255 million in "
        "first-of-a-kind manufacturing technologies that bring new drugs and treatments to "
        "patients sooner, and that make the UK a leading place to develop, produce and "
        "deliver advanced therapies.</p>"
        "<p>The investment has driven innovation across medicines manufacturing: it has "
        "taken risk out of developing new technologies, paid for shared infrastructure and "
        "encouraged collaboration and fresh ideas throughout UK life sciences. Training "
        "places and apprenticeships are also growing the skills that the next generation of "
        "therapies will need.</p>"
        "<p>A strong medicines manufacturing sector needs a connected ecosystem. KTN supports "
        "it through the Medicines Manufacturing Challenge Community, which helps innovative "
        "organisations work together to advance the UK's capabilities.</p>"
        "<p>KTN continues to invest across the whole Medicines Manufacturing Challenge "
        "Community: forming partnerships, championing innovation and shaping what comes "
        "next.</p>"
        '<p><a href="{report_url}">Read the Medicines Manufacturing Challenge impact report</a></p>'
    ),
}

_OTHER_POST_ROWS = [
    (
        "Continuous manufacturing pilot line opens in Scotland",
        (2021, 9, 28),
        "medicines-manufacturing",
        "karen-wilkinson",
    ),
    (
        "Funding for cell and gene therapy scale-up",
        (2021, 8, 17),
        "medicines-manufacturing",
        "karen-wilkinson",
    ),
    ("Hydrogen clusters report shows where to start", (2021, 6, 3), "net-zero", "amir-haddad"),
    ("Heat pumps for food factories: competition opens", (2021, 11, 2), "net-zero", "amir-haddad"),
    ("Carbon capture partners sought for Teesside trial", (2022, 1, 19), "net-zero", "amir-haddad"),
    ("Vertical farming landscape published", (2021, 3, 22), "agri-food", "fiona-macleod"),
    (
        "Robotics for soft fruit picking: meet the winners",
        (2021, 7, 12),
        "agri-food",
        "fiona-macleod",
    ),
    ("Alternative proteins networking day", (2022, 3, 9), "agri-food", "fiona-macleod"),
    ("Trustworthy AI case studies released", (2022, 2, 8), "digital-and-ai", "priya-natarajan"),
    (
        "Data sharing in supply chains: new guide",
        (2021, 12, 1),
        "digital-and-ai",
        "priya-natarajan",
    ),
    ("Earth observation for farmers: funding call", (2021, 5, 18), "space", "priya-natarajan"),
    ("Small satellite launch services briefing", (2022, 4, 26), "space", "priya-natarajan"),
    ("Quantum computing readiness workshops", (2021, 4, 14), "digital-and-ai", "priya-natarajan"),
]

_REPORT_FOR_POST = {
    "Hydrogen clusters report shows where to start": "hydrogen-in-industrial-clusters",
    "Vertical farming landscape published": "vertical-farming-landscape",
    "Trustworthy AI case studies released": "trustworthy-ai-in-practice",
}


def _other_post(title, date, topic, contact):
    from django.utils.text import slugify

    return {
        "title": title,
        "slug": slugify(title),
        "publish_at": (*date, 10, 0),
        "standfirst": f"{title}: what it means for businesses and researchers, and how to get involved.",
        "hero_alt": "",
        "topics": [topic],
        "contacts": [contact],
        "report": _REPORT_FOR_POST.get(title),
        "is_featured": False,
        "body": (
            f"<p>{title}. This post is part of the demo content, written to show how the site "
            "lists, filters and links news across areas of interest.</p>"
            "<h2>How to get involved</h2>"
            "<ul><li>Read the details and eligibility.</li>"
            "<li>Talk to the named contact below before you apply.</li></ul>"
        ),
    }


# Two posts that stress a phone's narrow screen: words that cannot break, and a table wider
# than the page (tests/browser/test_phones.py checks that neither scrolls the page sideways).
LONG_WORD_POST_SLUG = "naming-the-molecules-of-continuous-manufacturing"
WIDE_TABLE_POST_SLUG = "funding-awarded-by-region-and-year"

_LONG_WORD_POST = {
    **_other_post(
        "Naming the molecules of continuous manufacturing",
        (2021, 10, 20),
        "medicines-manufacturing",
        "karen-wilkinson",
    ),
    "slug": LONG_WORD_POST_SLUG,
    "standfirst": (
        "Chemists on the pilot line write names such as "
        "methylenedioxymethamphetaminehydrochloridemonohydrate without a pause: "
        "here is how we keep them readable."
    ),
    "body": (
        "<p>Systematic names are long, and so are the addresses of the data sets behind "
        "them, such as https://data.example.org/medicines-manufacturing/continuous-processing/"
        "pilot-line-results-2021-q3-full-export-with-every-batch-record.csv.</p>"
        "<p>Dimethylaminopropylethylcarbodiimidehydrochloridehydroxybenzotriazole is one "
        "reagent pair used on the line, written as one word in the batch records.</p>"
    ),
}

_WIDE_TABLE_POST = {
    **_other_post(
        "Funding awarded by region and year",
        (2022, 1, 5),
        "net-zero",
        "amir-haddad",
    ),
    "slug": WIDE_TABLE_POST_SLUG,
    "standfirst": "Where the Net Zero competitions' funding went, region by region, since 2017.",
    "body": (
        "<p>The table shows funding awarded in each financial year, in millions of pounds.</p>"
        "<table><caption>Funding awarded by region (£ million)</caption>"
        '<thead><tr><th scope="col">Region</th>'
        + "".join(f'<th scope="col">{year}–{year - 1999}</th>' for year in range(2017, 2025))
        + "</tr></thead><tbody>"
        + "".join(
            f'<tr><th scope="row">{region}</th>'
            + "".join(f"<td>{(n * 7 + year) % 23 + 1}.{year % 10}</td>" for year in range(8))
            + "</tr>"
            for n, region in enumerate(
                [
                    "North East England",
                    "Yorkshire and the Humber",
                    "Scotland",
                    "Wales",
                    "Northern Ireland",
                    "South West England",
                ]
            )
        )
        + "</tbody></table>"
    ),
}

OTHER_POSTS = [_other_post(*row) for row in _OTHER_POST_ROWS] + [_LONG_WORD_POST, _WIDE_TABLE_POST]

# Who readers ask for each demo report in another format ("Request an accessible format").
ACCESSIBLE_FORMAT_CONTACTS = {
    SEED_REPORT_SLUG: "karen-wilkinson",
    "hydrogen-in-industrial-clusters": "amir-haddad",
    "vertical-farming-landscape": "fiona-macleod",
    "trustworthy-ai-in-practice": "priya-natarajan",
}
