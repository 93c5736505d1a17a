"""What an opportunity's page tells search engines: a schema.org MonetaryGrant with its funder, amount and dates."""

from opportunities.deadlines import london
from publishing.sharing import absolute_url, publisher


def opportunity_json_ld(opportunity):
    """schema.org MonetaryGrant; the application window as an ApplyAction's start and end."""
    data = {
        "@context": "https://schema.org",
        "@type": "MonetaryGrant",
        "name": opportunity.title,
        "description": opportunity.standfirst,
        "url": absolute_url(opportunity.get_absolute_url()),
        "funder": {"@type": "Organization", "name": opportunity.funder},
        "publisher": publisher(),
        "inLanguage": "en-GB",
        "about": [topic.name for topic in opportunity.topics.all()],
    }
    amount = opportunity.award_max or opportunity.total_pot
    if amount:
        data["amount"] = {"@type": "MonetaryAmount", "currency": "GBP", "maxValue": amount}
    action = {
        "@type": "ApplyAction",
        "startTime": london(opportunity.opens_at).isoformat(),
        "endTime": london(opportunity.closes_at).isoformat(),
    }
    if opportunity.apply_url and not opportunity.is_closed:
        action["target"] = opportunity.apply_url
    data["potentialAction"] = action
    return data
