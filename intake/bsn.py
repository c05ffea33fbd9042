"""The Dutch citizen service number (BSN) and its 11-proef.

A BSN has nine digits; an eight-digit number is the same BSN with a leading
zero dropped. Valid when sum(digit_i * weight_i) with weights 9..2 and -1 for
the last digit is divisible by 11 and not 0.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def normalise_bsn(value: str) -> str:
    """Digits only (spaces, dots and dashes removed), padded to nine with a leading zero."""
    digits = "".join(ch for ch in str(value) if ch not in " .-")
    if len(digits) == 8 and digits.isdigit():
        return "0" + digits
    return digits


def passes_elfproef(value: str) -> bool:
    """True for a nine-digit string that passes the 11-proef (and is not all zeros)."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, WEIGHTS, strict=True))
    return total != 0 and total % 11 == 0


def validate_bsn(value: str) -> None:
    """Model/form validator. The message never repeats the number (it is personal data)."""
    if not passes_elfproef(normalise_bsn(value)):
        raise ValidationError(
            _("Dit is geen geldig BSN: een BSN heeft 9 cijfers en moet voldoen aan de 11-proef."),
            code="invalid_bsn",
        )
