"""The system Chromium that browser tests and benchmarks drive: where it is and how it is started."""

import shutil

# Flags that work as root on a machine without a screen or network updates.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    """Debian's chromium on PATH (never a Playwright download), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")
