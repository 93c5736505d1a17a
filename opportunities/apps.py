"""App configuration for funding opportunities: what an opportunity is to the site, said once."""

from datetime import timedelta

from django.apps import AppConfig


def check_apply_links_job():
    from opportunities.linkcheck import apply_links_check

    return apply_links_check()


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = "funding opportunities"

    def ready(self):
        from django.db.models import Max

        from opportunities import dashboard
        from opportunities.models import Opportunity
        from publishing.registry import SearchSpec, SitemapSpec, declare_content_type
        from scheduling import register_job

        register_job(
            "check_apply_links",
            check_apply_links_job,
            every=timedelta(hours=6),
            at=timedelta(minutes=41),
            description="Checks that open and upcoming opportunities' apply links answer; "
            "broken ones are flagged to editors.",
        )

        # Links, front-cache purges (its list and its topics' hubs and feeds), search,
        # sitemap and "new opportunity" alerts to subscribers of its topics.
        declare_content_type(
            Opportunity,
            kind="opportunity",
            label="Funding opportunity",
            plural_label="Funding",
            view_name="opportunities:detail",
            index_view_name="opportunities:index",
            list_key="opportunities",
            topics_field="topics",
            search=SearchSpec(
                text_fields=("standfirst", "funder", "eligibility", "body"),
                html_fields=("body",),
                word_fields=("title", "standfirst"),
            ),
            sitemap=SitemapSpec(
                changefreq="weekly",
                items=lambda: (
                    Opportunity.objects.live()
                    .only("slug", "publish_at")
                    .order_by("-publish_at", "-pk")
                ),
                lastmod=lambda opportunity: opportunity.publish_at,
                index_lastmod=lambda: Opportunity.objects.live().aggregate(last=Max("publish_at"))[
                    "last"
                ],
            ),
            alerts=True,
            order=40,
        )
        dashboard.register()
