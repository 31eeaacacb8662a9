"""The database file: opening it, its models and migrations, settings, raw reads."""
