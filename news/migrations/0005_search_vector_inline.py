"""Keep each post's search vector inside its row, so matching a post needs no TOAST lookup."""

from django.db import migrations

from publishing.search import search_vector_inline_operation


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_post_editorial"),
    ]

    operations = [
        search_vector_inline_operation("news_post"),
    ]
