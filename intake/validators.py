"""Validators for resident data that are not about the BSN (see intake/bsn.py)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


def validate_birth_date(value: dt.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(
            _("De geboortedatum kan niet in de toekomst liggen."), code="birth_date_future"
        )
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _("De geboortedatum kan niet vóór 1 januari 1900 liggen."), code="birth_date_too_early"
        )
