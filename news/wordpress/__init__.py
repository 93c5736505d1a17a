"""Importing a WordPress export (manage.py import_wordpress): the export read safely
(wxr.py), bodies made plain HTML (body.py), uploads fetched (fetch.py) and kept (media.py),
bodies pointed at them (rewrite.py), posts, topics and redirects (importer.py), the report
(report.py)."""

from news.wordpress.importer import WordPressImport
from news.wordpress.media import FETCH_MAX_BYTES
from news.wordpress.report import ImportReport

__all__ = ["FETCH_MAX_BYTES", "ImportReport", "WordPressImport"]
