"""Fixtures of the cache tests: the site-wide `content` fixture, shared with tests/ktnsite."""

from tests.ktnsite.conftest import content  # noqa: F401 - a fixture, found by name
