"""What a windowed search finds against what one search over all of each type finds."""

from django.db import connection

from ktnsite import search as site_search


def found(query, edges, kind=None, topic=None):
    """(kind, id, rank, date) of every match, best first, as the search page reads them."""
    sql, params = site_search._matches_sql(query, kind, topic, edges=edges)
    with site_search.planned_for_its_terms(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def unwindowed(query, kind=None, topic=None):
    """What the ORM's query over all of each type's matches finds (the SQLite path's query)."""
    querysets = site_search._querysets(site_search.clean_query(query), kind, topic)
    if kind:  # one type's newest matches, a sliced query: put in order here
        rows = sorted(querysets[0], key=site_search._best_first)
    else:
        rows = site_search._ordered(querysets)[: site_search.MAX_RESULTS]
    return [(r["kind"], r["item_id"], r["rank"], r["item_date"]) for r in rows]
