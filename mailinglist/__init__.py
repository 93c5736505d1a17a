"""The mailing list: double opt-in subscribers and their areas of interest."""
