"""Concrete and specific instructions (the AP's finding): per framework and per domain,
from the policy, the same text in the form, the preview and the register."""

import pytest

from intake.field_help import help_text_for
from intake.instrument import INSTRUMENTS
from minimisation.policy import POLICY, RESIDENT_FIELDS, PolicyError, validate
from minimisation.register import register_rows
from tests.minimisation.pages import preview_url

FRAMEWORKS = [rs.framework for rs in POLICY.rule_sets]
DOMAINS_2017 = INSTRUMENTS["zrm2017"].domain_codes


def test_every_framework_and_domain_has_its_own_instruction_not_one_repeated_sentence():
    texts = {
        (fw, code): help_text_for(fw, code, "notes") for fw in FRAMEWORKS for code in DOMAINS_2017
    }
    assert len(texts) == 52
    assert len(set(texts.values())) == 52  # 52 distinct, where there were 3 before
    for text in texts.values():
        assert "Niet:" in text  # what to leave out, always


def test_the_participatiewet_health_instruction_says_what_to_write_and_what_not():
    text = help_text_for("participatiewet", "geestelijke_gezondheid", "notes")
    assert "nooit bewaard" in text and "diagnose" in text
    # The legal basis is the line beside it, after the instruction.
    basis = POLICY.rule_by_id("PW-GEZONDHEID-TOELICHTING").legal_basis
    assert text.index("Niet:") < text.index(basis)


def test_identity_and_contact_fields_have_instructions_under_every_framework():
    for fw in FRAMEWORKS:
        for name in RESIDENT_FIELDS:
            found = POLICY.instruction(fw, name)
            assert found is not None and found.write and found.omit, (fw, name)
    assert "jeugdige" in POLICY.instruction("jeugdwet", "resident.name").text
    assert "jeugdige" not in POLICY.instruction("wmo", "resident.name").text


def test_a_policy_without_an_instruction_for_a_domain_does_not_start():
    from dataclasses import replace

    missing = tuple(i for i in POLICY.instructions if i.domains != ("financien",))
    with pytest.raises(PolicyError, match="geen instructie voor domein financien"):
        validate(replace(POLICY, instructions=missing))


def test_the_form_shows_a_never_kept_field_as_such_before_anything_is_typed(signed_in, make_intake):
    intake = make_intake(framework="participatiewet")
    page = signed_in("consulent").get(f"/intakes/{intake.pk}/bewerken/").content.decode()
    assert "De toelichting wordt onder de Participatiewet nooit bewaard" in page
    assert page.count("data-never-kept=") == 6  # 2 health notes + 4 never-kept domains
    wmo = make_intake()
    page = signed_in("consulent").get(f"/intakes/{wmo.pk}/bewerken/").content.decode()
    assert page.count("data-never-kept=") == 1  # Justitie only


def test_the_preview_and_the_register_carry_the_same_instruction(signed_in, make_intake):
    text = POLICY.instruction("wmo", "domainassessment.notes", "huisvesting").text
    intake = make_intake(domains={"financien": (2, "confirmed", "")})
    page = signed_in("consulent").get(preview_url(intake)).content.decode()
    assert text.replace("“", "&ldquo;") in page or text in page
    rows = [r for r in register_rows() if r.rule_id == "WMO-DOMEIN"]
    assert text in rows[0].instructions
