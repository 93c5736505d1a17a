"""App configuration for reports."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from django.db.models import Max

        from publishing.registry import SearchSpec, SitemapSpec, declare_content_type
        from reports.models import Report

        # What a report is to the site, said once (links, front cache, search, sitemap).
        declare_content_type(
            Report,
            kind="report",
            label="Report",
            plural_label="Reports",
            view_name="reports:detail",
            index_view_name="reports:index",
            list_key="reports",
            topics_field="topics",
            search=SearchSpec(
                text_fields=("summary", "extracted_text"),
                word_fields=("title", "summary"),
                # Ranked by title and summary only: the whole text's vector is large.
                rank_field="rank_vector",
            ),
            sitemap=SitemapSpec(
                changefreq="yearly",
                items=lambda: (
                    Report.objects.live().only("slug", "publish_at").order_by("-publish_at", "-pk")
                ),
                lastmod=lambda report: report.publish_at,
                index_lastmod=lambda: Report.objects.live().aggregate(last=Max("publish_at"))[
                    "last"
                ],
            ),
            order=20,
        )
