"""Calendar-month arithmetic: warranties and quotes are counted in months, not in 30-day blocks."""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months`` calendar months, clamped to the last day of a shorter month.

    A period in months ends on the same day of the month (2026-01-31 + 12 -> 2027-01-31); when that day does
    not exist the month's last day stands in (2024-02-29 + 12 -> 2025-02-28, 2026-01-31 + 1 -> 2026-02-28).
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))
