"""The review log records every publication too: published, scheduled, unpublished."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_review"),
    ]

    operations = [
        migrations.AlterField(
            model_name="review",
            name="state",
            field=models.CharField(
                choices=[
                    ("in_review", "In review"),
                    ("approved", "Approved"),
                    ("sent_back", "Sent back"),
                    ("withdrawn", "Withdrawn"),
                    ("unreviewed", "Published without review"),
                    ("checked_after", "Published without review, checked since"),
                    ("expert_asked", "Expert asked"),
                    ("expert_agrees", "Expert: looks right"),
                    ("expert_changes", "Expert: needs changes"),
                    ("published", "Published"),
                    ("scheduled", "Scheduled"),
                    ("unpublished", "Unpublished"),
                    ("times_changed", "Publication times changed"),
                ],
                db_index=True,
                default="in_review",
                max_length=15,
            ),
        ),
    ]
