"""Benchmark: a 24-megapixel photo through the image library, from upload to the reader's screen.

Run: .venv/bin/python bench/images.py   (needs nothing set up: it makes a throwaway SQLite
database and media folder; Chromium, if installed, measures what readers download.)

Prints, for a 24-megapixel JPEG drawn with Pillow:
- the admin's upload-to-response time (checked by content without decoding, stored as it came
  where no page links it; stripping and renditions are only queued, on the database task
  queue production uses),
- the time the queued task then takes until the image is stripped and its renditions exist
  (one worker, idle queue),
- the bytes of each rendition,
- the bytes of the article's largest contentful image in Chromium at 360 px (a phone, 2x
  pixels) and 1280 px (a laptop, 1x), before and after the renditions exist.
Figures only; nothing here asserts a time.
"""

import argparse
import io
import os
import shutil
import statistics
import time

from _sandbox import django_sandbox

WORK = django_sandbox("images", DJANGO_TASKS_BACKEND="django_tasks_db.DatabaseBackend")

from django.contrib.auth.models import User  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image as PILImage  # noqa: E402

from ktnsite.demo.files import make_hero_image  # noqa: E402
from library.models import Image  # noqa: E402
from news.models import Post  # noqa: E402
from publishing.models import Status  # noqa: E402
from tests.browser.chromium import LAUNCH_ARGS, chromium_path  # noqa: E402

UPLOADS = 3
WIDTH, HEIGHT = 6000, 4000


def photo_bytes():
    """A 24-megapixel JPEG with texture at every scale (blotches and grain), so it compresses
    more like a photo than like a flat drawing, at full size and when scaled down."""
    drawn = PILImage.open(io.BytesIO(make_hero_image(WIDTH, HEIGHT)))
    blotches = PILImage.merge(
        "RGB", [PILImage.effect_noise((WIDTH // 40, HEIGHT // 40), 60) for _ in range(3)]
    ).resize((WIDTH, HEIGHT), PILImage.BICUBIC)
    grain = PILImage.effect_noise((WIDTH, HEIGHT), 30).convert("RGB")
    textured = PILImage.blend(PILImage.blend(drawn, blotches, 0.35), grain, 0.1)
    out = io.BytesIO()
    textured.save(out, "JPEG", quality=88)
    return out.getvalue()


def run_worker():
    with open(os.devnull, "w") as quiet:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=quiet)


def lcp_bytes(base_url, path):
    """{viewport: (bytes of the LCP image, its address)} measured in Chromium, or None."""
    executable = chromium_path()
    if executable is None:
        return None
    from playwright.sync_api import sync_playwright

    script = """() => new Promise((resolve) => {
        new PerformanceObserver((list) => {
            const entries = list.getEntries();
            const last = entries[entries.length - 1];
            const timing = performance.getEntriesByName(last.url)[0];
            resolve([timing ? timing.encodedBodySize : -1, last.url]);
        }).observe({type: 'largest-contentful-paint', buffered: true});
    })"""
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        for label, width, height, scale in [
            ("360 px, 2x", 360, 740, 2),
            ("1280 px, 1x", 1280, 800, 1),
        ]:
            context = browser.new_context(
                viewport={"width": width, "height": height}, device_scale_factor=scale
            )
            page = context.new_page()
            page.goto(base_url + path, wait_until="networkidle")
            # A 24-megapixel original takes a while to decode and paint: wait for it, or the
            # headline would still be the largest thing painted.
            page.evaluate("() => document.querySelector('.article__hero img').decode()")
            page.wait_for_timeout(500)
            results[label] = page.evaluate(script)
            context.close()
        browser.close()
    return results


def main():
    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0, stdout=quiet)
    client = Client()
    client.force_login(User.objects.create_superuser("bench", "bench@example.org", None))
    data = photo_bytes()
    print(f"upload: {WIDTH}x{HEIGHT} JPEG, {len(data) / 1048576:.1f} MB; {UPLOADS} uploads")

    responses, tasks = [], []
    for n in range(UPLOADS):
        upload = SimpleUploadedFile(f"photo-{n}.jpg", data, "image/jpeg")
        started = time.perf_counter()
        response = client.post(
            reverse("admin:library_image_add"), {"file": upload, "alt": "A production line"}
        )
        responses.append(time.perf_counter() - started)
        assert response.status_code == 302, response.content[:500]
        image = Image.objects.latest("pk")
        assert not image.sources  # the response did not wait for them
        started = time.perf_counter()
        run_worker()
        tasks.append(time.perf_counter() - started)
        image.refresh_from_db()
        assert image.sources, "the task made no renditions"
    print(
        f"admin upload-to-response: median {statistics.median(responses) * 1000:.0f} ms "
        f"(runs: {', '.join(f'{t * 1000:.0f}' for t in responses)} ms)"
    )
    print(
        f"queued task until renditions exist: median {statistics.median(tasks) * 1000:.0f} ms "
        f"(runs: {', '.join(f'{t * 1000:.0f}' for t in tasks)} ms)"
    )
    storage = image.storage
    print(f"stored original (metadata stripped): {storage.size(image.file.name):,} bytes")
    for source in image.sources:
        print(
            f"  {source['w']:>5} x {source['h']:<5} webp {storage.size(source['webp']):>9,} B"
            f"   jpeg {source['fallback_bytes']:>9,} B"
        )
    share = image.current_renditions["share"]
    print(f"  share card {share['w']} x {share['h']}: {share['bytes']:,} B")

    with_renditions = Post.objects.create(
        title="With renditions", slug="with-renditions", standfirst="s",
        status=Status.PUBLISHED, publish_at=timezone.now(), hero_image=image,
    )  # fmt: skip
    fresh = Image.objects.create(
        title="Not yet cut", file=image.file.name, width=image.width, height=image.height,
        alt="A production line",
    )  # fmt: skip
    without = Post.objects.create(
        title="Without renditions", slug="without-renditions", standfirst="s",
        status=Status.PUBLISHED, publish_at=timezone.now(), hero_image=fresh,
    )  # fmt: skip

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    base = f"http://127.0.0.1:{server.port}"
    for title, post in [("before renditions", without), ("after renditions", with_renditions)]:
        measured = lcp_bytes(base, post.get_absolute_url())
        if measured is None:
            print("Chromium not found: no largest-contentful-image figures")
            break
        for viewport, (size, url) in measured.items():
            print(f"article LCP image {title}, {viewport}: {size:,} B ({url.rsplit('/', 1)[-1]})")
    server.terminate()
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    # No options; --help says what the script measures instead of running it.
    argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    ).parse_args()
    main()
