"""peersite: the Wagtail 8 peer of ktnsite's article, for the cold-render benchmark."""
