"""Benchmark: how long checking and cutting an upload takes, and what the renditions weigh.

Run: DJANGO_SECRET_KEY=x .venv/bin/python scripts/bench_images.py
Prints figures only; nothing here asserts a time.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import FileSystemStorage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from ktnsite.demo.files import make_hero_image  # noqa: E402
from publishing.images import image_process, validate_image  # noqa: E402


class _StoredFile:
    """Just enough of a FieldFile for image_process: a name and a storage."""

    def __init__(self, storage, name):
        self.storage, self.name = storage, name


def _photo(width, height, fmt):
    if fmt == "JPEG":
        return make_hero_image(width, height)
    out = io.BytesIO()
    Image.effect_noise((width, height), 60).convert("RGB").save(out, fmt)
    return out.getvalue()


def main():
    with tempfile.TemporaryDirectory() as folder:
        storage = FileSystemStorage(location=folder)
        print(f"{'upload':<22}{'bytes':>10}{'validate ms':>13}{'process ms':>12}  renditions")
        for width, height, fmt in [
            (1600, 900, "JPEG"),
            (4000, 3000, "JPEG"),
            (6000, 4000, "JPEG"),
            (2000, 1200, "PNG"),
        ]:
            data = _photo(width, height, fmt)
            upload = SimpleUploadedFile("photo", data)
            start = time.perf_counter()
            validate_image(upload)
            validated = time.perf_counter()
            name = storage.save(f"bench/{width}x{height}.{fmt.lower()}", ContentFile(data))
            renditions = image_process(_StoredFile(storage, name))
            processed = time.perf_counter()
            sizes = ", ".join(
                f"{s['w']}w webp {storage.size(s['webp']) // 1024} KB / "
                f"{s['fallback'].rsplit('.', 1)[1]} {storage.size(s['fallback']) // 1024} KB"
                for s in renditions["sources"]
            )
            print(
                f"{f'{width}x{height} {fmt}':<22}{len(data):>10}"
                f"{(validated - start) * 1000:>13.0f}{(processed - validated) * 1000:>12.0f}  {sizes}"
            )


if __name__ == "__main__":
    main()
