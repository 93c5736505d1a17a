"""A report's small vector, title and summary only, which search ranks by (PostgreSQL fills it)."""

import django.contrib.postgres.search
from django.db import migrations

from publishing.search import rank_vector_operation


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0010_cover_image_from_library_app"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        rank_vector_operation(
            "reports_report",
            [("title", "A"), ("summary", "B"), ("extracted_text", "C")],
            [("title", "A"), ("summary", "B")],
        ),
    ]
