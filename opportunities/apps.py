"""App configuration for funding opportunities."""

from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = "funding opportunities"

    def ready(self):
        from opportunities.models import Opportunity
        from publishing.links import register_link_kind

        # Body links to opportunities are found by the link chooser and checked before publishing.
        register_link_kind(
            "opportunity",
            label="Opportunity",
            model=Opportunity,
            view_name="opportunities:detail",
            visible=Opportunity.objects.live,
        )
