"""Screenshots of the main pages, for the README (docs/screenshots/).

`make screenshots` runs this test with SCREENSHOT_DIR=docs/screenshots; in the ordinary
test run the pictures go to a temporary folder, so the test still checks that every main
page renders in a real browser at both widths. Made-up residents only.
"""

from pathlib import Path

from intake.models import Intake
from tests.browser.helpers import sign_in
from tests.factories import IntakeFactory, ResidentFactory, finalise_now

MAX_HEIGHT = 1500  # long pages (the assessment form) are cut here


def _shoot(page: object, folder: Path, name: str) -> Path:
    width = page.viewport_size["width"]
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    path = folder / f"{name}-{width}.png"
    clip = {"x": 0, "y": 0, "width": width, "height": height}
    page.screenshot(path=str(path), full_page=True, clip=clip)
    return path


def _demo_intakes(demo_users: dict) -> tuple[Intake, Intake, Intake]:
    resident = ResidentFactory(name="Anna de Vries", address="Kerkstraat 1, Voorbeeldstad")
    first = IntakeFactory(
        caseworker=demo_users["consulent"],
        resident=resident,
        domains={
            "financien": (2, "confirmed", "Schulden bij de energieleverancier; wil hulp."),
            "huisvesting": (2, "confirmed", "Woning niet toegankelijk met rolstoel."),
            "basale_adl": (3, "confirmed", ""),
            "sociaal_netwerk": (4, "none", ""),
        },
    )
    finalise_now(first)
    second = IntakeFactory(
        caseworker=demo_users["consulent"],
        resident=resident,
        previous=first,
        domains={
            "financien": (3, "confirmed", "Betalingsregeling loopt."),
            "huisvesting": (4, "confirmed", "Traplift geplaatst."),
            "basale_adl": (3, "confirmed", ""),
        },
    )
    finalise_now(second)
    draft = IntakeFactory(
        caseworker=demo_users["consulent"],
        resident=ResidentFactory(name="Bram Jansen"),
        domains={"werk_opleiding": (2, "confirmed", "Zoekt werk; geen diploma.")},
    )
    return first, second, draft


def test_the_main_pages_are_photographed_at_both_widths(
    page: object, transactional_db: None, demo_users: dict, screenshot_dir: Path
) -> None:
    first, second, draft = _demo_intakes(demo_users)
    shots = []
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.context.clear_cookies()
        page.goto("/aanmelden/")
        shots.append(_shoot(page, screenshot_dir, "aanmelden"))
        sign_in(page, "consulent")
        for name, path in (
            ("start", "/"),
            ("mijn-intakes", "/intakes/"),
            ("nieuwe-intake", "/intakes/nieuw/"),
            ("intake-bewerken", f"/intakes/{draft.pk}/bewerken/"),
            ("profiel-herhaalmeting", f"/intakes/{second.pk}/"),
            ("afronden-voorbeeld", f"/intakes/{draft.pk}/afronden/"),
            ("afronden-bevestigen", f"/intakes/{draft.pk}/afronden/bevestigen/"),
        ):
            page.goto(path)
            shots.append(_shoot(page, screenshot_dir, name))
        if width == 390:
            page.get_by_test_id("menu-button").click()
            shots.append(_shoot(page, screenshot_dir, "menu-open"))
        for user, pages in (
            (
                "teamleider",
                (
                    ("team-intakes", "/team/intakes/"),
                    ("teamleider-samenvatting", f"/intakes/{draft.pk}/"),
                ),
            ),
            (
                "privacy",
                (
                    ("minimalisatie-overzicht", "/privacy/minimalisatie/"),
                    ("verwerkingsregister", "/privacy/verwerkingsregister/"),
                    ("inzage", f"/privacy/inwoners/{first.resident.ref}/"),
                ),
            ),
            ("beheer", (("beheer", "/beheer/"),)),
        ):
            page.context.clear_cookies()
            sign_in(page, user)
            for name, path in pages:
                page.goto(path)
                shots.append(_shoot(page, screenshot_dir, name))
    assert all(shot.stat().st_size > 10_000 for shot in shots)
