"""News: posts, their lists, article pages and feeds."""
