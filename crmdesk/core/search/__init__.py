"""The full-text index and the short-fragment path; knows nothing of fields or lookups."""
