"""Helpers for the intake pages' tests (make_intake is in tests/conftest.py)."""

from intake.models import Intake

CANARY_NAME = "Canary Zwaluwstaart"
CANARY_NOTE = "CANARY-NOTE-7f3a"


def form_data(intake: Intake, **domains: tuple) -> dict[str, str]:
    """POST data for the assessment form: every domain "niet besproken" unless given.

    domains: code=(score, help_need, notes) with score "" for niet besproken.
    """
    data = {"version": str(intake.version)}
    for code in intake.instrument.domain_codes:
        score, help_need, notes = domains.get(code, ("", "unknown", ""))
        data[f"{code}-score"] = str(score)
        data[f"{code}-help_need"] = help_need
        data[f"{code}-notes"] = notes
    return data
