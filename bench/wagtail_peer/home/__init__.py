"""The site's home page, the root of its page tree."""
