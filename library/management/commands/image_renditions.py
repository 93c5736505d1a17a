"""image_renditions: make the renditions the library is missing (or all of them again)."""

from django.core.management.base import BaseCommand

from library.models import Image
from library.services import image_renditions_make


class Command(BaseCommand):
    help = (
        "Make renditions for library images that have none for their current file, or no "
        "share card (pictures moved from the old fields, or whose task was lost)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every image's renditions.")

    def handle(self, *args, all=False, **options):
        made = 0
        for image in Image.objects.only("pk", "file", "renditions").iterator():
            missing = not image.current_renditions.get("share")
            if (all or missing) and image_renditions_make(image_id=image.pk, name=image.file.name):
                made += 1
        self.stdout.write(f"Made renditions for {made} image(s).")
