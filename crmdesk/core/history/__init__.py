"""History: interactions, last contact, the History view's queries, timelines."""
