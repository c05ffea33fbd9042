from django.conf import settings
from django.http import HttpRequest


def theme(request: HttpRequest) -> dict[str, str]:
    """The design-token stylesheet and the class that scopes it, for base.html and the admin."""
    return {"theme_stylesheet": settings.THEME_STYLESHEET, "theme_class": settings.THEME_CLASS}
