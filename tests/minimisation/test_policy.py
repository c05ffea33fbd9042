import dataclasses

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
    Condition,
    PolicyError,
    Term,
    validate,
)


def _with_first_rule(**changes: object):
    """POLICY with the first Wmo rule changed."""
    wmo = POLICY.rule_set("wmo")
    rule = dataclasses.replace(wmo.rules[0], **changes)
    wmo = dataclasses.replace(wmo, rules=(rule, *wmo.rules[1:]))
    return dataclasses.replace(POLICY, rule_sets=(wmo, *POLICY.rule_sets[1:]))


def test_the_shipped_policy_is_valid():
    validate(POLICY)


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
    assert POLICY.draft_term == Term(days=42)


def test_a_rule_naming_an_unknown_field_stops_start_up():
    with pytest.raises(PolicyError, match="onbekend veld resident.shoe_size"):
        validate(_with_first_rule(fields=("resident.shoe_size",)))


def test_a_rule_without_legal_basis_stops_start_up():
    with pytest.raises(PolicyError, match="geen grondslag"):
        validate(_with_first_rule(legal_basis="  "))


@pytest.mark.parametrize("term", [None, Term(years=-1), Term()])
def test_a_keeping_rule_with_absent_or_negative_retention_stops_start_up(term):
    with pytest.raises(PolicyError, match="bewaartermijn ontbreekt of is negatief"):
        validate(_with_first_rule(retention=term))


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
    assert "Zonder hulpvraag" in help_text_for("jeugdwet", "", "name")
