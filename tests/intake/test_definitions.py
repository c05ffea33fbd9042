import copy
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.models import Action, AuditEvent
from intake.models import ZrmDefinition

FIXTURE = Path(__file__).parent / "fixtures" / "zrm2017_test_definitions.json"


@pytest.fixture
def valid() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "definities.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def load(path: Path) -> None:
    call_command("load_zrm_definitions", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_fixture_file_loads_65_definitions_and_writes_an_audit_event(db: None) -> None:
    load(FIXTURE)
    assert ZrmDefinition.objects.filter(instrument_version="zrm2017").count() == 13 * 5
    event = AuditEvent.objects.get(action=Action.LOAD_DEFINITIONS)
    assert event.outcome == "success"
    assert event.detail["definitions"] == 65
    assert "Testdefinitie" not in json.dumps(event.detail)


def test_loading_again_replaces_the_definitions_instead_of_duplicating(db: None) -> None:
    load(FIXTURE)
    load(FIXTURE)
    assert ZrmDefinition.objects.count() == 65


def test_an_unknown_domain_is_a_clear_error_and_loads_nothing(
    db: None, tmp_path: Path, valid: dict
) -> None:
    data = copy.deepcopy(valid)
    data["domains"]["ruimtevaart"] = {str(n): "x" for n in range(1, 6)}
    with pytest.raises(CommandError, match="Onbekend domein 'ruimtevaart'"):
        load(write(tmp_path, data))
    assert ZrmDefinition.objects.count() == 0


def test_a_missing_level_is_a_clear_error_and_loads_nothing(
    db: None, tmp_path: Path, valid: dict
) -> None:
    data = copy.deepcopy(valid)
    del data["domains"]["justitie"]["3"]
    with pytest.raises(CommandError, match="'justitie': niveau 3 ontbreekt"):
        load(write(tmp_path, data))
    assert ZrmDefinition.objects.count() == 0


def test_a_wrong_version_is_a_clear_error_and_loads_nothing(
    db: None, tmp_path: Path, valid: dict
) -> None:
    data = copy.deepcopy(valid)
    data["instrument_version"] = "zrm2099"
    with pytest.raises(CommandError, match="Onbekende instrumentversie 'zrm2099'"):
        load(write(tmp_path, data))
    assert ZrmDefinition.objects.count() == 0


def test_a_failed_load_keeps_the_earlier_definitions(db: None, tmp_path: Path, valid: dict) -> None:
    load(FIXTURE)
    data = copy.deepcopy(valid)
    data["domains"]["financien"]["1"] = "nieuw"
    data["domains"]["financien"]["6"] = "zes"
    with pytest.raises(CommandError, match="onbekend niveau '6'"):
        load(write(tmp_path, data))
    assert ZrmDefinition.objects.get(domain="financien", level=1).text.startswith("Testdefinitie")
    failed = AuditEvent.objects.filter(action=Action.LOAD_DEFINITIONS, outcome="error")
    assert failed.count() == 1


def test_a_missing_domain_and_bad_json_are_errors(db: None, tmp_path: Path, valid: dict) -> None:
    data = copy.deepcopy(valid)
    del data["domains"]["financien"]
    with pytest.raises(CommandError, match="'financien' ontbreekt"):
        load(write(tmp_path, data))
    broken = tmp_path / "kapot.json"
    broken.write_text("{niet json", encoding="utf-8")
    with pytest.raises(CommandError, match="Geen geldige JSON"):
        load(broken)
    assert ZrmDefinition.objects.count() == 0


def test_loaded_definitions_are_shown_beside_the_scores(signed_in, make_intake) -> None:
    intake = make_intake()
    client = signed_in("consulent")
    before = client.get(f"/intakes/{intake.pk}/bewerken/").content.decode()
    assert "Testdefinitie" not in before
    load(FIXTURE)
    page = client.get(f"/intakes/{intake.pk}/bewerken/").content.decode()
    assert "Testdefinitie (verzonnen) financien niveau 1" in page
    assert "ZRM-definities per score" in page


def test_definition_texts_are_shown_as_text_never_as_markup_or_template(
    signed_in, make_intake, valid: dict
) -> None:
    from intake.definitions import load_definitions

    data = copy.deepcopy(valid)
    data["domains"]["financien"]["1"] = "<script>x()</script> {{ request.user }} {% now 'Y' %}"
    load_definitions(data)
    intake = make_intake()
    page = signed_in("consulent").get(f"/intakes/{intake.pk}/bewerken/").content.decode()
    assert "<script>x()</script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page
    assert "&#123;&#123; request.user &#125;&#125;" in page
