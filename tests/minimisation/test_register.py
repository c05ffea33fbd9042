import csv
import dataclasses
import io
import json

from django.core.management import call_command

from minimisation.policy import POLICY
from minimisation.register import register_rows


def export(fmt):
    out = io.StringIO()
    call_command("export_register", "--format", fmt, stdout=out)
    return out.getvalue()


def test_the_json_register_has_one_row_for_every_rule_of_the_policy_pseudo_rules_included():
    data = json.loads(export("json"))
    assert data["policy_version"] == POLICY.version
    rows = {row["rule_id"]: row for row in data["rows"]}
    assert len(rows) == len(data["rows"])  # no rule twice
    assert set(rows) == {rule.id for rule in POLICY.all_rules()}
    for rule in POLICY.all_rules():
        assert rows[rule.id]["legal_basis"] == rule.legal_basis
        assert rows[rule.id]["retention"] == rule.term_label
        assert rows[rule.id]["purpose"]


def test_the_rules_outside_the_frameworks_are_in_the_register_with_their_sentence_and_term():
    rows = {row["rule_id"]: row for row in json.loads(export("json"))["rows"]}
    assert rows["CONCEPT"]["retention"] == "42 dagen"
    assert rows["CONCEPT-VERLOPEN"]["legal_basis"] == POLICY.draft_expired.legal_basis
    assert "42 dagen" in rows["CONCEPT-VERLOPEN"]["legal_basis"]
    assert rows["CONCEPT-VERLOPEN"]["retention"] == "niet bewaard"
    assert rows["GEDEELD"]["retention"] == "die van de andere intake"
    for rule_id in ("BEWAARTERMIJN-VERSTREKEN", "INWONER-ZONDER-INTAKE", "AVG-ART17"):
        assert rows[rule_id]["legal_basis"] == POLICY.basis(rule_id)


def test_the_register_follows_a_change_of_the_policy_and_nothing_else():
    """Generated from the policy alone: a changed sentence is the register's sentence."""
    changed = dataclasses.replace(
        POLICY, draft_expired=dataclasses.replace(POLICY.draft_expired, legal_basis="Anders.")
    )
    rows = {r.rule_id: r for r in register_rows(changed)}
    assert rows["CONCEPT-VERLOPEN"].legal_basis == "Anders."
    assert {r.rule_id: r for r in register_rows()}["CONCEPT-VERLOPEN"].legal_basis != "Anders."


def test_the_csv_register_names_purpose_legal_basis_retention_and_special_categories():
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    justice = next(r for r in rows if r["rule_id"] == "JW-JUSTITIE")
    assert justice["retention"] == "20 jaar"
    assert "art. 10" in justice["special_category"]
    assert "Jeugdwet" in justice["legal_basis"]
    assert justice["purpose"]


def test_the_markdown_register_is_a_table_with_the_policy_version():
    text = export("md")
    assert f"beleidsversie {POLICY.version}" in text
    assert "| WMO-JUSTITIE |" in text
    assert text.count("\n| ") == len(POLICY.all_rules()) + 1  # a header and a row per rule
