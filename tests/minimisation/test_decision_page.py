"""The decision page names, for every kept field, the rule and its legal basis (issue 12,
defect 2: a field kept under the shared rule showed "GEDEELD:" and nothing after it)."""

import html
import re

import pytest
from django.urls import reverse

from minimisation.models import DecisionRecord
from minimisation.policy import POLICY
from tests.minimisation.conftest import preview_form, preview_url

RULE_CELL = re.compile(r"<td>([A-Z0-9-]+): (.*?)</td>", re.DOTALL)


def rule_cells(page: str) -> dict[str, set[str]]:
    """rule id -> the basis texts shown next to it on the decision page."""
    cells: dict[str, set[str]] = {}
    for rule_id, basis in RULE_CELL.findall(page):
        cells.setdefault(rule_id, set()).add(html.unescape(basis).strip())
    return cells


def finalise_through_the_page(client, intake) -> str:
    client.post(preview_url(intake), preview_form(client, intake))
    assert DecisionRecord.objects.filter(intake=intake).exists()
    return client.get(reverse("minimisation:decision", args=[intake.pk])).content.decode()


@pytest.mark.django_db
def test_a_name_kept_for_the_residents_other_intake_shows_the_shared_rules_basis(
    make_intake, signed_in
):
    still_open = make_intake(domains={"financien": (2, "confirmed", "x")})
    refused = make_intake(
        resident=still_open.resident, domains={"financien": (1, "none", "")}
    )  # no help need: its own rules keep no resident data, the open draft still needs them
    page = finalise_through_the_page(signed_in("consulent"), refused)
    cells = rule_cells(page)
    assert "GEDEELD" in cells
    assert "" not in cells["GEDEELD"]
    assert cells["GEDEELD"] == {POLICY.rule_by_id("GEDEELD").legal_basis}


@pytest.mark.django_db
def test_every_kept_field_on_the_decision_page_shows_its_rules_basis(make_intake, signed_in):
    """The positive control: framework rules were always shown with their basis."""
    intake = make_intake(domains={"financien": (2, "confirmed", "x")})
    cells = rule_cells(finalise_through_the_page(signed_in("consulent"), intake))
    assert {"WMO-IDENTITEIT", "WMO-DOMEIN"} <= set(cells)
    for rule_id, texts in cells.items():
        assert texts == {POLICY.rule_by_id(rule_id).legal_basis}, rule_id
