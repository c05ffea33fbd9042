import pytest
from django.core.exceptions import ValidationError

from intake.bsn import normalise_bsn, passes_elfproef, validate_bsn


@pytest.mark.parametrize(
    "bsn",
    ["111222333", "123456782", "999999990", "012345672", "12345672"],
)
def test_known_valid_numbers_pass_the_elfproef(bsn: str) -> None:
    assert passes_elfproef(normalise_bsn(bsn))
    validate_bsn(bsn)


@pytest.mark.parametrize(
    "bsn",
    [
        "123456789",  # sum 165 - 9 ... not divisible by 11
        "111222334",  # one digit off a valid number
        "000000000",  # sum 0 is not allowed
        "010000008",  # sum 0 as well
        "12345678",  # 8 digits padded: 012345678 fails
        "1234567",  # too short
        "1234567890",  # too long
        "12345678a",
        "",
        "١٢٣٤٥٦٧٨٢",  # non-ASCII digits
    ],
)
def test_known_invalid_numbers_fail_the_elfproef(bsn: str) -> None:
    assert not passes_elfproef(normalise_bsn(bsn))
    with pytest.raises(ValidationError) as error:
        validate_bsn(bsn)
    assert "11-proef" in error.value.messages[0]


def test_an_eight_digit_bsn_gets_a_leading_zero() -> None:
    assert normalise_bsn("12345672") == "012345672"


def test_spaces_and_dots_are_ignored() -> None:
    assert normalise_bsn("1234.56.782") == "123456782"
    assert normalise_bsn("123 456 782") == "123456782"


def test_the_error_message_never_repeats_the_number() -> None:
    with pytest.raises(ValidationError) as error:
        validate_bsn("111222334")
    assert "111222334" not in " ".join(error.value.messages)
