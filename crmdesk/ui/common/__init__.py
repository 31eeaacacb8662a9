"""Widgets and helpers every view shares: forms, big lists, dialogs, errors."""
