"""Dutch names for the third-party models the admin shows (django-otp, django-axes).

django-otp's models carry English names that are not marked for translation, so a .po file
cannot reach them; django-axes' are marked, and its field labels come from locale/nl. The
admin's index, lists and breadcrumbs read these names, so the admin speaks Dutch throughout.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# (app label, model name or None for the app itself, singular, plural)
LABELS = (
    ("otp_totp", None, _("Tweestapsverificatie: authenticator-apps"), None),
    (
        "otp_totp",
        "totpdevice",
        _("gekoppelde authenticator-app"),
        _("gekoppelde authenticator-apps"),
    ),
    ("otp_static", None, _("Tweestapsverificatie: reservecodes"), None),
    ("otp_static", "staticdevice", _("set reservecodes"), _("sets reservecodes")),
    ("otp_static", "statictoken", _("reservecode"), _("reservecodes")),
    ("axes", None, _("Aanmeldbeveiliging"), None),
    ("axes", "accessattempt", _("mislukte aanmeldpoging"), _("mislukte aanmeldpogingen")),
    ("axes", "accessfailurelog", _("mislukte aanmelding"), _("mislukte aanmeldingen")),
    ("axes", "accesslog", _("aanmelding"), _("aanmeldingen")),
    (
        "axes",
        "accessattemptexpiration",
        _("verloop van een aanmeldpoging"),
        _("verloop van aanmeldpogingen"),
    ),
)


def install() -> None:
    for app_label, model_name, singular, plural in LABELS:
        config = apps.get_app_config(app_label)
        if model_name is None:
            config.verbose_name = singular
            continue
        meta = config.get_model(model_name)._meta
        meta.verbose_name = singular
        meta.verbose_name_plural = plural
