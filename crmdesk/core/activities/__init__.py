"""The calendar: activities (calls, meetings, to-dos) planned once or as series.

records.py writes them (one write path, ``Changes``), recurrence.py builds and
expands RFC 5545 rules in local time, listing.py reads what a range shows,
reminders.py says which reminders are due, yearly.py puts birthdays and other
dates that come back every year on the calendar.
"""
