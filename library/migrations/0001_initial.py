"""The image library becomes an app of its own: its models move here from publishing.

The tables keep their names (each model's db_table), so the database is not touched: the models
are created in this app's state only and deleted from publishing's state only
(publishing 0005). The content types move with them, so every permission granted on them
(the Editors group's, anyone's own), every admin log entry and every version keeps pointing
at the same models.
"""

import django.core.validators
import django.db.models.deletion
import library.images
from django.conf import settings
from django.db import migrations, models

MODELS = ["image", "tag", "bodyimage"]


def content_types_move(apps, schema_editor, old="publishing", new="library"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        moving = ContentType.objects.filter(app_label=old, model=model).first()
        if moving is None:
            continue  # a fresh database: Django makes the content types after migrating
        # One made meanwhile under the new label holds nothing worth keeping (permissions are
        # only ever granted on the old one, which carries them across).
        ContentType.objects.filter(app_label=new, model=model).delete()
        moving.app_label = new
        moving.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def content_types_back(apps, schema_editor):
    content_types_move(apps, schema_editor, old="library", new="publishing")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('publishing', '0004_working_copy'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Tag',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=60, unique=True)),
                    ],
                    options={
                        'db_table': 'publishing_tag',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Image',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(blank=True, help_text="For finding it in the library; readers never see it. Left empty, the file's name is used.", max_length=200)),
                        ('file', library.images.CheckedImageField(help_text='JPEG, PNG, WebP or GIF, up to 10 MB. Wide pictures (1600 px or more) look best.', max_length=255, upload_to='images/%Y/')),
                        ('width', models.PositiveIntegerField(editable=False, null=True)),
                        ('height', models.PositiveIntegerField(editable=False, null=True)),
                        ('alt', models.CharField(blank=True, help_text='Describe the picture for someone who cannot see it.', max_length=250, verbose_name='alt text')),
                        ('decorative', models.BooleanField(default=False, help_text='Tick only if the picture adds nothing to the page; it then has no alt text.', verbose_name='decorative')),
                        ('caption', models.CharField(blank=True, max_length=300)),
                        ('credit', models.CharField(blank=True, help_text='Who took or owns it, e.g. “Photo: Jo Bloggs”.', max_length=200)),
                        ('focal_x', models.PositiveSmallIntegerField(blank=True, help_text='0 to 100. Crops (the share card) keep this point in view.', null=True, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='focal point across (%)')),
                        ('focal_y', models.PositiveSmallIntegerField(blank=True, help_text='0 to 100. Crops (the share card) keep this point in view.', null=True, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='focal point down (%)')),
                        ('renditions', models.JSONField(blank=True, default=dict, editable=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('tags', models.ManyToManyField(blank=True, related_name='images', to='library.tag')),
                    ],
                    options={
                        'db_table': 'publishing_image',
                        'ordering': ['-created_at', '-pk'],
                        'get_latest_by': 'created_at',
                    },
                ),
                migrations.CreateModel(
                    name='BodyImage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                        ('image', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='body_uses', to='library.image')),
                    ],
                    options={
                        'db_table': 'publishing_bodyimage',
                        'verbose_name': 'use in a text',
                        'indexes': [models.Index(fields=['content_type', 'object_id'], name='publishing__content_5637f6_idx')],
                        'constraints': [models.UniqueConstraint(fields=('image', 'content_type', 'object_id'), name='publishing_bodyimage_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move, content_types_back),
    ]
