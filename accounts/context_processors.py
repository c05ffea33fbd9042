from django.http import HttpRequest

from accounts.roles import ROLE_LABELS, role_of


def role(request: HttpRequest) -> dict[str, str]:
    """Expose the signed-in user's role to every template (header, navigation)."""
    name = role_of(request.user) if hasattr(request, "user") else ""
    return {"user_role": name, "user_role_label": str(ROLE_LABELS.get(name, ""))}
