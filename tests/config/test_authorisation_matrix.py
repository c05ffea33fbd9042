"""The authorisation matrix: every URL pattern of the project, for every role.

URL patterns are enumerated from the resolver, so a new view cannot be forgotten:
a pattern without an expectation here fails the test. Object URLs are tried with
consulent's object ("a"), consulent2's object ("b") and an id that does not exist.
Expected answers: 200, 302 (to sign-in, or onward), 403, 404 (no existence leak),
405 (wrong method).
"""

import datetime as dt
import os
import pprint

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.context import AuditContext
from audit.models import AuditEvent
from intake.models import Intake, Resident, ZrmDefinition
from intake.services import create_intake
from tests.config.urls import walk_patterns
from tests.minimisation.conftest import finalise_now

ROLES = ("anonymous", "consulent", "consulent2", "teamleider", "privacy", "beheer")
MISSING_ID = "987654321"
MISSING_REF = "00000000-0000-4000-8000-000000000999"

# Which object an object URL is tried with. "draft": a/b are the caseworkers' drafts;
# "final": their finalised intakes; "resident": the residents of the drafts (by ref).
OBJECT_KIND = {
    "intake:detail": "draft",
    "intake:edit": "draft",
    "intake:reassess": "final",
    "minimisation:preview": "draft",
    "minimisation:decision": "final",
    "team:reassign": "draft",
    "privacy:access": "resident",
    "privacy:correct": "resident",
    "privacy:erase": "resident",
}
# Views that only answer POST are tried with an empty POST.
POST_ONLY = {"intake:reassess", "logout"}

# Admin: registered models and who may do what ("view", "change" or "").
ADMIN_MODELS = {
    "audit/auditevent": {"privacy": "view", "beheer": ""},
    "intake/zrmdefinition": {"privacy": "view", "beheer": "change"},
    "intake/intake": {"privacy": "view", "beheer": ""},
    "minimisation/decisionrecord": {"privacy": "view", "beheer": ""},
    "auth/user": {"privacy": "", "beheer": "change"},
    "auth/group": {"privacy": "", "beheer": "change"},
    "otp_totp/totpdevice": {"privacy": "", "beheer": "view"},
    "otp_static/staticdevice": {"privacy": "", "beheer": "view"},
    "axes/accessattempt": {"privacy": "", "beheer": "view"},
    "axes/accesslog": {"privacy": "", "beheer": ""},
    "axes/accessfailurelog": {"privacy": "", "beheer": ""},
}

# The matrix itself: key -> role -> status, or -> {variant: status} for object URLs.
# Recorded with RECORD_MATRIX=1 and reviewed line by line; change it only on purpose.
EXPECTED: dict[str, dict[str, object]] = {
    "home": {
        "anonymous": 302,
        "consulent": 200,
        "consulent2": 200,
        "teamleider": 200,
        "privacy": 200,
        "beheer": 200,
    },
    "healthz": {
        "anonymous": 200,
        "consulent": 200,
        "consulent2": 200,
        "teamleider": 200,
        "privacy": 200,
        "beheer": 200,
    },
    "login": {
        "anonymous": 200,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 302,
        "beheer": 302,
    },
    "logout": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 302,
        "beheer": 302,
    },
    "intake:list": {
        "anonymous": 302,
        "consulent": 200,
        "consulent2": 200,
        "teamleider": 200,
        "privacy": 403,
        "beheer": 403,
    },
    "intake:new": {
        "anonymous": 302,
        "consulent": 200,
        "consulent2": 200,
        "teamleider": 403,
        "privacy": 403,
        "beheer": 403,
    },
    "intake:detail": {
        "anonymous": {"a": 302, "b": 302, "missing": 302},
        "consulent": {"a": 200, "b": 404, "missing": 404},
        "consulent2": {"a": 404, "b": 200, "missing": 404},
        "teamleider": {"a": 200, "b": 200, "missing": 404},
        "privacy": {"a": 404, "b": 404, "missing": 404},
        "beheer": {"a": 404, "b": 404, "missing": 404},
    },
    "intake:edit": {
        "anonymous": {"a": 302, "b": 302, "missing": 302},
        "consulent": {"a": 200, "b": 404, "missing": 404},
        "consulent2": {"a": 404, "b": 200, "missing": 404},
        "teamleider": {"a": 404, "b": 404, "missing": 404},
        "privacy": {"a": 404, "b": 404, "missing": 404},
        "beheer": {"a": 404, "b": 404, "missing": 404},
    },
    "intake:reassess": {
        "anonymous": {"a": 302, "b": 302, "missing": 302},
        "consulent": {"a": 302, "b": 404, "missing": 404},
        "consulent2": {"a": 404, "b": 302, "missing": 404},
        "teamleider": {"a": 403, "b": 403, "missing": 403},
        "privacy": {"a": 403, "b": 403, "missing": 403},
        "beheer": {"a": 403, "b": 403, "missing": 403},
    },
    "admin:index": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 200,
        "beheer": 200,
    },
    "admin:login": {
        "anonymous": 200,
        "consulent": 200,
        "consulent2": 200,
        "teamleider": 200,
        "privacy": 302,
        "beheer": 302,
    },
    "admin:logout": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 405,
        "beheer": 405,
    },
    "admin:password_change": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 200,
        "beheer": 200,
    },
    "admin:password_change_done": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 200,
        "beheer": 200,
    },
    "admin:autocomplete": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:jsi18n": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 200,
        "beheer": 200,
    },
    "admin:view_on_site": {
        "anonymous": {"missing": 302},
        "consulent": {"missing": 302},
        "consulent2": {"missing": 302},
        "teamleider": {"missing": 302},
        "privacy": {"missing": 404},
        "beheer": {"missing": 404},
    },
    "admin:otp_totp_totpdevice_config": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:otp_totp_totpdevice_qrcode": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:otp_totp_totpdevice_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 200,
    },
    "admin:otp_totp_totpdevice_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:otp_totp_totpdevice_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 302},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:otp_totp_totpdevice_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:otp_totp_totpdevice_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:<unnamed> beheer/otp_totp/totpdevice/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:otp_static_staticdevice_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 200,
    },
    "admin:otp_static_staticdevice_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:otp_static_staticdevice_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 302},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:otp_static_staticdevice_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:otp_static_staticdevice_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:<unnamed> beheer/otp_static/staticdevice/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:axes_accessattempt_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 200,
    },
    "admin:axes_accessattempt_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:axes_accessattempt_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 302},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:axes_accessattempt_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:axes_accessattempt_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:<unnamed> beheer/axes/accessattempt/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:axes_accesslog_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:axes_accesslog_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:axes_accesslog_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 302},
        "beheer": {"object": 403, "missing": 302},
    },
    "admin:axes_accesslog_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:axes_accesslog_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:<unnamed> beheer/axes/accesslog/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:axes_accessfailurelog_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:axes_accessfailurelog_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:axes_accessfailurelog_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 302},
        "beheer": {"object": 403, "missing": 302},
    },
    "admin:axes_accessfailurelog_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:axes_accessfailurelog_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:<unnamed> beheer/axes/accessfailurelog/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:audit_auditevent_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 200,
        "beheer": 403,
    },
    "admin:audit_auditevent_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:audit_auditevent_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 200, "missing": 302},
        "beheer": {"object": 403, "missing": 302},
    },
    "admin:audit_auditevent_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:audit_auditevent_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 200, "missing": 302},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:<unnamed> beheer/audit/auditevent/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:intake_zrmdefinition_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 200,
        "beheer": 200,
    },
    "admin:intake_zrmdefinition_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 200,
    },
    "admin:intake_zrmdefinition_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 200, "missing": 302},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:intake_zrmdefinition_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:intake_zrmdefinition_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 200, "missing": 302},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:<unnamed> beheer/intake/zrmdefinition/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:intake_intake_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 200,
        "beheer": 403,
    },
    "admin:intake_intake_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:intake_intake_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 200, "missing": 302},
        "beheer": {"object": 403, "missing": 302},
    },
    "admin:intake_intake_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:intake_intake_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 200, "missing": 302},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:<unnamed> beheer/intake/intake/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:minimisation_decisionrecord_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 200,
        "beheer": 403,
    },
    "admin:minimisation_decisionrecord_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 403,
    },
    "admin:minimisation_decisionrecord_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 200, "missing": 302},
        "beheer": {"object": 403, "missing": 302},
    },
    "admin:minimisation_decisionrecord_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:minimisation_decisionrecord_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 200, "missing": 302},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:<unnamed> beheer/minimisation/decisionrecord/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:auth_user_password_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 404},
    },
    "admin:auth_user_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 200,
    },
    "admin:auth_user_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 200,
    },
    "admin:auth_user_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 302},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:auth_user_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 403, "missing": 403},
    },
    "admin:auth_user_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:<unnamed> beheer/auth/user/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:auth_group_changelist": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 200,
    },
    "admin:auth_group_add": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 403,
        "beheer": 200,
    },
    "admin:auth_group_history": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 302},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:auth_group_delete": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:auth_group_change": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 403, "missing": 403},
        "beheer": {"object": 200, "missing": 302},
    },
    "admin:<unnamed> beheer/auth/group/<path:object_id>/": {
        "anonymous": {"object": 302, "missing": 302},
        "consulent": {"object": 302, "missing": 302},
        "consulent2": {"object": 302, "missing": 302},
        "teamleider": {"object": 302, "missing": 302},
        "privacy": {"object": 302, "missing": 302},
        "beheer": {"object": 302, "missing": 302},
    },
    "admin:app_list": {
        "anonymous": {"intake": 302, "auth": 302},
        "consulent": {"intake": 302, "auth": 302},
        "consulent2": {"intake": 302, "auth": 302},
        "teamleider": {"intake": 302, "auth": 302},
        "privacy": {"intake": 200, "auth": 404},
        "beheer": {"intake": 200, "auth": 200},
    },
    "admin:<unnamed> beheer/(?P<url>.*)$": {
        "anonymous": {"catch_all": 302},
        "consulent": {"catch_all": 302},
        "consulent2": {"catch_all": 302},
        "teamleider": {"catch_all": 302},
        "privacy": {"catch_all": 404},
        "beheer": {"catch_all": 404},
    },
    "minimisation:preview": {
        "anonymous": {"a": 302, "b": 302, "missing": 302},
        "consulent": {"a": 200, "b": 404, "missing": 404},
        "consulent2": {"a": 404, "b": 200, "missing": 404},
        "teamleider": {"a": 404, "b": 404, "missing": 404},
        "privacy": {"a": 404, "b": 404, "missing": 404},
        "beheer": {"a": 404, "b": 404, "missing": 404},
    },
    "minimisation:decision": {
        "anonymous": {"a": 302, "b": 302, "missing": 302},
        "consulent": {"a": 200, "b": 404, "missing": 404},
        "consulent2": {"a": 404, "b": 200, "missing": 404},
        "teamleider": {"a": 200, "b": 200, "missing": 404},
        "privacy": {"a": 404, "b": 404, "missing": 404},
        "beheer": {"a": 404, "b": 404, "missing": 404},
    },
    "minimisation:register": {
        "anonymous": 302,
        "consulent": 404,
        "consulent2": 404,
        "teamleider": 404,
        "privacy": 200,
        "beheer": 404,
    },
    "audit:export": {
        "anonymous": 302,
        "consulent": 404,
        "consulent2": 404,
        "teamleider": 404,
        "privacy": 200,
        "beheer": 404,
    },
    "privacy:overview": {
        "anonymous": 302,
        "consulent": 404,
        "consulent2": 404,
        "teamleider": 404,
        "privacy": 200,
        "beheer": 404,
    },
    "privacy:lookup": {
        "anonymous": 302,
        "consulent": 404,
        "consulent2": 404,
        "teamleider": 404,
        "privacy": 200,
        "beheer": 404,
    },
    "privacy:access": {
        "anonymous": {"a": 302, "b": 302, "missing": 302},
        "consulent": {"a": 404, "b": 404, "missing": 404},
        "consulent2": {"a": 404, "b": 404, "missing": 404},
        "teamleider": {"a": 404, "b": 404, "missing": 404},
        "privacy": {"a": 200, "b": 200, "missing": 404},
        "beheer": {"a": 404, "b": 404, "missing": 404},
    },
    "privacy:correct": {
        "anonymous": {"a": 302, "b": 302, "missing": 302},
        "consulent": {"a": 404, "b": 404, "missing": 404},
        "consulent2": {"a": 404, "b": 404, "missing": 404},
        "teamleider": {"a": 404, "b": 404, "missing": 404},
        "privacy": {"a": 200, "b": 200, "missing": 404},
        "beheer": {"a": 404, "b": 404, "missing": 404},
    },
    "privacy:erase": {
        "anonymous": {"a": 302, "b": 302, "missing": 302},
        "consulent": {"a": 404, "b": 404, "missing": 404},
        "consulent2": {"a": 404, "b": 404, "missing": 404},
        "teamleider": {"a": 404, "b": 404, "missing": 404},
        "privacy": {"a": 200, "b": 200, "missing": 404},
        "beheer": {"a": 404, "b": 404, "missing": 404},
    },
    "two_factor:verify": {
        "anonymous": 302,
        "consulent": 200,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 302,
        "beheer": 302,
    },
    "two_factor:enrol": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 200,
        "teamleider": 200,
        "privacy": 200,
        "beheer": 200,
    },
    "two_factor:backup_codes": {
        "anonymous": 302,
        "consulent": 302,
        "consulent2": 302,
        "teamleider": 302,
        "privacy": 302,
        "beheer": 302,
    },
    "team:intakes": {
        "anonymous": 302,
        "consulent": 403,
        "consulent2": 403,
        "teamleider": 200,
        "privacy": 403,
        "beheer": 403,
    },
    "team:reassign": {
        "anonymous": {"a": 302, "b": 302, "missing": 302},
        "consulent": {"a": 403, "b": 403, "missing": 403},
        "consulent2": {"a": 403, "b": 403, "missing": 403},
        "teamleider": {"a": 200, "b": 200, "missing": 404},
        "privacy": {"a": 403, "b": 403, "missing": 403},
        "beheer": {"a": 403, "b": 403, "missing": 403},
    },
}


@pytest.fixture
def world(demo_users: dict, settings: object) -> dict[str, object]:
    settings.AXES_ENABLED = False
    today = dt.date.today()
    objects: dict[str, object] = {}
    for key, user in (("a", "consulent"), ("b", "consulent2")):
        resident = Resident.objects.create(name=f"Matrix {key}", date_of_birth=dt.date(1980, 1, 1))
        objects[f"draft:{key}"] = create_intake(
            resident,
            demo_users[user],
            framework="wmo",
            instrument_version="zrm2017",
            context=AuditContext.system("test"),
        )
        objects[f"resident:{key}"] = resident
        final = create_intake(
            Resident.objects.create(name=f"Matrix final {key}", date_of_birth=dt.date(1980, 1, 1)),
            demo_users[user],
            framework="wmo",
            instrument_version="zrm2017",
            context=AuditContext.system("test"),
        )
        finalise_now(final, today)
        objects[f"final:{key}"] = Intake.objects.get(pk=final.pk)
    consulent = demo_users["consulent"]
    objects["admin"] = {
        "audit/auditevent": AuditEvent.objects.order_by("id").first(),
        "intake/zrmdefinition": ZrmDefinition.objects.create(
            instrument_version="zrm2017", domain="financien", level=1, text="Toets"
        ),
        "intake/intake": objects["final:a"],
        "minimisation/decisionrecord": objects["final:a"].decision,
        "auth/user": consulent,
        "auth/group": Group.objects.get(name="Team Noord"),
        "otp_totp/totpdevice": TOTPDevice.objects.create(user=consulent, name="toets"),
        "otp_static/staticdevice": StaticDevice.objects.create(user=consulent, name="toets"),
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


def _client(role: str, users: dict) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _status(client: Client, name: str, path: str) -> int:
    if name in POST_ONLY:
        return client.post(path).status_code
    return client.get(path).status_code


def _object_paths(name: str, route: str, world: dict) -> dict[str, str]:
    kind = OBJECT_KIND[name]
    if kind == "resident":
        ident = {k: str(world[f"resident:{k}"].ref) for k in "ab"}
        ident["missing"] = MISSING_REF
    else:
        ident = {k: str(world[f"{kind}:{k}"].pk) for k in "ab"}
        ident["missing"] = MISSING_ID
    return {variant: _fill(route, value) for variant, value in ident.items()}


def _admin_paths(name: str, route: str, world: dict) -> dict[str, str]:
    objects = world["admin"]
    if name == "admin:view_on_site":
        ct = ContentType.objects.get_for_model(Intake).pk
        return {"missing": f"/beheer/r/{ct}/{MISSING_ID}/"}
    if name == "admin:app_list":
        return {"intake": "/beheer/intake/", "auth": "/beheer/auth/"}
    if route.endswith("(?P<url>.*)$"):
        return {"catch_all": "/beheer/geen-pagina/"}
    model = next((m for m in ADMIN_MODELS if route.startswith(f"beheer/{m}/")), None)
    if model is None or "<" not in route:
        return {"": "/" + route.replace("^", "").replace("$", "")}
    obj = objects[model]
    return {"object": _fill(route, str(obj.pk)), "missing": _fill(route, MISSING_ID)}


def _paths(name: str, route: str, world: dict) -> dict[str, str]:
    if name.startswith("admin:") or route.startswith("beheer/"):
        return _admin_paths(name, route, world)
    if "<" in route:
        return _object_paths(name, route, world)
    return {"": "/" + route}


def _key(name: str, route: str) -> str:
    return name if name not in ("<unnamed>", "admin:<unnamed>") else f"{name} {route}"


@pytest.mark.django_db
def test_every_url_answers_every_role_as_expected(world: dict, demo_users: dict) -> None:
    actual: dict[str, dict[str, object]] = {}
    for name, route in walk_patterns():
        key = _key(name, route)
        paths = _paths(name, route, world)
        actual[key] = {}
        for role in ROLES:
            client = _client(role, demo_users)
            result = {variant: _status(client, name, path) for variant, path in paths.items()}
            actual[key][role] = result[""] if list(result) == [""] else result
    if os.environ.get("RECORD_MATRIX"):
        pprint.pprint(actual, width=120, sort_dicts=False)
    missing = sorted(set(actual) - set(EXPECTED))
    assert not missing, f"URL patterns without an expectation in the matrix: {missing}"
    stale = sorted(set(EXPECTED) - set(actual))
    assert not stale, f"expectations for URL patterns that no longer exist: {stale}"
    wrong = {
        (key, role): (EXPECTED[key][role], actual[key][role])
        for key in EXPECTED
        for role in ROLES
        if EXPECTED[key][role] != actual[key][role]
    }
    assert not wrong, "expected vs actual: " + pprint.pformat(wrong, width=120)
