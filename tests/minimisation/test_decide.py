import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.instrument import INSTRUMENTS
from minimisation.decide import (
    HELP_NEEDED,
    NO_HELP_NEED,
    SHARED_RULE_ID,
    DomainSnapshot,
    IntakeNotReady,
    IntakeSnapshot,
    decide,
)
from minimisation.policy import POLICY, RESIDENT_FIELDS, Condition, Term

TODAY = dt.date(2026, 11, 29)
FRAMEWORKS = [rs.framework for rs in POLICY.rule_sets]
SPECIAL = {d.code: d.special_category for i in INSTRUMENTS.values() for d in i.domains}


def snapshot(
    framework="wmo", domains=(), present=frozenset(RESIDENT_FIELDS), elsewhere=frozenset()
):
    return IntakeSnapshot(
        intake_id=1,
        intake_version=1,
        resident_ref="00000000-0000-0000-0000-000000000001",
        framework=framework,
        domains=tuple(domains),
        resident_fields_present=frozenset(present),
        resident_fields_held_elsewhere=frozenset(elsewhere),
    )


def kept_keys(decision):
    return {f.key for f in decision.kept}


def test_a_confirmed_need_keeps_that_domain_for_the_framework_term():
    decision = decide(
        snapshot(domains=[DomainSnapshot("financien", 2, "confirmed", True)]), POLICY, TODAY
    )
    assert decision.outcome == HELP_NEEDED
    notes = next(f for f in decision.fields if f.key == "financien:domainassessment.notes")
    assert notes.keep and notes.rule_id == "WMO-DOMEIN"
    assert notes.retention_until == dt.date(2041, 11, 29)
    assert decision.retention_until == dt.date(2041, 11, 29)


def test_a_domain_without_confirmed_need_is_discarded_with_a_dutch_reason():
    decision = decide(
        snapshot(
            domains=[
                DomainSnapshot("financien", 2, "confirmed", False),
                DomainSnapshot("huisvesting", 4, "none", True),
            ]
        ),
        POLICY,
        TODAY,
    )
    housing = decision.for_domain("huisvesting")
    assert housing and not any(f.keep for f in housing)
    assert "geen hulpvraag" in housing[0].reason


def test_no_help_need_anywhere_keeps_only_the_request_for_the_refused_term():
    decision = decide(
        snapshot(domains=[DomainSnapshot("financien", 3, "none", True)]), POLICY, TODAY
    )
    assert decision.outcome == NO_HELP_NEED
    assert all(
        f.field.startswith("intake.") or f.field in ("resident.ref", "resident.created_at")
        for f in decision.kept
    )
    assert {f.rule_id for f in decision.kept} == {"AFGEWEZEN-AANVRAAG"}
    assert decision.retention_until == dt.date(2031, 11, 29)
    assert not any(f.keep for f in decision.fields if f.field in RESIDENT_FIELDS)


def test_a_resident_field_another_live_intake_needs_is_not_destroyed():
    decision = decide(snapshot(domains=[], elsewhere={"resident.name"}), POLICY, TODAY)
    name = next(f for f in decision.fields if f.field == "resident.name")
    assert name.keep and name.rule_id == SHARED_RULE_ID and name.retention_until is None
    bsn = next(f for f in decision.fields if f.field == "resident.bsn")
    assert not bsn.keep


def test_a_confirmed_need_on_a_domain_without_score_is_refused_with_a_clear_message():
    with pytest.raises(IntakeNotReady, match="zonder score") as exc:
        decide(
            snapshot(domains=[DomainSnapshot("justitie", None, "confirmed", True)]), POLICY, TODAY
        )
    assert exc.value.domains == ("justitie",)


def test_participatiewet_keeps_a_health_score_but_never_its_notes():
    decision = decide(
        snapshot(
            "participatiewet", [DomainSnapshot("geestelijke_gezondheid", 2, "confirmed", True)]
        ),
        POLICY,
        TODAY,
    )
    by_field = {f.field: f for f in decision.for_domain("geestelijke_gezondheid")}
    assert by_field["domainassessment.score"].keep
    assert not by_field["domainassessment.notes"].keep


def test_a_29_february_retention_start_lands_on_28_february():
    assert Term(years=15).after(dt.date(2028, 2, 29)) == dt.date(2043, 2, 28)


# ---- properties -----------------------------------------------------------------

HELP_NEEDS = st.sampled_from(["unknown", "confirmed", "none"])


@st.composite
def snapshots(draw):
    framework = draw(st.sampled_from(FRAMEWORKS))
    instr = INSTRUMENTS[draw(st.sampled_from(sorted(INSTRUMENTS)))]
    chosen = draw(st.lists(st.sampled_from(instr.domain_codes), unique=True))
    domains = []
    for code in chosen:
        score = draw(st.one_of(st.none(), st.integers(1, 5)))
        need = draw(HELP_NEEDS)
        if score is None and need == "confirmed":
            need = draw(st.sampled_from(["unknown", "none"]))
        domains.append(DomainSnapshot(code, score, need, draw(st.booleans())))
    present = draw(st.sets(st.sampled_from(RESIDENT_FIELDS)))
    elsewhere = draw(st.sets(st.sampled_from(RESIDENT_FIELDS)))
    return snapshot(framework, domains, present, elsewhere)


def allowed(snap, field):
    """What the policy allows, computed independently of decide()'s control flow."""
    if field.rule_id == SHARED_RULE_ID:
        return field.field in snap.resident_fields_held_elsewhere
    rule = POLICY.rule_by_id(field.rule_id)
    if rule.condition == Condition.NEVER or not rule.covers(field.field, field.domain):
        return False
    framework_rules = POLICY.rule_set(snap.framework).rules
    help_needed = any(
        d.confirmed
        and d.discussed
        and any(r.keeps and r.covers("domainassessment.score", d.code) for r in framework_rules)
        for d in snap.domains
    )
    if help_needed != (rule in POLICY.rule_set(snap.framework).rules):
        return False
    if rule.condition == Condition.IF_HELP_NEED_CONFIRMED_IN_DOMAIN:
        domain = next(d for d in snap.domains if d.code == field.domain)
        return domain.confirmed and domain.discussed
    return True


@settings(max_examples=300, deadline=None)
@given(snapshots())
def test_kept_fields_are_a_subset_of_what_the_policy_allows(snap):
    decision = decide(snap, POLICY, TODAY)
    assert all(allowed(snap, f) for f in decision.kept)


@settings(max_examples=300, deadline=None)
@given(snapshots())
def test_nothing_of_a_domain_without_confirmed_need_or_not_discussed_is_kept(snap):
    decision = decide(snap, POLICY, TODAY)
    for domain in snap.domains:
        if not (domain.confirmed and domain.discussed):
            assert not any(f.keep for f in decision.for_domain(domain.code))
        if not domain.discussed:
            assert {f.rule_id for f in decision.for_domain(domain.code)} <= {"NIET-BESPROKEN"}


@settings(max_examples=300, deadline=None)
@given(snapshots())
def test_special_category_fields_are_kept_only_under_a_rule_that_names_them(snap):
    decision = decide(snap, POLICY, TODAY)
    for f in decision.kept:
        if f.domain and SPECIAL[f.domain]:
            rule = POLICY.rule_by_id(f.rule_id)
            assert f.domain in rule.domains
            assert rule.special_category == SPECIAL[f.domain]


@settings(max_examples=200, deadline=None)
@given(snapshots())
def test_decide_is_deterministic(snap):
    assert decide(snap, POLICY, TODAY) == decide(snap, POLICY, TODAY)


@settings(max_examples=300, deadline=None)
@given(snapshots())
def test_every_captured_field_gets_exactly_one_decision(snap):
    decision = decide(snap, POLICY, TODAY)
    keys = [f.key for f in decision.fields]
    assert len(keys) == len(set(keys))
    for domain in snap.domains:
        assert f"{domain.code}:domainassessment.score" in keys
        assert (f"{domain.code}:domainassessment.notes" in keys) == domain.has_notes
    assert {k for k in keys if k.startswith("resident.") and k in RESIDENT_FIELDS} == set(
        snap.resident_fields_present
    )
    for f in decision.kept:
        assert f.retention_until is not None or f.rule_id == SHARED_RULE_ID


def test_a_confirmed_need_only_in_a_domain_the_framework_never_keeps_is_no_help_need():
    decision = decide(
        snapshot("wmo", [DomainSnapshot("justitie", 1, "confirmed", True)]), POLICY, TODAY
    )
    assert decision.outcome == NO_HELP_NEED
    assert decision.unserved_domains == ("justitie",)
    assert not any(f.keep for f in decision.fields if f.field in RESIDENT_FIELDS)


def test_the_digest_changes_with_what_the_decision_says():
    domains = [DomainSnapshot("financien", 4, "none", True)]
    alone = decide(snapshot(domains=domains), POLICY, TODAY)
    # Control: deciding again on the same facts gives the same digest (no clock, no salt),
    # so the differences below come from the decision.
    assert decide(snapshot(domains=domains), POLICY, TODAY).digest == alone.digest
    shared = decide(snapshot(domains=domains, elsewhere={"resident.name"}), POLICY, TODAY)
    assert shared.digest != alone.digest  # the name kept as shared instead of discarded
    later = decide(snapshot(domains=domains), POLICY, TODAY + dt.timedelta(days=1))
    assert later.digest != alone.digest  # other retention dates
    helped = [DomainSnapshot("financien", 2, "confirmed", True)]
    assert decide(snapshot(domains=helped), POLICY, TODAY).digest != alone.digest
