"""Every rule id the code writes, in a kept field or an audit event, is a rule of the policy.

The writes go through the pages and the command a user and cron use (finalise on the
preview page, erase on the privacy officer's page, `manage.py purge`), so the test holds
whatever the services behind them are called.
"""

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.context import AuditContext
from audit.events import record
from audit.models import Action, AuditEvent
from intake.models import Intake, Resident
from minimisation.models import DecisionRecord, KeptField
from minimisation.policy import POLICY
from tests.minimisation.pages import preview_form, preview_url

FRAMEWORK_DOMAINS = {
    "financien": (2, "confirmed", "geld"),
    "geestelijke_gezondheid": (2, "confirmed", "somber"),
    "middelengebruik": (2, "confirmed", "gokken"),
    "lichamelijke_gezondheid": (3, "confirmed", "rug"),
    "justitie": (2, "confirmed", "reclassering"),
    "huisvesting": (4, "none", "woont goed"),
    "werk_opleiding": (None, "unknown", ""),  # not discussed
}


def rule_ids_in(detail: dict[str, Any]) -> set[str]:
    """The rule ids an audit event's detail names: "rule", and the rule of each
    [field, rule] pair in "kept" and "discarded"."""
    ids = {detail["rule"]} if "rule" in detail else set()
    for key in ("kept", "discarded"):
        ids |= {rule_id for _field, rule_id in detail.get(key, [])}
    return ids


def rule_ids_written() -> set[str]:
    ids = set(KeptField.objects.values_list("rule_id", flat=True))
    for detail in AuditEvent.objects.values_list("detail", flat=True):
        ids |= rule_ids_in(detail)
    return ids


def unknown_to_the_policy(rule_ids: Iterable[str]) -> set[str]:
    unknown = set()
    for rule_id in rule_ids:
        try:
            POLICY.rule_by_id(rule_id)
        except KeyError:
            unknown.add(rule_id)
    return unknown


def finalise(client, intake: Intake) -> None:
    intake.refresh_from_db()
    client.post(preview_url(intake), preview_form(client, intake))
    assert DecisionRecord.objects.filter(intake=intake).exists(), intake.framework


def purge() -> None:
    call_command("purge", stdout=io.StringIO())


@pytest.mark.django_db
def test_every_rule_id_written_by_finalising_sweeping_and_erasing_is_in_the_policy(
    make_intake, signed_in
):
    caseworker = signed_in("consulent")
    helped = [
        make_intake(framework=rule_set.framework, domains=FRAMEWORK_DOMAINS)
        for rule_set in POLICY.rule_sets
    ]
    # A domain no instrument knows (an old import): no rule covers it, so deny by default.
    unknown_domain = make_intake(
        domains={"financien": (2, "confirmed", ""), "ruimtevaart": (3, "none", "y")}
    )
    refused_alone = make_intake(domains={"financien": (1, "none", "")})
    still_open = make_intake(domains={"financien": (2, "confirmed", "x")})
    refused = make_intake(resident=still_open.resident, domains={"financien": (1, "none", "")})
    for intake in [*helped, unknown_domain, refused_alone, refused]:
        finalise(caseworker, intake)
    kept_at_finalising = set(KeptField.objects.values_list("rule_id", flat=True))

    to_erase = make_intake(domains={"financien": (3, "unknown", "")})
    response = signed_in("privacy").post(
        reverse("privacy:erase", kwargs={"ref": to_erase.resident.ref}),
        {"reason": "withdrawn", "bevestigd": "on"},
    )
    assert response.status_code == 302
    assert not Intake.objects.filter(pk=to_erase.pk).exists()

    long_ago = timezone.now() - dt.timedelta(days=400)
    Intake.objects.filter(pk=still_open.pk).update(created_at=long_ago)
    DecisionRecord.objects.filter(intake=helped[0]).update(retention_until=dt.date(2000, 1, 1))
    orphan = Resident.objects.create(name="Zonder Intake")
    Resident.objects.filter(pk=orphan.pk).update(created_at=long_ago)
    purge()
    assert not Intake.objects.filter(pk__in=[still_open.pk, helped[0].pk]).exists()
    assert not Resident.objects.filter(pk=orphan.pk).exists()

    written = kept_at_finalising | rule_ids_written()
    # The scenario reached every kind of write (else the check below proves little).
    assert {
        POLICY.shared.id,
        POLICY.not_discussed.id,
        POLICY.default_deny.id,
        POLICY.draft_expired.id,
        POLICY.retention_passed.id,
        POLICY.orphan_resident.id,
        POLICY.erasure.id,
        *(r.id for r in POLICY.refused_application),
    } <= written
    for rule_set in POLICY.rule_sets:
        assert any(r.id in written for r in rule_set.rules), rule_set.framework
    assert unknown_to_the_policy(written) == set()


@pytest.mark.django_db
def test_a_rule_id_the_policy_does_not_know_is_caught_in_a_kept_field_and_an_audit_event(
    make_intake, signed_in
):
    """The positive control: the same collector finds planted ids in each place it reads."""
    intake = make_intake(domains={"financien": (2, "confirmed", "")})
    finalise(signed_in("consulent"), intake)
    assert unknown_to_the_policy(rule_ids_written()) == set()
    KeptField.objects.create(
        decision=DecisionRecord.objects.get(intake=intake),
        field="resident.email",
        rule_id="VERZONNEN-VELD",
    )
    context = AuditContext.system("test:planted")
    record(Action.DISCARD, context, detail={"rule": "VERZONNEN-REGEL"})
    record(Action.FINALISE, context, detail={"kept": [["resident.name", "VERZONNEN-BEWAARD"]]})
    record(Action.DISCARD, context, detail={"discarded": [["x", "VERZONNEN-WEG"]]})
    assert unknown_to_the_policy(rule_ids_written()) == {
        "VERZONNEN-VELD",
        "VERZONNEN-REGEL",
        "VERZONNEN-BEWAARD",
        "VERZONNEN-WEG",
    }
