"""History: the view, its filters, the log dialog, timelines."""
