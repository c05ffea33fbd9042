from django.conf import settings
from django.http import HttpRequest

from accounts.middleware import seconds_left
from accounts.roles import ROLE_LABELS, role_of

# How long before the session ends the page warns ("blijf aangemeld", WCAG 2.2.1).
WARN_BEFORE_SECONDS = 120


def role(request: HttpRequest) -> dict[str, str]:
    """Expose the signed-in user's role to every template (header, navigation)."""
    name = role_of(request.user) if hasattr(request, "user") else ""
    return {"user_role": name, "user_role_label": str(ROLE_LABELS.get(name, ""))}


def session_clock(request: HttpRequest) -> dict[str, int]:
    """For the session warning (templates/_session_clock.html): seconds left, and when to warn."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_seconds_left": seconds_left(request),
        "session_warn_before": min(WARN_BEFORE_SECONDS, settings.SESSION_IDLE_SECONDS // 3),
    }
