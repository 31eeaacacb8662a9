"""Custom fields: the field editor and the form sections for the user's fields."""
