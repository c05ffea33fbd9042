import csv
import io
import json

from django.core.management import call_command

from minimisation.policy import POLICY


def export(fmt):
    out = io.StringIO()
    call_command("export_register", "--format", fmt, stdout=out)
    return out.getvalue()


def test_the_json_register_has_a_row_for_every_rule_of_the_policy():
    data = json.loads(export("json"))
    assert data["policy_version"] == POLICY.version
    rule_ids = {row["rule_id"] for row in data["rows"]}
    for rule_set in POLICY.rule_sets:
        assert {r.id for r in rule_set.rules} <= rule_ids
    assert "CONCEPT-VERLOPEN" in rule_ids


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
    rules = sum(len(rs.rules) for rs in POLICY.rule_sets) + len(POLICY.refused_application)
    assert text.count("\n| ") >= rules + 1  # a header and a row per rule
