"""Posts' search vectors carry the month they are published in, for search's month windows."""

from django.db import migrations

from publishing.search import month_lexeme_operation


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0011_hero_image_from_library_app"),
    ]

    operations = [
        month_lexeme_operation(
            "news_post", [("title", "A"), ("standfirst", "B"), ("body", "C")], "publish_at"
        ),
    ]
