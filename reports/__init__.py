"""Reports: downloadable publications and their files."""
