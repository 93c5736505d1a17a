"""Demo content: the 14/10/2021 impact-report post and enough around it to explore the site."""
