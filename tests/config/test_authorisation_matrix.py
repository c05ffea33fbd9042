"""The authorisation matrix: every URL pattern of the project, for every demo user.

URL patterns are enumerated from the resolver, and the expected answer of each is derived
from the rules below (how the view is gated, who holds which object, what each staff
role may do in the admin) plus a short table of exceptions, each with its reason. A
pattern that no rule covers fails the test, so a new view cannot be forgotten, and an
exception that the rules already produce fails it too, so the table stays short.

Object URLs are tried with consulent's object ("a"), consulent2's object ("b") and an id
that does not exist. Both caseworkers are set up the same way: neither has a second
factor device (OTP is off in the tests; the second factor has its own tests).
"""

import contextlib
import pprint
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseBase
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleGrant
from accounts.roles import CASEWORK_ROLES, CONSULENT, PRIVACY_OFFICER, TEAMLEIDER
from audit.models import AuditEvent
from intake.management.commands.seed_demo import DEMO_TEAM, DEMO_USERS
from intake.models import Intake, ZrmDefinition
from tests.config.urls import walk_patterns
from tests.factories import IntakeFactory, UserFactory, finalise_now

ANONYMOUS = "anonymous"
USERS = (ANONYMOUS, *DEMO_USERS)
SIGNED_IN = frozenset(DEMO_USERS)
STAFF = frozenset(u for u, (_role, _in_team, is_staff) in DEMO_USERS.items() if is_staff)
MISSING_ID = "987654321"
MISSING_REF = "00000000-0000-4000-8000-000000000999"
OBJECTS = ("a", "b")
MISSING = "missing"


def role_of(user: str) -> str:
    return DEMO_USERS[user][0] if user != ANONYMOUS else ""


# ---- the world: who holds which object ---------------------------------------------
# consulent owns "a", consulent2 owns "b"; both are in the demo team, whose lead sees
# both through the team's leads group (intake/access.py) but may change neither.
VIEWS_INTAKE = {"consulent": {"a"}, "consulent2": {"b"}, "teamleider": {"a", "b"}}
CHANGES_INTAKE = {"consulent": {"a"}, "consulent2": {"b"}}
REASSIGNS = {"teamleider": {"a", "b"}}  # the team lead of the intakes' team
EVERY_RESIDENT = {"privacy": {"a", "b"}}  # the privacy officer's pages reach every resident


@dataclass(frozen=True)
class Page:
    """How a view is gated, in the order its checks run: sign-in, role, method, object."""

    public: bool = False  # no sign-in needed
    roles: tuple[str, ...] = ()  # accounts.gates.role_required(*roles); (): any signed-in user
    hide: bool = False  # the role gate answers 404 instead of 403
    post_only: bool = False  # tried with GET (405) and with POST (302 onward on success)
    objects: str = ""  # "draft", "final" or "resident": an object URL, tried with a, b, missing
    access: Mapping[str, set[str]] = field(default_factory=dict)  # who reaches a and b
    post_status: int = 302  # a script's endpoint answers JSON instead of redirecting


privacy_officer_page = Page(roles=(PRIVACY_OFFICER,), hide=True)
privacy_officer_object_page = Page(
    roles=(PRIVACY_OFFICER,), hide=True, objects="resident", access=EVERY_RESIDENT
)

PAGES: dict[str, Page] = {
    "home": Page(),
    "healthz": Page(public=True),
    "login": Page(public=True),
    "activate": Page(public=True),  # an invalid link: the page says so, to anyone
    "logout": Page(public=True, post_only=True),
    "intake:list": Page(roles=CASEWORK_ROLES),
    "intake:new": Page(roles=(CONSULENT,)),
    "intake:detail": Page(objects="draft", access=VIEWS_INTAKE),
    "intake:edit": Page(objects="draft", access=CHANGES_INTAKE),
    # The autosave answers JSON; the matrix posts no form, which it refuses as invalid.
    "intake:autosave": Page(
        post_only=True, objects="draft", access=CHANGES_INTAKE, post_status=400
    ),
    "keep_alive": Page(post_only=True, post_status=200),
    "intake:reassess": Page(
        roles=(CONSULENT,), post_only=True, objects="final", access=VIEWS_INTAKE
    ),
    "minimisation:preview": Page(objects="draft", access=CHANGES_INTAKE),
    "minimisation:confirm": Page(objects="draft", access=CHANGES_INTAKE),
    "minimisation:decision": Page(objects="final", access=VIEWS_INTAKE),
    "minimisation:register": privacy_officer_page,
    "audit:export": privacy_officer_page,
    "privacy:overview": privacy_officer_page,
    "privacy:lookup": privacy_officer_page,
    "privacy:access": privacy_officer_object_page,
    "privacy:correct": privacy_officer_object_page,
    "privacy:erase": privacy_officer_object_page,
    "two_factor:verify": Page(),
    "two_factor:enrol": Page(),
    "two_factor:backup_codes": Page(),
    "team:intakes": Page(roles=(TEAMLEIDER,)),
    "team:reassign": Page(roles=(TEAMLEIDER,), objects="draft", access=REASSIGNS),
}

# ---- the admin ------------------------------------------------------------------------
# What each staff user may do per registered model (accounts/role_setup.py, narrowed by
# the ModelAdmins: nothing in the audit log or the decisions can be added, changed or
# deleted). Users are deactivated, never deleted: the audit log refers to them.
ADMIN_RIGHTS: dict[str, dict[str, set[str]]] = {
    "audit/auditevent": {"privacy": {"view"}},
    "intake/zrmdefinition": {"privacy": {"view"}, "beheer": {"view", "add", "change", "delete"}},
    "intake/intake": {"privacy": {"view"}},
    "minimisation/decisionrecord": {"privacy": {"view"}},
    "auth/user": {"beheer": {"view", "add", "change"}},
    # Pending role grants: seen and decided by their approvers (accounts/grants.py).
    "accounts/rolegrant": {"beheer": {"view"}, "privacy": {"view"}},
    "auth/group": {"beheer": {"view", "add", "change", "delete"}},
    # Reset a lost second factor; lift a login lock-out.
    "otp_totp/totpdevice": {"beheer": {"view", "delete"}},
    "otp_static/staticdevice": {"beheer": {"view", "delete"}},
    "axes/accessattempt": {"beheer": {"view", "delete"}},
    "axes/accesslog": {},
    "axes/accessfailurelog": {},
}
# The admin's own pages: what staff get (everyone else is sent to the admin's sign-in).
ADMIN_SITE = {
    "admin:index": 200,
    "admin:password_change": 200,
    "admin:password_change_done": 200,
    "admin:jsi18n": 200,
    "admin:logout": 405,  # POST only (Django 5)
    "admin:autocomplete": 403,  # asked without a model and field
    "admin:view_on_site": 404,  # tried with an object that does not exist
    "admin:<unnamed> beheer/(?P<url>.*)$": 404,  # the catch-all: no such admin page
}


def _admin_model_answer(action: str, rights: set[str], variant: str) -> int:
    """Django's ModelAdmin views: some look the object up before they check the right."""
    sees = bool(rights & {"view", "change"})
    if action == "changelist":
        return 200 if sees else 403
    if action == "add":
        return 200 if "add" in rights else 403
    if action in ("history", "change"):  # the right first, so a 403 tells nothing
        return 403 if not sees else (302 if variant == MISSING else 200)
    if action == "delete":
        return 403 if "delete" not in rights else (302 if variant == MISSING else 200)
    if action == "password_change":
        return 403  # nobody sets someone else's password: an activation link does
    raise LookupError(action)


def _admin_answer(key: str, route: str, user: str, variant: str) -> int:
    if key == "admin:login":  # the admin's sign-in sends staff on to the index
        return 302 if user in STAFF else 200
    model = next((m for m in ADMIN_RIGHTS if route.startswith(f"beheer/{m}/")), None)
    if model is not None and key.startswith("admin:<unnamed>"):
        return 302  # beheer/<model>/<id>/ redirects to the change page, for anyone
    if user not in STAFF:
        return 302
    if key == "admin:app_list":  # listed if the user may do anything with a model of it
        reachable = any(ADMIN_RIGHTS[m].get(user) for m in ADMIN_RIGHTS if m.startswith(variant))
        return 200 if reachable else 404
    if key in ADMIN_SITE:
        return ADMIN_SITE[key]
    if model is None:
        raise LookupError(key)
    action = key.removeprefix("admin:" + model.replace("/", "_") + "_")
    return _admin_model_answer(action, ADMIN_RIGHTS[model].get(user, set()), variant)


def _page_answer(page: Page, user: str, variant: str, method: str) -> int:
    if user == ANONYMOUS and not page.public:
        return 302  # to the sign-in page
    if page.roles and role_of(user) not in page.roles:
        return 404 if page.hide else 403
    if page.post_only and method == "GET":
        return 405
    if page.objects and variant not in page.access.get(user, set()):
        return 404  # no permission on it, or it does not exist: the same answer
    return page.post_status if method == "POST" else 200


@dataclass(frozen=True)
class Deviation:
    key: str
    users: frozenset[str]
    status: int
    reason: str


EXCEPTIONS = (
    Deviation(
        "login", SIGNED_IN, 302, "the sign-in page sends a signed-in user on to the start page"
    ),
    Deviation(
        "two_factor:verify", SIGNED_IN, 302, "nobody has a device: verify sends them to enrol"
    ),
    Deviation(
        "two_factor:backup_codes", SIGNED_IN, 302, "backup codes need a verified device first"
    ),
    Deviation(
        "admin:otp_totp_totpdevice_config",
        STAFF,
        403,
        "OTP_ADMIN_HIDE_SENSITIVE_DATA: the admin never shows a TOTP secret",
    ),
    Deviation(
        "admin:otp_totp_totpdevice_qrcode",
        STAFF,
        403,
        "OTP_ADMIN_HIDE_SENSITIVE_DATA: the admin never shows a TOTP QR code",
    ),
)


def by_rule(key: str, route: str, user: str, variant: str, method: str) -> int:
    """The answer the rules give; LookupError when no rule covers the URL."""
    if key.startswith("admin:") or route.startswith("beheer/"):
        return _admin_answer(key, route, user, variant)
    return _page_answer(PAGES[key], user, variant, method)


def expected(key: str, route: str, user: str, variant: str, method: str) -> int:
    for exception in EXCEPTIONS:
        if exception.key == key and user in exception.users:
            return exception.status
    return by_rule(key, route, user, variant, method)


# ---- the requests ---------------------------------------------------------------------


@pytest.fixture
def world(demo_users: dict, settings: object) -> dict[str, object]:
    settings.AXES_ENABLED = False
    settings.OTP_REQUIRED = False
    objects: dict[str, object] = {}
    for key, username in (("a", "consulent"), ("b", "consulent2")):
        draft = IntakeFactory(caseworker=demo_users[username])
        objects[f"draft:{key}"] = draft
        objects[f"resident:{key}"] = draft.resident
        final = IntakeFactory(caseworker=demo_users[username])
        finalise_now(final)
        objects[f"final:{key}"] = final
    # The second factor's devices belong to someone outside the matrix, so that no
    # demo user answers differently because of a device.
    device_owner = UserFactory(username="matrix-device-owner")
    objects["admin"] = {
        "audit/auditevent": AuditEvent.objects.order_by("id").first(),
        "intake/zrmdefinition": ZrmDefinition.objects.create(
            instrument_version="zrm2017", domain="financien", level=1, text="Toets"
        ),
        "intake/intake": objects["final:a"],
        "minimisation/decisionrecord": objects["final:a"].decision,
        "auth/user": demo_users["consulent"],
        "auth/group": Group.objects.get(name=DEMO_TEAM),
        "otp_totp/totpdevice": TOTPDevice.objects.create(user=device_owner, name="toets"),
        "otp_static/staticdevice": StaticDevice.objects.create(user=device_owner, name="toets"),
        "accounts/rolegrant": RoleGrant.objects.create(
            user=device_owner,
            group=Group.objects.get(name=CONSULENT),
            proposed_by=UserFactory(username="matrix-proposer"),
        ),
        "axes/accessattempt": AccessAttempt.objects.create(
            username="x", ip_address="127.0.0.1", failures_since_start=1
        ),
        "axes/accesslog": AccessLog.objects.create(username="x", ip_address="127.0.0.1"),
        "axes/accessfailurelog": AccessFailureLog.objects.create(
            username="x", ip_address="127.0.0.1"
        ),
    }
    return objects


def _fill(route: str, value: str) -> str:
    """Put `value` in the route's single parameter (any converter)."""
    head, _sep, rest = route.partition("<")
    _param, _sep, tail = rest.partition(">")
    return "/" + head + value + tail


def _object_paths(name: str, route: str, world: dict) -> dict[str, str]:
    kind = PAGES[name].objects
    if not kind:
        raise LookupError(f"{name} takes a parameter but its Page names no objects")
    if kind == "resident":
        ident = {k: str(world[f"resident:{k}"].ref) for k in OBJECTS}
        ident[MISSING] = MISSING_REF
    else:
        ident = {k: str(world[f"{kind}:{k}"].pk) for k in OBJECTS}
        ident[MISSING] = MISSING_ID
    return {variant: _fill(route, value) for variant, value in ident.items()}


def _admin_paths(name: str, route: str, world: dict) -> dict[str, str]:
    objects = world["admin"]
    if name == "admin:view_on_site":
        ct = ContentType.objects.get_for_model(Intake).pk
        return {MISSING: f"/beheer/r/{ct}/{MISSING_ID}/"}
    if name == "admin:app_list":
        return {"intake": "/beheer/intake/", "auth": "/beheer/auth/"}
    if route.endswith("(?P<url>.*)$"):
        return {"catch_all": "/beheer/geen-pagina/"}
    model = next((m for m in ADMIN_RIGHTS if route.startswith(f"beheer/{m}/")), None)
    if model is None or "<" not in route:
        return {"": "/" + route.replace("^", "").replace("$", "")}
    obj = objects[model]
    return {"object": _fill(route, str(obj.pk)), MISSING: _fill(route, MISSING_ID)}


# URLs whose parameters name no object of the world: tried with these values.
PARAMETER_PATHS = {"activate": "/activeren/MQ/geen-geldig-token/"}


def _paths(name: str, route: str, world: dict) -> dict[str, str]:
    if name.startswith("admin:") or route.startswith("beheer/"):
        return _admin_paths(name, route, world)
    if name in PARAMETER_PATHS:
        return {"": PARAMETER_PATHS[name]}
    if "<" in route:
        return _object_paths(name, route, world)
    return {"": "/" + route}


def _key(name: str, route: str) -> str:
    return name if name not in ("<unnamed>", "admin:<unnamed>") else f"{name} {route}"


def _methods(key: str) -> tuple[str, ...]:
    page = PAGES.get(key)
    return ("GET", "POST") if page is not None and page.post_only else ("GET",)


def _client(user: str, users: dict) -> Client:
    client = Client()
    if user != ANONYMOUS:
        client.force_login(users[user])
    return client


def _expectations(world: dict) -> tuple[dict[tuple[str, ...], tuple[str, int]], set[str]]:
    """(key, user, variant, method) -> (path, expected status); and the uncovered keys."""
    cases: dict[tuple[str, ...], tuple[str, int]] = {}
    unruled: set[str] = set()
    for name, route in walk_patterns():
        key = _key(name, route)
        try:
            for variant, path in _paths(name, route, world).items():
                for user in USERS:
                    for method in _methods(key):
                        want = expected(key, route, user, variant, method)
                        cases[(key, user, variant, method)] = (path, want)
        except LookupError:
            unruled.add(key)
    return cases, unruled


def _responses(
    cases: dict[tuple[str, ...], tuple[str, int]], users: dict, who: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], HttpResponseBase]]:
    """Ask every case of the users in `who`, GET with one client per user."""
    clients = {user: _client(user, users) for user in who}
    for case, (path, _want) in cases.items():
        _key_, user, _variant, method = case
        if user not in who:
            continue
        if method == "POST":  # a client of its own: a POST may sign the user out
            yield case, _client(user, users).post(path)
        else:
            yield case, clients[user].get(path)


def cache_directives(response: HttpResponseBase) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


@pytest.mark.django_db
def test_every_url_answers_every_user_as_the_rules_say(world: dict, demo_users: dict) -> None:
    cases, unruled = _expectations(world)
    assert not unruled, f"URL patterns that no rule or exception covers: {sorted(unruled)}"
    wrong = {}
    for case, response in _responses(cases, demo_users, USERS):
        want = cases[case][1]
        if response.status_code != want:
            wrong[case] = (want, response.status_code)
    assert not wrong, "(url, user, variant, method): (expected, actual)\n" + pprint.pformat(
        wrong, width=120
    )


@pytest.mark.django_db
def test_every_url_tells_a_signed_in_users_browser_to_store_nothing(
    world: dict, demo_users: dict
) -> None:
    """Cache-Control: no-store, private on every answer to a signed-in user, whatever the
    status: a page with resident data never lands in the browser's disk cache, and Back
    asks the server again."""
    cases = _expectations(world)[0]
    stored = {
        case: response.get("Cache-Control", "")
        for case, response in _responses(cases, demo_users, tuple(SIGNED_IN))
        if not {"no-store", "private"} <= cache_directives(response)
    }
    assert not stored, "(url, user, variant, method): Cache-Control\n" + pprint.pformat(stored)
    # The positive control: the same check finds an answer that may be stored (an anonymous
    # visitor's "page not found" holds nothing of anyone).
    assert "no-store" not in cache_directives(Client().get("/geen-pagina/"))


def test_every_exception_names_a_url_and_differs_from_the_rules() -> None:
    routes = {_key(name, route): route for name, route in walk_patterns()}
    for deviation in EXCEPTIONS:
        assert deviation.key in routes, f"an exception for a URL that does not exist: {deviation}"
        by_rules = set()
        for user in deviation.users:
            for variant in ("", "object", MISSING):
                # No rule at all is fine: then the exception is what covers the URL.
                with contextlib.suppress(LookupError):
                    route = routes[deviation.key]
                    by_rules.add(by_rule(deviation.key, route, user, variant, "GET"))
        assert deviation.status not in by_rules, f"the rules already give this: {deviation}"


@pytest.mark.django_db
def test_a_url_that_no_rule_covers_fails_the_matrix(world: dict, monkeypatch) -> None:
    assert not _expectations(world)[1]  # the positive control: today every URL is covered
    monkeypatch.delitem(PAGES, "team:intakes")
    monkeypatch.delitem(ADMIN_RIGHTS, "axes/accesslog")
    unruled = _expectations(world)[1]
    assert "team:intakes" in unruled
    assert {"admin:axes_accesslog_changelist", "admin:axes_accesslog_change"} <= unruled
