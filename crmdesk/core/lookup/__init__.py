"""The lookup language: syntax, field registry, compiler, and query text to ordered ids."""
