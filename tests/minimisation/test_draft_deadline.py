"""A draft's deadline is one date: the sweep destroys a draft on the day the privacy
officer was told, never a day early or late (issue 12, defect 2: the sweep counted
365-day years, the stored date calendar years)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from intake.models import Intake
from minimisation.policy import POLICY
from minimisation.sweep import purge
from privacy.stored import stored_intake, with_stored_data

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CREATED = dt.date(2026, 2, 20)  # 42 days later is 3 April, past the change to summer time


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


def draft_created_at(make_intake, moment: dt.datetime) -> Intake:
    intake = make_intake(domains={"financien": (2, "unknown", "x")})
    Intake.objects.filter(pk=intake.pk).update(created_at=moment)
    return intake


def exists(intake: Intake) -> bool:
    return Intake.objects.filter(pk=intake.pk).exists()


@pytest.mark.django_db
def test_a_draft_is_destroyed_by_the_sweep_on_its_expiry_day_and_not_the_day_before(make_intake):
    early = draft_created_at(make_intake, at(CREATED, 0, 10))
    late = draft_created_at(make_intake, at(CREATED, 23, 50))
    expiry = POLICY.draft_expires_on(CREATED)
    assert expiry == CREATED + dt.timedelta(days=42)

    purge(now=at(expiry - dt.timedelta(days=1), 23, 59))
    assert exists(early) and exists(late)
    purge(now=at(expiry, 0, 1))
    assert not exists(early) and not exists(late)


@pytest.mark.django_db
def test_the_date_the_privacy_officer_sees_for_a_draft_is_its_last_day_before_the_sweep(
    make_intake,
):
    intake = draft_created_at(make_intake, at(CREATED, 23, 50))
    stored = stored_intake(with_stored_data().get(pk=intake.pk))
    last_day = stored.retention_until
    assert last_day is not None
    assert {f.retention_until for f in stored.fields} == {last_day}
    assert {f.rule_id for f in stored.fields} == {POLICY.draft.id}

    purge(now=at(last_day, 23, 59))  # "bewaard tot en met" that day: still there
    assert exists(intake)
    purge(now=at(last_day + dt.timedelta(days=1), 3, 0))  # the nightly sweep after it
    assert not exists(intake)
