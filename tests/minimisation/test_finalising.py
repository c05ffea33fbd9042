import datetime as dt
import threading

import pytest

from audit.context import AuditContext
from audit.models import Action, AuditEvent
from intake.models import (
    DomainAssessment,
    HelpNeed,
    Intake,
    IntakeStatus,
    IntakeUserObjectPermission,
    Resident,
    ResidentUserObjectPermission,
)
from minimisation import finalising as finalising_module
from minimisation.decide import decide, snapshot_of
from minimisation.destruction import DOMAIN_BLANK, destroy_intake
from minimisation.finalising import AlreadyFinalised, IntakeChanged, finalise
from minimisation.models import DecisionRecord, KeptField
from minimisation.policy import POLICY
from tests.factories import TEST_CONTEXT, IntakeFactory, finalise_now

TODAY = dt.date(2026, 11, 29)


def decision_for(intake):
    intake.refresh_from_db()
    return decide(snapshot_of(intake, TODAY), POLICY, TODAY)


def finalise_as_shown(decision, context=TEST_CONTEXT):
    """Finalise with the digest of `decision`, as a preview that showed it would."""
    return finalise(
        decision.intake_id, digest=decision.digest, context=context, decided_by=None, today=TODAY
    )


def state_of(intake):
    """Everything finalising could touch, as plain values, to compare before and after."""
    resident = Resident.objects.filter(pk=intake.resident_id).values().first()
    return (
        Intake.objects.filter(pk=intake.pk).values().first(),
        resident,
        list(DomainAssessment.objects.filter(intake=intake).order_by("domain").values()),
        DecisionRecord.objects.count(),
        KeptField.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_finalising_keeps_confirmed_domains_and_destroys_the_rest(make_intake):
    intake = make_intake(
        domains={
            "financien": (2, "confirmed", "schulden bij energie"),
            "huisvesting": (4, "none", "woont goed"),
            "justitie": (3, "confirmed", "taakstraf"),
            "middelengebruik": (None, "unknown", "niet besproken maar toch genoteerd"),
        }
    )
    record = finalise_now(intake, TODAY)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.FINALISED
    assert intake.outcome == "help_needed"
    assessments = {a.domain: a for a in intake.assessments.all()}
    assert set(assessments) == {"financien"}  # justitie never under Wmo; others no need
    assert assessments["financien"].notes == "schulden bij energie"
    assert record.policy_version == POLICY.version
    assert record.retention_until == dt.date(2041, 11, 29)
    # Every domain but the kept one loses something; the scored ones all three columns.
    assert set(record.discarded_counts) == set(intake.instrument.domain_codes) - {"financien"}
    scored = {d: record.discarded_counts[d] for d in ("huisvesting", "justitie", "middelengebruik")}
    assert scored == {"huisvesting": 3, "justitie": 3, "middelengebruik": 3}
    kept = set(record.kept_fields.values_list("domain", "field", "rule_id"))
    assert ("financien", "domainassessment.notes", "WMO-DOMEIN") in kept
    assert ("", "resident.name", "WMO-IDENTITEIT") in kept


@pytest.mark.django_db
def test_a_kept_score_loses_its_notes_when_the_rule_discards_notes(make_intake):
    intake = make_intake(
        framework="participatiewet",
        domains={"geestelijke_gezondheid": (2, "confirmed", "diagnose depressie")},
    )
    finalise_now(intake, TODAY)
    assessment = intake.assessments.get()
    assert (assessment.score, assessment.help_need, assessment.notes) == (2, "confirmed", "")


@pytest.mark.django_db
def test_no_help_need_blanks_the_resident_and_deletes_every_domain(make_intake):
    intake = make_intake(domains={"financien": (4, "none", "alles op orde")})
    record = finalise_now(intake, TODAY)
    resident = Resident.objects.get(pk=intake.resident_id)
    assert (resident.name, resident.bsn, resident.address, resident.phone, resident.email) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert resident.date_of_birth is None
    assert not DomainAssessment.objects.filter(intake=intake).exists()
    assert record.outcome == "no_help_need"
    assert record.retention_until == dt.date(2031, 11, 29)


@pytest.mark.django_db
def test_a_resident_shared_with_a_live_draft_keeps_its_data(make_intake):
    first = make_intake(domains={"financien": (4, "none", "")})
    make_intake(resident=first.resident, framework="schuldhulp")  # still a draft
    finalise_now(first, TODAY)
    resident = Resident.objects.get(pk=first.resident_id)
    assert (resident.name, resident.bsn) == (first.resident.name, first.resident.bsn)
    assert resident.name and resident.bsn


@pytest.mark.django_db
def test_audit_events_name_fields_and_rules_but_never_values(make_intake):
    intake = make_intake(domains={"financien": (2, "none", "KANARIE-AUDIT")}, name="KANARIE-NAAM")
    finalise_now(intake, TODAY)
    events = list(AuditEvent.objects.filter(action__in=[Action.FINALISE, Action.DISCARD]))
    assert [e.action for e in events] == [Action.FINALISE, Action.DISCARD]
    discard = events[1].detail
    assert ["financien:domainassessment.notes", "AFGEWEZEN-GEEN-DOMEINEN"] in discard["discarded"]
    text = str([e.detail for e in events])
    assert "KANARIE" not in text


@pytest.mark.django_db
def test_finalising_twice_gives_a_clear_message_and_changes_nothing(make_intake):
    intake = make_intake(domains={"financien": (2, "confirmed", "x")})
    decision = decision_for(intake)
    finalise_as_shown(decision)
    before = state_of(intake)
    with pytest.raises(AlreadyFinalised, match="al afgerond"):
        finalise_as_shown(decision)
    assert state_of(intake) == before


@pytest.mark.django_db
def test_a_change_after_the_preview_stops_finalising(make_intake):
    intake = make_intake(domains={"financien": (2, "confirmed", "x")})
    decision = decision_for(intake)
    row = DomainAssessment.objects.get(intake=intake, domain="justitie")
    row.score, row.notes = 2, "later"
    row.save()
    before = state_of(intake)
    with pytest.raises(IntakeChanged, match="gewijzigd sinds het voorbeeld"):
        finalise_as_shown(decision)
    assert state_of(intake) == before


@pytest.mark.django_db
def test_another_intake_of_the_resident_going_after_the_preview_stops_finalising(make_intake):
    intake = make_intake(domains={"financien": (4, "none", "")})
    other = make_intake(resident=intake.resident, framework="schuldhulp")
    shown = decision_for(intake)
    assert ("resident.name", "GEDEELD") in {(f.field, f.rule_id) for f in shown.kept}
    other.delete()
    before = state_of(intake)
    with pytest.raises(IntakeChanged, match="gewijzigd sinds het voorbeeld"):
        finalise_as_shown(shown)
    assert state_of(intake) == before
    # Positive control: the decision as it now is finalises, and blanks the name.
    finalise_as_shown(decision_for(intake))
    assert Resident.objects.get(pk=intake.resident_id).name == ""


@pytest.mark.django_db
def test_a_failure_inside_finalising_leaves_the_intake_exactly_as_it_was(make_intake, monkeypatch):
    intake = make_intake(
        domains={"financien": (2, "confirmed", "x"), "justitie": (2, "none", "weg")},
    )
    before = state_of(intake)

    def explode(*args, **kwargs):
        raise RuntimeError("injected failure")

    # The audit write is the last step: everything before it must roll back.
    monkeypatch.setattr(finalising_module, "append", explode)
    with pytest.raises(RuntimeError, match="injected failure"):
        finalise_now(intake, TODAY)
    assert state_of(intake) == before


@pytest.mark.django_db
def test_destroy_intake_removes_rows_permissions_and_the_unshared_resident(make_intake):
    from django.db import transaction

    intake = make_intake(domains={"financien": (2, "confirmed", "x")})
    resident_id = intake.resident_id
    with transaction.atomic():
        locked = Intake.objects.select_for_update().get(pk=intake.pk)
        destroyed = destroy_intake(locked, rule_id="TEST", today=TODAY, context=TEST_CONTEXT)
    assert destroyed.resident_deleted
    assert not Intake.objects.filter(pk=intake.pk).exists()
    assert not Resident.objects.filter(pk=resident_id).exists()
    assert not IntakeUserObjectPermission.objects.filter(content_object_id=intake.pk).exists()
    assert not ResidentUserObjectPermission.objects.filter(content_object_id=resident_id).exists()


@pytest.mark.django_db(transaction=True)
def test_destroy_intake_refuses_to_run_outside_a_transaction(make_intake):
    intake = make_intake()
    with pytest.raises(RuntimeError, match="inside a transaction"):
        destroy_intake(intake, rule_id="TEST", today=TODAY, context=TEST_CONTEXT)
    assert Intake.objects.filter(pk=intake.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_finalise_then_decide_again_keeps_the_same_set(make_intake):
    intake = make_intake(
        framework="jeugdwet",
        domains={
            "justitie": (2, "confirmed", "jeugdreclassering"),
            "financien": (5, "none", "prima"),
        },
    )
    first = decision_for(intake)
    finalise_as_shown(first)
    intake.refresh_from_db()
    again = decide(snapshot_of(intake, TODAY), POLICY, TODAY)
    kept_domain = {f.key for f in first.kept if f.domain}
    assert {f.key for f in again.kept if f.domain} == kept_domain
    assert {f.key for f in again.kept if f.field.startswith("resident.")} == {
        f.key for f in first.kept if f.field.startswith("resident.")
    }
    assert not again.discarded or all(not f.domain for f in again.discarded)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_finalisations_give_exactly_one_decision(make_intake):
    intake = make_intake(domains={"financien": (2, "confirmed", "x")})
    decision = decision_for(intake)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def finalise_in_a_thread():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            finalise_as_shown(decision)
            outcomes.append("ok")
        except AlreadyFinalised as exc:
            outcomes.append(exc.message)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=finalise_in_a_thread) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert any("al afgerond" in o for o in outcomes)
    assert DecisionRecord.objects.filter(intake=intake).count() == 1
    assert AuditEvent.objects.filter(action=Action.FINALISE).count() == 1
    assert intake.assessments.get().help_need == HelpNeed.CONFIRMED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_finalising_a_13_domain_intake_takes_a_fixed_number_of_statements(demo_users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from intake.instrument import ZRM_2017

    caseworker = demo_users["consulent"]
    domains = {
        code: (n % 5 + 1, "confirmed" if n % 5 < 2 else "none", f"toelichting {n}")
        for n, code in enumerate(ZRM_2017.domain_codes)
    }
    intake = IntakeFactory(caseworker=caseworker, domains=domains)
    decision = decision_for(intake)
    assert decision.kept and decision.discarded
    context = AuditContext.for_user(caseworker)  # the view builds it before the service runs
    with CaptureQueriesContext(connection) as captured:
        finalise_as_shown(decision, context)
    statements = [q["sql"].split(None, 1)[0].upper() for q in captured]
    # Measured on PostgreSQL: BEGIN, the intake and its resident locked (1), the decision
    # made once under the lock (3: assessments, another draft, kept fields elsewhere), one
    # DELETE of the domains nothing is kept of (this intake keeps every column of the
    # others and no resident field is discarded, so no UPDATE of those), UPDATE of the
    # intake, the decision record and its kept fields (2), the chain lock with the chain
    # head (one round trip) and one INSERT for both audit events (2), COMMIT: 12. Sealed
    # values add three: the data keys of the decided rows (one SELECT for all), the key
    # ids of the rows that go (one SELECT) and one DELETE of those keys: 15; plus the
    # key ids and the DELETE of a save parked after a session ended (2) and the INSERT of
    # the discarded fields' names (for the profile's "vernietigd op"): 18. One more is a
    # round trip added back (a savepoint, a second decision, a statement per row).
    assert len(statements) <= 18, "\n".join(q["sql"][:90] for q in captured)
    assert statements.count("SAVEPOINT") == 0
    assert statements.count("COMMIT") == 1
    assert AuditEvent.objects.filter(action__in=[Action.FINALISE, Action.DISCARD]).count() == 2


# ---- property: finalise, then decide again, keeps the same set -------------------

from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from intake.instrument import ZRM_2017  # noqa: E402


@st.composite
def intake_specs(draw):
    framework = draw(st.sampled_from([rs.framework for rs in POLICY.rule_sets]))
    codes = draw(st.lists(st.sampled_from(ZRM_2017.domain_codes), unique=True, max_size=6))
    domains = {}
    for code in codes:
        score = draw(st.one_of(st.none(), st.integers(1, 5)))
        need = draw(st.sampled_from(["unknown", "none"] + (["confirmed"] if score else [])))
        domains[code] = (score, need, draw(st.sampled_from(["", "toelichting"])))
    return framework, domains


# Each example builds and finalises an intake in the database: 40 of them are enough.
RANDOM_INTAKES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@RANDOM_INTAKES
@given(spec=intake_specs())
def test_finalise_then_decide_again_keeps_the_same_set_for_random_intakes(demo_users, spec):
    framework, domains = spec
    with transaction.atomic():
        intake = IntakeFactory(
            caseworker=demo_users["consulent"], framework=framework, domains=domains
        )
        first = decision_for(intake)
        finalise_as_shown(first)
        intake.refresh_from_db()
        again = decide(snapshot_of(intake, TODAY), POLICY, TODAY)
        assert {f.key for f in again.kept} == {f.key for f in first.kept}
        assert not any(f.domain for f in again.discarded)
        transaction.set_rollback(True)


def _rows_as_row_by_row_destruction_left_them(before, decision):
    """The reference: what finalising did before it went set-based (read every assessment,
    delete it if nothing of its domain is kept, else blank its columns that are not kept)."""
    kept_by_domain: dict[str, set[str]] = {}
    for f in decision.kept:
        if f.domain:
            kept_by_domain.setdefault(f.domain, set()).add(f.field.split(".", 1)[1])
    expected = []
    for row in before:
        kept = kept_by_domain.get(row["domain"])
        if not kept:
            continue
        expected.append(
            {
                **row,
                **{n: v for n, v in DOMAIN_BLANK.items() if n not in kept},
            }
        )
    return expected


@pytest.mark.django_db
@RANDOM_INTAKES
@given(spec=intake_specs())
def test_set_based_destruction_leaves_the_rows_row_by_row_destruction_left(demo_users, spec):
    framework, domains = spec
    with transaction.atomic():
        caseworker = demo_users["consulent"]
        intake = IntakeFactory(caseworker=caseworker, framework=framework, domains=domains)
        other = IntakeFactory(caseworker=caseworker, framework=framework, domains=domains)
        rows = DomainAssessment.objects.order_by("domain")
        before = list(rows.filter(intake=intake).values())
        others_before = list(rows.filter(intake=other).values())
        decision = decision_for(intake)
        finalise_as_shown(decision)
        assert list(rows.filter(intake=intake).values()) == (
            _rows_as_row_by_row_destruction_left_them(before, decision)
        )
        # Another intake's rows with the same domains are untouched.
        assert list(rows.filter(intake=other).values()) == others_before
        transaction.set_rollback(True)
