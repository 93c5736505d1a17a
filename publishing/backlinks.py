"""What names an item, for that item's page: the posts announcing a report, the posts naming
a contact. The app that holds the link registers the query, so the app it points at need
not import it (news stands above reports and contacts: pyproject.toml's import contracts)."""

from collections.abc import Callable

_QUERIES: dict[type, Callable] = {}


def register_backlinks(model, query):
    """Called from an app's AppConfig.ready(): query(item) -> what names `item` (a QuerySet)."""
    _QUERIES[model] = query


def backlinks(item):
    """What names `item` and readers may see, or an empty list if nothing was registered."""
    query = _QUERIES.get(type(item))
    return query(item) if query else []
