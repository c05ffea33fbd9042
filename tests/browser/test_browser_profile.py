"""Nothing destroyed stays in the caseworker's browser (issue 13), in real Chromium.

A caseworker types resident data, has a form rejected for an invalid BSN, saves notes
that minimisation discards, finalises, and closes the browser. Then the Chromium profile
directory is read file by file (disk cache, "Web Data" form history, "Sessions" tab
restore, storage, everything) for each value that was discarded or never stored, in UTF-8
and in UTF-16 (Chromium keeps page and form state as UTF-16). The positive controls are
planted the same way the canaries would be: a marker typed into an input that the browser
may remember (the sign-in page's user name), left open in a tab when the browser closes,
and a marker in the site's local storage; the same scan must find both.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from intake.bsn import passes_elfproef
from intake.models import Intake
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.helpers import sign_in

TAG = "7QX"
SEARCHED = f"KANARIE-ZOEKTERM-{TAG}"
REJECTED_NAME = f"KANARIE-NAAM-AFGEWEZEN-{TAG}"
REJECTED_BSN = "192837465"
DISCARDED_NOTE = f"KANARIE-HUISVESTING-WEG-{TAG}"
JUSTICE_NOTE = f"KANARIE-JUSTITIE-WEG-{TAG}"
KEPT_NAME = "Profiel Bewaard"
KEPT_NOTE = f"KANARIE-FINANCIEN-BEWAARD-{TAG}"
DISCARDED = (SEARCHED, REJECTED_NAME, REJECTED_BSN, DISCARDED_NOTE, JUSTICE_NOTE)
TYPED_MARKER = f"CONTROLE-GETYPT-{TAG}"
STORED_MARKER = f"CONTROLE-OPGESLAGEN-{TAG}"


def found_in(profile: Path, needles: tuple[str, ...]) -> dict[str, list[str]]:
    """needle -> the profile's files that hold it (UTF-8 or UTF-16-LE)."""
    hits: dict[str, list[str]] = {n: [] for n in needles}
    for path in sorted(p for p in profile.rglob("*") if p.is_file() and not p.is_symlink()):
        data = path.read_bytes()
        for needle in needles:
            if needle.encode() in data or needle.encode("utf-16-le") in data:
                hits[needle].append(str(path.relative_to(profile)))
    return hits


def capture_and_finalise(page: object) -> Intake:
    """The caseworker's morning: search, a rejected form, a draft with notes, finalise.
    No page title or address on the way names the resident or holds what was typed."""
    titles: list[str] = []
    page.on("load", lambda p: titles.append(p.title() + " " + p.url))
    sign_in(page, "consulent")
    page.goto("/intakes/nieuw/")
    page.get_by_role("searchbox").fill(SEARCHED)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("body")).to_contain_text("Geen inwoner gevonden")
    page.locator("#id_name").fill(REJECTED_NAME)
    page.locator("#id_date_of_birth").fill("1975-03-14")
    page.locator("#id_bsn").fill(REJECTED_BSN)
    page.locator("#id_address").fill(f"KANARIE-ADRES-{TAG}")
    page.get_by_label("Wettelijk kader").select_option("wmo")
    page.get_by_role("button", name="Inwoner en intake aanmaken").click()
    expect(page.locator("#id_bsn")).to_have_value(REJECTED_BSN)  # kept what was typed
    page.locator("#id_name").fill(KEPT_NAME)
    page.locator("#id_bsn").fill("")
    page.get_by_role("button", name="Inwoner en intake aanmaken").click()
    expect(page.locator("body")).to_contain_text("De intake is aangemaakt als concept.")

    for domain, label, need, note in (
        ("financien", "2 – niet zelfredzaam", "confirmed", KEPT_NOTE),
        ("huisvesting", "4 – voldoende zelfredzaam", "none", DISCARDED_NOTE),
        ("justitie", "3 – beperkt zelfredzaam", "none", JUSTICE_NOTE),
    ):
        fieldset = page.locator(f"#domein-{domain}")
        fieldset.get_by_label(label, exact=True).check()
        fieldset.get_by_label("Hulpvraag").select_option(need)
        fieldset.get_by_label("Toelichting").fill(note)
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.locator("body")).to_contain_text("Het concept is opgeslagen.")
    intake = Intake.objects.get(resident__name=KEPT_NAME)
    page.goto(f"/intakes/{intake.pk}/afronden/")
    page.get_by_role("link", name="Verder: controleren en bevestigen").click()
    page.get_by_label("Ik heb gecontroleerd wat vernietigd wordt").check()
    page.get_by_role("button", name="Definitief afronden en vernietigen").click()
    expect(page.locator("main")).to_contain_text("De intake is afgerond")
    assert len(titles) >= 8, titles  # the control: every page of the way was seen
    for typed in (KEPT_NAME, KEPT_NOTE, *DISCARDED):
        assert not [t for t in titles if typed in t], typed
    return intake


def test_after_finalising_back_shows_no_discarded_value(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    capture_and_finalise(page)
    seen = []
    for _step in range(8):  # decision <- preview <- edit <- ... <- the rejected form <- new
        try:
            if page.go_back() is None:
                break
        except PlaywrightError as error:
            # Back to the answer to a POST that may not be stored: Chromium shows its own
            # "confirm form resubmission" page (ERR_CACHE_MISS) instead of the old page.
            assert "ERR_CACHE_MISS" in str(error), error
        page.wait_for_load_state()
        seen.append(page.url)
        html = page.content()
        values = page.evaluate(
            "Array.from(document.querySelectorAll('input, textarea')).map(e => e.value)"
        )
        for canary in (DISCARDED_NOTE, JUSTICE_NOTE, REJECTED_NAME, REJECTED_BSN, SEARCHED):
            assert canary not in html and canary not in values, (canary, page.url)
    assert len(seen) >= 5, seen  # Back really went back through the draft's pages


def test_the_closed_browsers_profile_holds_no_discarded_value(
    browser: object,
    live_server: object,
    django_db_serialized_rollback: None,
    transactional_db: None,
    demo_users: dict,
) -> None:
    assert not passes_elfproef(REJECTED_BSN)
    with tempfile.TemporaryDirectory(prefix="zrm-profile-") as tmp:
        profile = Path(tmp)
        context = browser.browser_type.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            locale="nl-NL",
            base_url=live_server.url,
        )
        # The positive controls, planted before the work starts: a marker in local storage,
        # and a tab left open with a marker typed into a field the browser may remember.
        control = context.new_page()
        control.goto("/aanmelden/")
        control.evaluate(f"localStorage.setItem('controle', '{STORED_MARKER}')")
        control.get_by_label("Gebruikersnaam").fill(TYPED_MARKER)
        page = context.new_page()
        page.set_default_timeout(10_000)
        pk = capture_and_finalise(page).pk
        history = page.evaluate("window.history.length")
        page.wait_for_timeout(3_000)  # Chromium writes its session files a moment later
        context.close()

        hits = found_in(profile, (*DISCARDED, TYPED_MARKER, STORED_MARKER))
        assert hits[TYPED_MARKER], "the scan must find the typed control in the profile"
        assert hits[STORED_MARKER], "the scan must find the stored control in the profile"
        assert {c: hits[c] for c in DISCARDED} == {c: [] for c in DISCARDED}, history

        # The browser's history (titles and addresses) names no resident, kept data
        # included; the control: it does hold the address of the intake's pages.
        (history_file,) = profile.glob("*/History")
        in_history = found_in(history_file.parent, (KEPT_NAME, KEPT_NOTE, f"/intakes/{pk}/"))
        assert "History" in in_history[f"/intakes/{pk}/"]
        assert "History" not in in_history[KEPT_NAME] + in_history[KEPT_NOTE]
