"""Benchmark manage.py import_wordpress: posts per second, peak memory, and the second run's time.

Run: .venv/bin/python bench/wordpress_import.py [--posts 10000] [--images 2000] [--reports 200]
     [--big-mb 200]
Makes a WXR export of that many posts (each with a featured image or body image from the
images, and a PDF link on some), a matching uploads folder, then imports it twice, each run
in a child process, and prints figures; nothing asserts a time. --big-mb also writes an export
of about that size (long bodies, no files) and dry-runs it, to show memory stays bounded.
Uses a temporary SQLite database unless DATABASE_URL is set (point that at a scratch database:
the import adds to it).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_PAGE_CACHE_SECONDS", "0")

PARAGRAPH = (
    "Innovation in medicines manufacturing brings new treatments to patients sooner, and "
    "the partners in this programme have shared what they learnt along the way. "
)


def child(export, media, dry_run):
    """Run one import in this process and print its time and peak memory as JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    start = time.perf_counter()
    args = [export, "--media", media] + (["--dry-run"] if dry_run else [])
    with open(os.devnull, "w") as sink:
        call_command("import_wordpress", *args, stdout=sink)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": usage.ru_maxrss / 1024}))


def run_import(env, export, media, dry_run=False):
    args = [sys.executable, __file__, "--child", str(export), str(media)]
    args += ["--dry-run"] if dry_run else []
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_files(uploads, images, reports):
    from ktnsite.demo.files import make_hero_image, make_pdf

    folder = uploads / "2020" / "05"
    folder.mkdir(parents=True)
    start = time.perf_counter()
    for n in range(images):
        (folder / f"photo-{n}.jpg").write_bytes(make_hero_image(800, 450, seed_offset=n))
    for n in range(reports):
        (folder / f"report-{n}.pdf").write_bytes(
            make_pdf([[f"Report {n}", PARAGRAPH * 4], [PARAGRAPH * 3]], title=f"Report {n}")
        )
    print(f"files: {images} images, {reports} PDFs in {time.perf_counter() - start:.1f} s")


def items(posts, images, reports, body_kb):
    from tests.factories import wxr_attachment, wxr_post

    paragraphs = max(1, body_kb * 1024 // (len(PARAGRAPH) * 3))
    text = "\n".join(f"<p>{PARAGRAPH * 3}</p>" for _ in range(paragraphs))
    for n in range(posts):
        body = text
        thumbnail = None
        if images:
            image = n % images
            if n < images:
                thumbnail = 100_000 + image  # each image a featured image once
            else:
                body = (
                    f'<p><img src="https://old.example.org/wp-content/uploads/2020/05/photo-'
                    f'{image}.jpg" alt="Photo {image}"></p>' + body
                )
        if reports and n % max(1, posts // reports) == 0:
            report = (n // max(1, posts // reports)) % reports
            body += (
                '<p>Read <a href="https://old.example.org/wp-content/uploads/2020/05/report-'
                f'{report}.pdf">the report</a>.</p>'
            )
        yield wxr_post(
            n + 1,
            f"News item {n + 1}",
            slug=f"news-item-{n + 1}",
            body=body,
            date_gmt=f"20{10 + n % 14}-0{1 + n % 9}-1{n % 9} 09:00:00",
            categories=[(f"topic-{n % 12}", f"Topic {n % 12}")],
            tags=[(f"tag-{n % 40}", f"Tag {n % 40}")],
            thumbnail_id=thumbnail,
        )
    for n in range(images):
        yield wxr_attachment(
            100_000 + n, f"2020/05/photo-{n}.jpg", title=f"Photo {n}", alt=f"Photo {n}"
        )
    for n in range(reports):
        yield wxr_attachment(200_000 + n, f"2020/05/report-{n}.pdf", title=f"Report {n}")


def write_export(path, *args):
    from tests.factories import write_wxr

    with open(path, "w", encoding="utf-8") as handle:
        write_wxr(handle, items(*args))
    return path.stat().st_size / 1024 / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--images", type=int, default=2_000)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--body-kb", type=int, default=3)
    parser.add_argument("--big-mb", type=int, default=0)
    parser.add_argument("--child", nargs=2)
    parser.add_argument("--dry-run", action="store_true")
    options = parser.parse_args()
    if options.child:
        return child(*options.child, options.dry_run)

    import django

    django.setup()
    folder = Path(tempfile.mkdtemp(prefix="bench-wordpress-"))
    env = {**os.environ, "MEDIA_ROOT": str(folder / "media")}
    env.setdefault("DATABASE_URL", f"sqlite:///{folder / 'db.sqlite3'}")
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True
    )
    uploads = folder / "uploads"
    write_files(uploads, options.images, options.reports)
    export = folder / "export.xml"
    size = write_export(export, options.posts, options.images, options.reports, options.body_kb)
    print(f"export: {options.posts} posts, {size:.1f} MB ({folder})")

    print(f"load average before the runs: {os.getloadavg()[0]:.1f} (CPU time is the fairer figure)")
    first = run_import(env, export, uploads)
    print(
        f"first run:  {first['seconds']:7.1f} s wall, {first['cpu']:7.1f} s CPU  "
        f"{options.posts / first['seconds']:6.0f} posts/s  peak memory {first['peak_mb']:.0f} MB"
    )
    second = run_import(env, export, uploads)
    print(
        f"second run: {second['seconds']:7.1f} s wall, {second['cpu']:7.1f} s CPU  "
        f"(nothing changed: every item skipped)  peak memory {second['peak_mb']:.0f} MB"
    )

    if options.big_mb:
        big = folder / "big.xml"
        posts = 10_000
        body_kb = max(1, options.big_mb * 1024 // posts)
        size = write_export(big, posts, 0, 0, body_kb)
        dry = run_import(env, big, uploads, dry_run=True)
        print(
            f"large export: {size:.0f} MB, {posts} posts, dry run {dry['seconds']:.1f} s wall, "
            f"{dry['cpu']:.1f} s CPU, "
            f"peak memory {dry['peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
