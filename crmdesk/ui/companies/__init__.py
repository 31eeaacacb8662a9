"""The Companies view: list and form."""
