"""The Calendar view: day and week hour grids, a month, an agenda and a task list;
the activity dialog, clearing, and reminders while crmdesk runs."""
