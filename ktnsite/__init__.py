"""ktnsite: project configuration and the site-wide pages that gather every app."""
