"""The Editors group, with the permissions listed in ktnsite.roles."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
        ("publishing", "0001_initial"),
        ("topics", "0001_initial"),
        ("contacts", "0004_contact_photo_checks"),
        ("reports", "0005_report_cover_and_publish_permission"),
        ("mailinglist", "0001_initial"),
        ("news", "0004_post_editorial"),
    ]

    operations = [migrations.RunPython(editors_group_sync, migrations.RunPython.noop)]
