"""What names an item, for that item's page: the posts announcing a report, the posts naming
a contact. The app that holds the link registers the query, so the app it points at need
not import it (news stands above reports and contacts: pyproject.toml's import contracts)."""

from collections.abc import Callable

# (model, name) -> the query; a model named by more than one type (an opportunity, by the
# posts on its topics and by the events about it) has one name per list on its page.
_QUERIES: dict[tuple[type, str], Callable] = {}
# model -> the content types whose rows name its items (their lists' keys go on its page).
_SOURCES: dict[type, list] = {}


def register_backlinks(model, query, *, source=None, name=""):
    """Called from an app's AppConfig.ready(): query(item) -> what names `item` (a QuerySet).

    `name` tells apart two lists on one page (`backlinks(item, "events")`); a page with one
    list leaves it empty.

    `source` is the model of the rows the query returns (a declared content type): the
    page of `item` then carries its list key (`backlink_keys`), so a new post naming a
    contact purges the contact's page.
    """
    _QUERIES[model, name] = query
    if source is not None:
        _SOURCES.setdefault(model, []).append(source)


def backlinks(item, name=""):
    """What names `item` and readers may see, or an empty list if nothing was registered."""
    query = _QUERIES.get((type(item), name))
    return query(item) if query else []


def backlink_keys(model):
    """The list keys of what names items of `model` (`["news"]` for a report), for its page."""
    from publishing.registry import list_key

    return [list_key(source) for source in _SOURCES.get(model, ())]
