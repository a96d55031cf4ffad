"""Expands the iCalendar file named on the command line with icalendar and
recurring_ical_events, and prints the start of every occurrence, in UTC (RFC 3339), one
per line, in order."""

import sys
from datetime import datetime, timezone

import icalendar
import recurring_ical_events

with open(sys.argv[1], "rb") as file:
    calendar = icalendar.Calendar.from_ical(file.read())

occurrences = recurring_ical_events.of(calendar).between(
    datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc)
)
for start in sorted(event["DTSTART"].dt.astimezone(timezone.utc) for event in occurrences):
    print(start.strftime("%Y-%m-%dT%H:%M:%SZ"))
