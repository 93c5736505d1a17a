"""Topics ("areas of interest"): the vocabulary shared by news, reports, contacts and the mailing list."""
