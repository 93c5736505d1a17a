"""A second pair of eyes: submit for review, approve or send back, with a record of who checked what."""
