"""Funding opportunities: calls for applications with opening and closing times."""
