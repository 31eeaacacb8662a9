"""Text typed by people: folding for search, collation, dates, numbers, validation."""
