"""crmdesk: a desktop contact manager for small-business owners."""

__version__ = "0.1.0"
