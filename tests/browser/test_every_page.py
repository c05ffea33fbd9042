"""Every page of the authorisation matrix, as a role that may open it, in a real browser at
1366 px (a laptop) and 390 px (a phone): axe-core finds no violation of any impact, and the
page never scrolls sideways at 390 px.

The pages come from the authorisation matrix (tests/config/test_authorisation_matrix.py):
every URL pattern of the project, with each object URL filled in, that answers a GET with
200 for some user; the first such user in the matrix's order opens it. So a new page is
checked as soon as the matrix knows it.

A few pages share their URL with another one and differ by who opens it or by the link's
token; the matrix opens each URL once, so these are added by hand (OTHER_PAGES_AT_A_PATH).
"""

from collections import defaultdict

import pytest

from accounts.activation import activation_path
from tests.browser.helpers import axe_violations, sideways_scroll, sign_in, too_wide
from tests.config import test_authorisation_matrix as matrix
from tests.factories import UserFactory

world = matrix.world  # the matrix's objects: consulent's and consulent2's, drafts and final

WIDTHS = (1366, 390)
NOT_PAGES = {"healthz", "admin:jsi18n"}  # JSON and JavaScript, not pages


# (user, matrix key, object variant): the same URL, another page.
OTHER_PAGES_AT_A_PATH = (
    # The team lead's need-to-know summary of a caseworker's intake (intake_summary.html).
    ("teamleider", "intake:detail", "a"),
)


def pages_by_user(world: dict) -> dict[str, list[tuple[str, str]]]:
    """user -> [(matrix key, path)]: each path once, for the first user that gets a 200."""
    cases, _unruled = matrix._expectations(world)
    seen: set[str] = set()
    pages: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for user in matrix.USERS:
        for (key, who, _variant, method), (path, status) in sorted(cases.items()):
            if who != user or method != "GET" or status != 200 or key in NOT_PAGES:
                continue
            if path not in seen:
                seen.add(path)
                pages[user].append((key, path))
    for user, key, variant in OTHER_PAGES_AT_A_PATH:
        path, status = cases[(key, user, variant, "GET")]
        assert status == 200, (user, key, variant)
        pages[user].append((key, path))
    # A valid activation link shows the password form (the matrix's link is invalid).
    pages["anonymous"].append(("activate (valid link)", activation_path(UserFactory())))
    return pages


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_is_accessible_and_fits_the_screen(
    page: object, transactional_db: None, world: dict, width: int
) -> None:
    pages = pages_by_user(world)
    assert len(pages["anonymous"]) >= 1 and len(pages["consulent"]) >= 5  # positive control
    problems: dict[str, list[str]] = {}
    page.set_viewport_size({"width": width, "height": 900})
    for user, visits in pages.items():
        if user != "anonymous":
            page.context.clear_cookies()
            sign_in(page, user)
        for key, path in visits:
            response = page.goto(path)
            assert response is not None and response.status == 200, (user, path)
            found = axe_violations(page)
            if width == 390 and (extra := sideways_scroll(page)) > 0:
                found.append(f"scrolls sideways by {extra} px: {too_wide(page)}")
            if found:
                problems[f"{user} {key} {path}"] = found
    assert not problems, "\n".join(f"{where}: {p}" for where, ps in problems.items() for p in ps)
