"""Reminders: the private iCalendar feed (and, later, notification delivery).

Builds what is sent from domain values; reads no database and no clock.
"""
