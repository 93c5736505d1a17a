"""Settings for bench/counter_throughput.py only: the site's own, with the page-view counter's
rate limit per address lifted, so every request from the one load client is counted (what
many readers at once cost), not refused as a flood after the first 60 a minute."""

from ktnsite.settings import *  # noqa: F403

DASHBOARD_VIEW_RATE = "100000000/m"
