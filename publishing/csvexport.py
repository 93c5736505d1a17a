"""CSV exports from the admin: cells a spreadsheet will never run as a formula."""


def csv_cell(value):
    """Neutralise spreadsheet formulas: "=cmd@example.org" is a valid address."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
