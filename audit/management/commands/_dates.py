"""Date arguments shared by the audit commands."""

import datetime as dt

from django.core.management.base import CommandError

from audit.export import start_of_day

__all__ = ["date_argument", "start_of_day"]


def date_argument(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option}: {value[:20]!r} is not an existing date (use YYYY-MM-DD).", returncode=2
        ) from None
