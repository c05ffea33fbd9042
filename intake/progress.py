"""What the form's domain navigation and the draft deadline show: derived, never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from intake.models import DRAFT_NOTICE_DAYS, HelpNeed, Intake
from minimisation.policy import POLICY

if TYPE_CHECKING:
    from intake.forms import AssessmentForm

LAST_WEEK_DAYS = DRAFT_NOTICE_DAYS


@dataclass(frozen=True)
class DomainProgress:
    code: str
    name: str
    scored: bool
    need: str  # a HelpNeed value
    has_error: bool

    @property
    def need_unknown(self) -> bool:
        return self.scored and self.need == HelpNeed.UNKNOWN


def domain_progress(intake: Intake, form: AssessmentForm) -> list[DomainProgress]:
    """Per domain: scored or not, its help need, and whether it has an error, as the form
    shows it now (the typed values after a failed save, the stored ones otherwise)."""
    rows = []
    for domain in intake.instrument.domains:
        code = domain.code
        score = form[f"{code}-score"].value()
        need = form[f"{code}-help_need"].value() or HelpNeed.UNKNOWN
        rows.append(
            DomainProgress(
                code=code,
                name=str(domain.name),
                scored=score not in (None, ""),
                need=str(need),
                has_error=any(name.startswith(f"{code}-") for name in form.errors),
            )
        )
    return rows


@dataclass(frozen=True)
class DraftExpiry:
    on: dt.date  # the day the sweep destroys the draft if it is not finalised
    days_left: int

    @property
    def last_week(self) -> bool:
        return self.days_left <= LAST_WEEK_DAYS

    @property
    def last_day(self) -> dt.date:
        return self.on - dt.timedelta(days=1)


def draft_expiry(intake: Intake, today: dt.date | None = None) -> DraftExpiry | None:
    """When this draft is destroyed if nobody finalises it (POLICY.draft_expires_on)."""
    if not intake.is_draft:
        return None
    today = today or timezone.localdate()
    on = POLICY.draft_expires_on(timezone.localdate(intake.created_at))
    return DraftExpiry(on=on, days_left=(on - today).days)
