"""Caseworker pages under load: gunicorn (2 workers) and wrk (8 connections)."""

import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

from accounts.middleware import LAST_SEEN_KEY, SIGNED_IN_AT_KEY

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk_report.lua"


def session_cookie(user_id: int) -> str:
    """A real signed-in session for `user_id`, as the sign-in view would store it, plus a
    CSRF cookie (its secret doubles as the POST form token, see csrf_token()).

    The one place that knows what a signed-in request carries: when middleware adds
    requirements (a second factor, an idle timeout), adapt the session here.
    """
    user = get_user_model().objects.get(pk=user_id)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # The session clock the sign-in view starts (accounts.middleware.start_session_clock);
    # a run is far shorter than the idle and absolute limits.
    store[SIGNED_IN_AT_KEY] = store[LAST_SEEN_KEY] = time.time()
    store.create()
    return (
        f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
    )


# Django accepts the unmasked 32-character secret as the form token too.
CSRF_SECRET = "b" * 32


def post_body(fields: dict[str, str]) -> str:
    """A form body for a POST page, with the CSRF token that matches session_cookie()."""
    return urlencode({"csrfmiddlewaretoken": CSRF_SECRET, **fields})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def http_status(url: str, cookie: str, body: str | None = None) -> int:
    """The status the load runs get (wrk counts only 4xx/5xx as errors, not a redirect to
    the sign-in page), with the same cookie and body, redirects not followed."""
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1, our own gunicorn
        url,
        data=body.encode() if body is not None else None,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return int(error.code)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def gunicorn(workers: int = 2, settings_module: str = "bench.settings") -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DEBUG": "false",
        "DJANGO_ENV": "development",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "bench.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def wrk(
    url: str, cookie: str, *, seconds: int, connections: int = 8, body: str | None = None
) -> dict[str, float]:
    """One wrk run (a GET, or a form POST when `body` is given); latencies in milliseconds."""
    script = LUA.read_text()
    if body is not None:
        script = (
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            f"wrk.body = {json.dumps(body)}\n" + script
        )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "-s",
                lua.name,
                "-H",
                f"Cookie: {cookie}",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return {
        "requests": data["requests"],
        "errors": data["errors"],
        "rps": data["requests"] / (data["duration_us"] / 1e6),
        "p50": data["p50_us"] / 1000,
        "p95": data["p95_us"] / 1000,
        "p99": data["p99_us"] / 1000,
    }


def queries_per_request(
    user_id: int, path: str, data: dict[str, str] | None = None
) -> tuple[int, int]:
    """(status, number of SQL queries) for one request (a POST when `data` is given)."""
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))

    def send() -> "_MonkeyPatchedWSGIResponse":
        return client.post(path, data) if data is not None else client.get(path)

    send()  # warm caches that a long-lived worker would have warm
    with CaptureQueriesContext(connection) as ctx:
        response = send()
    return response.status_code, len(ctx.captured_queries)
