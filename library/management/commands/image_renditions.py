"""image_renditions: process uploads whose task was lost and make the renditions the library
is missing (or all of them again)."""

from django.core.management.base import BaseCommand

from library.models import Image, ImageState
from library.services import image_process, image_renditions_make


class Command(BaseCommand):
    help = (
        "Process uploads still waiting for the worker, and make renditions for library images "
        "that have none for their current file, or no share card (pictures moved from the old "
        "fields, or whose task was lost)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every image's renditions.")

    def handle(self, *args, all=False, **options):
        processed = 0
        waiting = Image.objects.filter(state=ImageState.PROCESSING).only("pk", "file", "state")
        for image in waiting.iterator():
            if image_process(image_id=image.pk, name=image.file.name):
                processed += 1
        if processed:
            self.stdout.write(f"Processed {processed} upload(s).")
        made = 0
        ready = Image.objects.filter(state=ImageState.READY)
        for image in ready.only("pk", "file", "renditions", "state").iterator():
            missing = not image.current_renditions.get("share")
            if (all or missing) and image_renditions_make(image_id=image.pk, name=image.file.name):
                made += 1
        self.stdout.write(f"Made renditions for {made} image(s).")
