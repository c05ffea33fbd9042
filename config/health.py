"""/healthz: does this process reach its database? Answered before anything else runs.

`HealthCheckMiddleware` sits before the session middleware and answers /healthz itself,
so whatever the request carries (a signed-in browser's session cookie included) nothing
reads a session, a user or a lock-out from the database that may be down: 200 when a
`SELECT 1` succeeds, 503 when it does not, never a 500.

A load balancer probes every few seconds, so the outage is logged once per change of
state (per worker process): an ERROR when the database stops answering, an INFO with the
number of failed probes when it answers again; not a traceback per probe.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

PATH = "/healthz"


class _State:
    """This process's last answer, so a change of state is logged once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reachable = True
        self.failed_probes = 0

    def saw(self, reachable: bool, error: str = "") -> None:
        with self.lock:
            if reachable and not self.reachable:
                logger.info(
                    "health check: database reachable again after %d failed probes",
                    self.failed_probes,
                )
                self.failed_probes = 0
            elif not reachable:
                if self.reachable:
                    logger.error("health check: database unreachable (%s)", error)
                self.failed_probes += 1
            self.reachable = reachable


STATE = _State()


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The class only: a driver's message can name the host, user and database.
        STATE.saw(False, type(exc).__name__)
        return False
    STATE.saw(True)
    return True


def answer(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response: HttpResponse = HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    elif database_reachable():
        response = JsonResponse({"status": "ok", "database": "ok"})
    else:
        response = JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return answer(request)
        return self.get_response(request)
