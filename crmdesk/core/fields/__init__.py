"""Custom fields: types, values, keys, conditions; the one place to read and write them."""
