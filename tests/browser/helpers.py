"""Steps shared by the browser tests."""


def sign_in(page: object, username: str, password: str = "zrm-demo") -> None:
    page.goto("/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()


def axe_violations(page: object) -> list[str]:
    """axe-core (bundled in axe-playwright-python) on the current page: every violation,
    whatever its impact, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def assert_accessible(page: object) -> None:
    """axe-core on the current page: no violations of any impact."""
    bad = axe_violations(page)
    assert not bad, "axe: " + "; ".join(bad)


def sideways_scroll(page: object) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


WIDEST_OUTSIDE_SCROLL_BOXES = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(
    (el) => el.getBoundingClientRect().right > width + 1 && !el.closest(".zrm-table-scroll")
  );
  return wide.slice(-3).map((el) => el.tagName.toLowerCase() + "." + el.className);
}"""


def too_wide(page: object) -> list[str]:
    """The innermost elements that stick out of the window (outside a scroll box)."""
    return page.evaluate(WIDEST_OUTSIDE_SCROLL_BOXES)


def nav_link(page: object, name: str) -> object:
    """A link in the main navigation (the start page repeats some as buttons)."""
    return page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role(
        "link", name=name, exact=True
    )
