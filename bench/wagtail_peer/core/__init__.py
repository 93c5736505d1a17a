"""Snippets (topics, contacts), the report document model and the small views around them."""
