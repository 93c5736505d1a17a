"""Fixtures of the news tests: a WordPress export with its uploads folder."""

import pytest

from ktnsite.demo.files import make_hero_image, make_pdf
from tests.news.wordpress_export import export_items, png, write_export


@pytest.fixture
def wordpress(tmp_path):
    """An export and a copy of its uploads folder (one image is missing from it)."""
    uploads = tmp_path / "uploads"
    folder = uploads / "2021" / "10"
    folder.mkdir(parents=True)
    (folder / "hero.jpg").write_bytes(make_hero_image())
    (folder / "chart.png").write_bytes(png())
    (folder / "chart-300x200.png").write_bytes(png(300, 200))
    (folder / "impact-report.pdf").write_bytes(
        make_pdf([["Impact report", "Ten years of innovation."], ["Page two."]])
    )
    export = tmp_path / "export.xml"
    write_export(export, export_items())
    return export, uploads
