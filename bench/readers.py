"""Benchmark: what a reader gets on every public page type at 360 and 1280 px (axe, Nu checker, overflow, tap targets, bytes).

    .venv/bin/python bench/readers.py            # a fresh SQLite database with the demo content
    VNU_JAR=/path/to/vnu.jar .venv/bin/python bench/readers.py

It migrates a temporary SQLite database, loads the demo content, serves the site on
loopback (as the browser tests do) and opens each page in the system Chromium at 360 x 740
and 1280 x 800. Per page and width it prints:

- axe: axe-core violations (axe-playwright-python);
- nu: errors from the Nu HTML Checker (vnu.jar, run once over every page as served; found
  at $VNU_JAR or ~/.cache/ktnsite-vnu/node_modules/vnu-jar/build/dist/vnu.jar, which
  `npm install --prefix ~/.cache/ktnsite-vnu vnu-jar` puts there; needs java);
- overflow: how far the page scrolls sideways, in px (0 is the goal);
- tap: the smallest tap target on screen, width or height in px, and which it is. Links
  inside a sentence are left out, as WCAG 2.5.8's inline exception allows;
- bytes: HTML + CSS + JS as served, uncompressed and gzipped (images and fonts not counted).

Goals (issue 15): 0 axe, 0 nu, 0 overflow, tap >= 24, the article <= 30 KB. It prints
figures and asserts nothing.
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="bench-readers-"))
os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH / 'db.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-readers-not-secret")
os.environ["DJANGO_ALLOWED_HOSTS"] = "localhost,127.0.0.1"
os.environ["DJANGO_TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ["DJANGO_SERVE_MEDIA"] = "1"
os.environ["MEDIA_ROOT"] = str(SCRATCH / "media")
os.environ.setdefault(
    "DJANGO_STATIC_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop, ORM calls
warnings.filterwarnings("ignore", "No directory at")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402

from ktnsite.demo.content import (  # noqa: E402
    LONG_WORD_POST_SLUG,
    SEED_POST_SLUG,
    SEED_REPORT_SLUG,
    WIDE_TABLE_POST_SLUG,
)

PAGES = [
    ("home", "/"),
    ("news list", "/news/"),
    ("news archive", "/news/archive/2021/"),
    ("article (seed)", f"/news/{SEED_POST_SLUG}/"),
    ("article (long words)", f"/news/{LONG_WORD_POST_SLUG}/"),
    ("article (wide table)", f"/news/{WIDE_TABLE_POST_SLUG}/"),
    ("report list", "/reports/"),
    ("report", f"/reports/{SEED_REPORT_SLUG}/"),
    ("contacts", "/contacts/"),
    ("contact", "/contacts/karen-wilkinson/"),
    ("topic hub", "/topics/medicines-manufacturing/"),
    ("search", "/search/?q=manufacturing"),
    ("mailing list", "/mailing-list/?topic=net-zero"),
    ("privacy notice", "/privacy/"),
    ("accessibility", "/accessibility/"),
    ("cookies", "/cookies/"),
    ("news, oldest page", "/news/?page=last"),
    ("check your email", "/mailing-list/check-your-email/"),
    ("enquiry thanks", "/contacts/karen-wilkinson/thanks/"),
    ("broken email link", "/mailing-list/confirm/?token=nonsense"),
    ("not found", "/news/no-such-page/"),
]


def _pages_made_here():
    """Page types that need a row of their own: an emailed link's pages and a gone lead's."""
    from contacts.models import Contact
    from mailinglist.models import Subscriber
    from mailinglist.tokens import PREFERENCES, UNSUBSCRIBE, token_url
    from publishing.models import published_fields
    from topics.models import Topic

    reader = Subscriber.objects.create(
        email="bench-reader@example.org", consent_text="Yes.", state="confirmed"
    )
    gone = Contact.objects.create(
        name="Former Lead",
        slug="former-lead",
        email="former@example.org",
        is_active=False,
        **published_fields(),
    )
    gone.topics.set(Topic.objects.filter(slug="medicines-manufacturing"))
    return [
        ("preferences", token_url(reader, PREFERENCES, absolute=False)),
        ("unsubscribe", token_url(reader, UNSUBSCRIBE, absolute=False)),
        ("moved-on lead (410)", gone.get_absolute_url()),
    ]


WIDTHS = [(360, 740), (1280, 800)]

# Every focusable or clickable control on screen, but links inside running text (WCAG
# 2.5.8's inline exception: their size is set by the sentence's line height).
SMALLEST_TARGET = """() => {
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex="0"]');
  let smallest = null;
  for (const el of controls) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || r.right <= 0 || r.left >= innerWidth) continue;
    if (el.closest('[aria-hidden="true"]')) continue;
    if (getComputedStyle(el).display === 'inline' && el.tagName === 'A') {
      let block = el.parentElement;
      while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
      const own = el.textContent.trim().length;
      if (block && block.textContent.trim().length > own + 3) continue;  // in a sentence
    }
    const size = Math.min(r.width, r.height);
    if (!smallest || size < smallest.size) {
      const name = (el.textContent || el.getAttribute('aria-label') || el.name || el.type || '').trim();
      smallest = {size: Math.round(size * 10) / 10, what: el.tagName.toLowerCase() + ' "' + name.slice(0, 30) + '"'};
    }
  }
  return smallest;
}"""


def _vnu_jar():
    candidates = [
        os.environ.get("VNU_JAR"),
        Path.home() / ".cache/ktnsite-vnu/node_modules/vnu-jar/build/dist/vnu.jar",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return str(candidate)
    return None


def _nu_errors(files):
    """{file name: number of errors} from one run of the Nu HTML Checker over every file."""
    jar, java = _vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        return None
    # Our own page files and a jar the operator installed: nothing here comes from a reader.
    result = subprocess.run(  # noqa: S603
        [java, "-jar", jar, "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    counts = {Path(f).name: 0 for f in files}
    details = {}
    for message in json.loads(result.stderr or result.stdout)["messages"]:
        if message.get("type") == "error":
            name = message["url"].rsplit("/", 1)[-1]
            counts[name] += 1
            details.setdefault(name, []).append(message["message"])
    return counts, details


def main():
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    PAGES.extend(_pages_made_here())
    server = LiveServerThread("localhost", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://localhost:{server.port}"

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        sys.exit("Chromium is not installed (apt-get install chromium).")
    axe = Axe()
    rows, html_files = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for width, height in WIDTHS:
            for label, path in PAGES:
                # A fresh context per page: nothing comes from the browser's cache, so every
                # page's own HTML, CSS and JS are counted.
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                responses = []
                page.on("response", lambda response, seen=responses: seen.append(response))
                page.goto(base + path, wait_until="load")
                served = {"document": b"", "css+js": b""}
                for response in responses:
                    kind = response.request.resource_type
                    if kind == "document" and not served["document"]:
                        served["document"] = response.body()
                    elif kind in ("stylesheet", "script"):
                        served["css+js"] += response.body()
                if width == WIDTHS[0][0]:
                    name = f"{len(html_files):02d}.html"
                    (SCRATCH / name).write_bytes(served["document"])
                    html_files.append(SCRATCH / name)
                total = served["document"] + served["css+js"]
                rows.append(
                    {
                        "page": label,
                        "path": path,
                        "width": width,
                        "axe": axe.run(page).violations_count,
                        "overflow": page.evaluate(
                            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                        ),
                        "tap": page.evaluate(SMALLEST_TARGET),
                        "bytes": len(total),
                        "gzip": len(gzip.compress(served["document"]))
                        + len(gzip.compress(served["css+js"])),
                        "html": len(served["document"]),
                    }
                )
                context.close()
        browser.close()
    server.terminate()

    nu = _nu_errors(html_files)
    nu_counts, nu_details = nu if nu else ({}, {})
    by_path = {path: f"{n:02d}.html" for n, (_label, path) in enumerate(PAGES)}
    print(f"{'page':22} {'px':>5} {'axe':>4} {'nu':>4} {'overflow':>9} {'tap':>6}  "
          f"{'HTML+CSS+JS':>12} {'gzipped':>8}  smallest target")  # fmt: skip
    for row in rows:
        nu_count = nu_counts.get(by_path[row["path"]], "n/a") if nu else "n/a"
        tap = row["tap"] or {"size": "-", "what": ""}
        print(
            f"{row['page']:22} {row['width']:>5} {row['axe']:>4} {nu_count!s:>4} "
            f"{row['overflow']:>9} {tap['size']!s:>6}  {row['bytes'] / 1024:>9.1f} KB "
            f"{row['gzip'] / 1024:>5.1f} KB  {tap['what']}"
        )
    if not nu:
        print("\nNu checker not run: install java and vnu-jar (see this script's docstring).")
    for name, messages in sorted(nu_details.items()):
        page = next(label for label, path in PAGES if by_path[path] == name)
        for message in messages:
            print(f"nu error on {page}: {message}")
    worst = max(rows, key=lambda r: r["overflow"])
    smallest = min((r for r in rows if r["tap"]), key=lambda r: r["tap"]["size"])
    article = max(r["bytes"] for r in rows if r["path"] == f"/news/{SEED_POST_SLUG}/")
    print(
        f"\nTotals: axe {sum(r['axe'] for r in rows)}, "
        f"nu {sum(nu_counts.values()) if nu else 'n/a'}, "
        f"largest overflow {worst['overflow']} px, smallest tap target "
        f"{smallest['tap']['size']} px ({smallest['page']} at {smallest['width']}), "
        f"seed article {article / 1024:.1f} KB HTML+CSS+JS"
    )
    shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    # No options; --help says what the script measures instead of running it.
    argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    ).parse_args()
    main()
