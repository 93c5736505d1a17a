"""Events: webinars, briefings and workshops, published like posts, with calendar files."""
