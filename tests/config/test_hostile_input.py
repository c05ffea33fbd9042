"""Hostile input: every form and every URL parameter, driven by hypothesis.

No request may end in a 500 (Django's test client re-raises any exception a view
lets escape), and nothing that was typed may reach the log output.
"""

import logging
import uuid
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import Intake
from tests.factories import IntakeFactory

MARK = "QQHOSTILE"  # every generated value carries this, so the log check can find it

FRAGMENTS = [
    "' OR 1=1 --",
    "'; DROP TABLE intake_intake; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "../../etc/passwd",
    "\x00\x01\x02\x1b[31m",
    "\u202e\ufeff\ud7ff",
    "%00%0d%0a",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "31-12-1899",
    "true",
    "[]",
    "{}",
]

hostile_text = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.builds(lambda n: "x" * n, st.integers(min_value=2_000, max_value=120_000)),
).map(lambda value: f"{MARK}{value}")


class FormFields(HTMLParser):
    """Collects the field names (and select options) of the forms on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag in ("input", "textarea") and name and a.get("type") != "submit":
            self.fields.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            self.fields[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def field_names(client: Client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = FormFields()
    parser.feed(response.content.decode())
    parser.fields.pop("csrfmiddlewaretoken", None)
    assert parser.fields, f"no form fields found on {url}"
    return parser.fields


@pytest.fixture
def draft(demo_users: dict) -> Intake:
    return IntakeFactory(caseworker=demo_users["consulent"], resident__name="Hostile Test")


def assert_not_logged(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture) -> None:
    captured = capsys.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert MARK not in logged, "a typed value reached the log output"


# (url name, args from the draft fixture, role that may use the form)
FORM_PAGES = [
    ("login", None, None),
    ("intake:list", None, "consulent"),
    ("intake:new", None, "consulent"),
    ("intake:edit", "draft", "consulent"),
    ("minimisation:preview", "draft", "consulent"),
    ("audit:export", None, "privacy"),
    ("privacy:overview", None, "privacy"),
    ("privacy:lookup", None, "privacy"),
    ("privacy:correct", "resident", "privacy"),
    ("privacy:erase", "resident", "privacy"),
    ("team:reassign", "draft", "teamleider"),
    ("two_factor:enrol", None, "consulent"),
]

EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Where a URL's form lives on another page: finalising posts from the confirmation step.
FORM_SOURCE = {"minimisation:preview": "minimisation:confirm"}


@pytest.mark.parametrize(("url_name", "arg", "role"), FORM_PAGES)
def test_hostile_form_input_never_causes_a_500_or_reaches_the_log(
    url_name: str,
    arg: str | None,
    role: str | None,
    signed_in: object,
    draft: Intake,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture,
) -> None:
    client = signed_in(role) if role else Client()
    args = {None: None, "draft": [draft.pk], "resident": [draft.resident.ref]}[arg]
    url = reverse(url_name, args=args)
    names = sorted(field_names(client, reverse(FORM_SOURCE.get(url_name, url_name), args=args)))

    @EXAMPLES
    @given(data=st.data())
    def post(data: st.DataObject) -> None:
        payload = {
            name: data.draw(st.one_of(hostile_text, st.sampled_from(["", "1", "bevestigd"])))
            for name in names
        }
        response = client.post(url, payload)
        assert response.status_code < 500
        response = client.get(url, payload)
        assert response.status_code < 500

    with caplog.at_level(logging.INFO):
        post()
    assert_not_logged(caplog, capsys)


def all_object_url_names() -> list[str]:
    from tests.config.urls import walk_patterns

    return sorted(
        name
        for name, route in walk_patterns()
        if "<" in route and ":" in name and not name.startswith("admin:")
    )


@pytest.mark.parametrize("url_name", all_object_url_names())
def test_hostile_url_parameters_never_cause_a_500_or_reach_the_log(
    url_name: str,
    signed_in: object,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture,
) -> None:
    from tests.config.urls import route_of

    client = signed_in("consulent")
    route = route_of(url_name)

    @EXAMPLES
    @given(value=hostile_text, query=hostile_text)
    def visit(value: str, query: str) -> None:
        path = "/" + route.split("<")[0] + quote(value, safe="") + "/" + route.split(">/", 1)[1]
        response = client.get(path, {"q": query, "page": query})
        assert response.status_code < 500
        response = client.post(path, {"q": query})
        assert response.status_code < 500

    with caplog.at_level(logging.INFO):
        visit()
        for wrong in ("0", "-1", "9" * 30, str(uuid.uuid4()), "1.5"):
            path = "/" + route.split("<")[0] + wrong + "/" + route.split(">/", 1)[1]
            assert client.get(path).status_code in (302, 400, 403, 404, 405), path
    assert_not_logged(caplog, capsys)
