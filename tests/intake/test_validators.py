import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from intake.validators import validate_birth_date


def test_a_birth_date_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationError, match="toekomst"):
        validate_birth_date(timezone.localdate() + dt.timedelta(days=1))


def test_a_birth_date_before_1900_is_refused() -> None:
    with pytest.raises(ValidationError, match="1900"):
        validate_birth_date(dt.date(1899, 12, 31))


@pytest.mark.parametrize("born", [dt.date(1900, 1, 1), dt.date(1985, 6, 15)])
def test_ordinary_birth_dates_and_today_are_accepted(born: dt.date) -> None:
    validate_birth_date(born)
    validate_birth_date(timezone.localdate())
