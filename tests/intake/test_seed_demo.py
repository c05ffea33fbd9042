from django.core.management import call_command

from intake.access import visible_intakes
from intake.models import Intake, Resident


def test_seed_demo_gives_the_caseworker_demo_intakes_once(demo_users) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - second run
    consulent = demo_users["consulent"]
    assert Resident.objects.matching("Demo").count() == 2
    assert Intake.objects.count() == 3
    assert visible_intakes(consulent).count() == 3
    reassessment = Intake.objects.get(previous__isnull=False)
    assert reassessment.is_draft and not reassessment.previous.is_draft
    assert visible_intakes(demo_users["consulent2"]).count() == 0
