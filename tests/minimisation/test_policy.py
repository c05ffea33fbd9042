import dataclasses
import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps

from intake.field_help import help_text_for
from intake.instrument import INSTRUMENTS
from minimisation.checks import UNCLASSIFIED, check_policy_classifies_intake_fields
from minimisation.policy import (
    POLICY,
    RESIDENT_CONTACT,
    Condition,
    PolicyError,
    Rule,
    Term,
    validate,
)


def _with_first_rule(**changes: object):
    """POLICY with the first Wmo rule changed."""
    wmo = POLICY.rule_set("wmo")
    rule = dataclasses.replace(wmo.rules[0], **changes)
    wmo = dataclasses.replace(wmo, rules=(rule, *wmo.rules[1:]))
    return dataclasses.replace(POLICY, rule_sets=(wmo, *POLICY.rule_sets[1:]))


def _with_rules(*rules: Rule):
    """POLICY with `rules` added to the Wmo rule set."""
    wmo = POLICY.rule_set("wmo")
    wmo = dataclasses.replace(wmo, rules=(*wmo.rules, *rules))
    return dataclasses.replace(POLICY, rule_sets=(wmo, *POLICY.rule_sets[1:]))


def test_the_helpers_build_a_valid_policy_so_each_refusal_below_is_the_change_it_makes():
    validate(_with_first_rule(legal_basis="Een andere, geldige grond."))
    validate(_with_rules())


def test_the_policy_has_one_rule_set_per_legal_framework():
    assert [rs.framework for rs in POLICY.rule_sets] == [
        "wmo",
        "jeugdwet",
        "participatiewet",
        "schuldhulp",
    ]


def test_retention_terms_follow_the_selectielijst():
    terms = {rs.framework: rs.retention for rs in POLICY.rule_sets}
    assert terms == {
        "wmo": Term(years=15),
        "jeugdwet": Term(years=20),
        "participatiewet": Term(years=10),
        "schuldhulp": Term(years=5),
    }
    assert POLICY.refused_application[0].retention == Term(years=5)
    assert POLICY.draft_term == Term(days=42) == POLICY.draft.retention


def test_a_rule_id_used_twice_stops_start_up():
    copy = dataclasses.replace(POLICY.rule_set("wmo").rules[0], id="WMO-AANVRAAG-KOPIE")
    validate(_with_rules(copy))
    with pytest.raises(PolicyError, match="regel WMO-AANVRAAG komt twee keer voor"):
        validate(_with_rules(dataclasses.replace(copy, id="WMO-AANVRAAG")))


def test_a_pseudo_rule_id_reused_by_a_framework_rule_stops_start_up():
    never = dataclasses.replace(POLICY.rule_set("wmo").rules[-1], id="WMO-NIEUW")
    validate(_with_rules(never))
    with pytest.raises(PolicyError, match="regel GEDEELD komt twee keer voor"):
        validate(_with_rules(dataclasses.replace(never, id=POLICY.shared.id)))


def test_a_rule_naming_an_unknown_field_stops_start_up():
    validate(_with_first_rule(fields=("resident.name",)))
    with pytest.raises(PolicyError, match="onbekend veld resident.shoe_size"):
        validate(_with_first_rule(fields=("resident.shoe_size",)))


def test_a_rule_without_legal_basis_stops_start_up():
    with pytest.raises(PolicyError, match="geen grondslag"):
        validate(_with_first_rule(legal_basis="  "))


def test_a_pseudo_rule_without_legal_basis_stops_start_up_too():
    def with_erasure_basis(text: str):
        return dataclasses.replace(
            POLICY, erasure=dataclasses.replace(POLICY.erasure, legal_basis=text)
        )

    validate(with_erasure_basis("Gewist op verzoek (AVG art. 17)."))
    with pytest.raises(PolicyError, match="regel AVG-ART17 heeft geen grondslag"):
        validate(with_erasure_basis(""))


@pytest.mark.parametrize("term", [None, Term(years=-1), Term()])
def test_a_keeping_rule_with_absent_or_negative_retention_stops_start_up(term):
    validate(_with_first_rule(retention=Term(years=15)))
    with pytest.raises(PolicyError, match="bewaartermijn ontbreekt of is negatief"):
        validate(_with_first_rule(retention=term))


def test_only_the_shared_rule_keeps_without_a_term_of_its_own():
    assert POLICY.shared.keeps and POLICY.shared.retention is None
    with pytest.raises(PolicyError, match="GEDEELD volgt een andere intake"):
        validate(
            dataclasses.replace(
                POLICY, shared=dataclasses.replace(POLICY.shared, retention=Term(years=1))
            )
        )
    with pytest.raises(PolicyError, match="moet de voorwaarde"):
        validate(
            dataclasses.replace(
                POLICY, shared=dataclasses.replace(POLICY.shared, condition=Condition.ALWAYS)
            )
        )


def test_a_rule_that_keeps_nothing_until_a_date_cannot_block_erasure():
    never = POLICY.rule_by_id("WMO-JUSTITIE")
    validate(_with_rules(dataclasses.replace(never, id="WMO-NIEUW")))
    with pytest.raises(PolicyError, match="WMO-NIEUW houdt wissen tegen"):
        validate(_with_rules(dataclasses.replace(never, id="WMO-NIEUW", blocks_erasure=True)))


def test_a_framework_rule_with_a_condition_decide_does_not_apply_stops_start_up():
    with pytest.raises(PolicyError, match="WMO-AANVRAAG heeft een voorwaarde"):
        validate(_with_first_rule(condition=Condition.UNTIL_FINALISED))


def test_the_draft_term_must_be_positive():
    with pytest.raises(PolicyError, match="termijn voor concepten"):
        validate(
            dataclasses.replace(POLICY, draft=dataclasses.replace(POLICY.draft, retention=Term()))
        )


def test_a_rule_covering_a_special_domain_must_name_the_category():
    with pytest.raises(PolicyError, match="bijzonder domein justitie"):
        validate(_with_first_rule(fields=("domainassessment.notes",), domains=("justitie",)))


def test_justice_data_are_never_kept_under_the_wmo_but_may_be_under_the_jeugdwet():
    wmo = next(
        r for r in POLICY.rule_set("wmo").rules if r.covers("domainassessment.notes", "justitie")
    )
    jw = next(
        r
        for r in POLICY.rule_set("jeugdwet").rules
        if r.covers("domainassessment.notes", "justitie")
    )
    assert wmo.condition == Condition.NEVER
    assert jw.condition == Condition.IF_HELP_NEED_CONFIRMED_IN_DOMAIN
    assert jw.special_category == "criminal"


def test_every_domain_field_of_every_instrument_has_a_rule_in_every_framework():
    for rule_set in POLICY.rule_sets:
        for instr in INSTRUMENTS.values():
            for domain in instr.domains:
                for name in ("domainassessment.score", "domainassessment.notes"):
                    assert any(r.covers(name, domain.code) for r in rule_set.rules), (
                        rule_set.framework,
                        domain.code,
                        name,
                    )


def test_the_system_check_passes_for_the_real_intake_models():
    assert check_policy_classifies_intake_fields() == []


@isolate_apps("intake")
def test_the_system_check_names_a_personal_data_field_the_policy_does_not_classify():
    class Resident(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)
        shoe_size = models.CharField(max_length=10)

        class Meta:
            app_label = "intake"

    errors = check_policy_classifies_intake_fields(model_classes=[Resident])
    assert [e.id for e in errors] == [UNCLASSIFIED]
    assert "resident.shoe_size" in errors[0].msg


def test_manage_py_check_fails_when_a_field_is_unclassified(monkeypatch):
    @isolate_apps("intake")
    def synthetic():
        class Intake(models.Model):  # noqa: DJ008
            secret_diagnosis = models.TextField()

            class Meta:
                app_label = "intake"

        return Intake

    model = synthetic()
    from django.apps import apps

    real = apps.get_app_config("intake").get_models
    config = apps.get_app_config("intake")
    monkeypatch.setattr(config, "get_models", lambda *a, **k: [*real(*a, **k), model])
    with pytest.raises(SystemCheckError, match="intake.secret_diagnosis"):
        call_command("check")


def test_the_form_help_text_is_the_rule_text():
    text = help_text_for("wmo", "justitie", "notes")
    assert "nooit" in text
    assert POLICY.rule_by_id("WMO-JUSTITIE").legal_basis in text
    assert "15 jaar" in help_text_for("wmo", "financien", "score")


def test_the_help_text_for_a_resident_field_is_its_framework_rule_and_its_refused_rule():
    text = help_text_for("jeugdwet", "", "name")
    assert POLICY.rule_by_id("JW-IDENTITEIT").legal_basis in text
    assert "20 jaar" in text
    assert POLICY.rule_by_id("AFGEWEZEN-GEEN-GEGEVENS").legal_basis in text
    assert POLICY.rule_by_id("JW-CONTACT").legal_basis not in text
    assert POLICY.rule_by_id("JW-CONTACT").legal_basis in help_text_for("jeugdwet", "", "phone")


# --- The rules outside the frameworks ------------------------------------------------


@pytest.mark.parametrize(
    "rule_id",
    [
        "GEDEELD",
        "CONCEPT",
        "CONCEPT-VERLOPEN",
        "BEWAARTERMIJN-VERSTREKEN",
        "INWONER-ZONDER-INTAKE",
        "AVG-ART17",
        "NIET-BESPROKEN",
        "GEEN-REGEL",
    ],
)
def test_every_pseudo_rule_is_a_rule_of_the_policy_with_its_sentence(rule_id):
    assert POLICY.basis(rule_id) == POLICY.rule_by_id(rule_id).legal_basis
    assert len(POLICY.basis(rule_id)) > 40


def test_the_basis_of_a_rule_this_version_does_not_have_says_so():
    assert POLICY.basis("WMO-2019-OUD") == (
        f"Regel WMO-2019-OUD komt niet voor in beleidsversie {POLICY.version}."
    )


def test_the_draft_rule_names_its_term_and_blocks_nothing():
    assert "42 dagen" in POLICY.draft.legal_basis
    assert POLICY.draft.retention == POLICY.draft_term
    assert not POLICY.draft.blocks_erasure
    assert not POLICY.shared.blocks_erasure


def test_framework_rules_that_keep_block_erasure_except_the_contact_rules():
    for rule_set in POLICY.rule_sets:
        for rule in rule_set.rules:
            expected = rule.keeps and rule.fields != RESIDENT_CONTACT
            assert rule.blocks_erasure == expected, rule.id
    refused = {r.id: r.blocks_erasure for r in POLICY.refused_application}
    assert refused == {
        "AFGEWEZEN-AANVRAAG": True,
        "AFGEWEZEN-GEEN-GEGEVENS": False,
        "AFGEWEZEN-GEEN-DOMEINEN": False,
    }
    assert {r.id for r in POLICY.all_rules() if r.blocks_erasure} >= {
        "WMO-AANVRAAG",
        "WMO-IDENTITEIT",
        "JW-JUSTITIE",
        "PW-GEZONDHEID",
    }
    assert not POLICY.blocks_erasure("WMO-CONTACT")
    assert POLICY.blocks_erasure("WMO-IDENTITEIT")
    assert not POLICY.blocks_erasure("WMO-2019-OUD")


# --- The draft's expiry date ---------------------------------------------------------


def test_a_draft_expires_the_term_after_the_day_it_was_created():
    assert POLICY.draft_expires_on(dt.date(2026, 1, 1)) == dt.date(2026, 2, 12)


@pytest.mark.parametrize("term", [Term(days=42), Term(years=1), Term(years=4, days=3)])
def test_the_first_live_draft_day_is_the_inverse_of_the_expiry_date(term):
    policy = dataclasses.replace(POLICY, draft=dataclasses.replace(POLICY.draft, retention=term))
    for offset in range(0, 3 * 366, 7):  # across 29 February 2028
        today = dt.date(2026, 12, 1) + dt.timedelta(days=offset)
        first_live = policy.first_live_draft_day(today)
        assert policy.draft_expires_on(first_live) > today
        assert policy.draft_expires_on(first_live - dt.timedelta(days=1)) <= today
