"""Caching of public pages: the in-app page cache, surrogate keys, and purging front caches (Varnish, CDNs) after a change."""
