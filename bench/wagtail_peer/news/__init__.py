"""News: the news index and the article pages (NewsPage)."""
