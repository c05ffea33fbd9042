"""Settings for ZRM Intake: one module, driven by environment variables.

See the README for every variable. Development is the default; production
refuses to start without a real secret key, allowed hosts and PostgreSQL.
"""

import datetime as dt
import ipaddress
from pathlib import Path

import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)

# Generic Django classes, subscripted in type hints (ModelAdmin[Intake]), work at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env_choice("DJANGO_ENV", "development", ("development", "production"))
PRODUCTION = DJANGO_ENV == "production"

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL"), sqlite_path=BASE_DIR / "db.sqlite3")
}

# The key provider (vault/providers.py): a PKCS#11 token (SoftHSM2, or the municipality's
# HSM), or in development a key file outside the database. Production refuses the key file.
KEY_PROVIDER = env_choice(
    "KEY_PROVIDER", "pkcs11" if PRODUCTION else "keyfile", ("pkcs11", "keyfile")
)
KEY_FILE = env_str("KEY_FILE", str(BASE_DIR / ".keys" / "development-keys.json"))
PKCS11_MODULE = env_str("PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
PKCS11_TOKEN_LABEL = env_str("PKCS11_TOKEN_LABEL", "zrm-intake")
PKCS11_PIN = env_str("PKCS11_PIN", "")
ROTATE_BATCH_SIZE = env_int("ROTATE_BATCH_SIZE", 1000, minimum=1)

if PRODUCTION:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters in production."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list this site's host names in production.")
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_URL must point at PostgreSQL (postgres://...) in production."
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # Our apps, bottom layer first (README, "Layout").
    "audit",
    "vault",
    "accounts",
    "intake",
    "minimisation",
    "privacy",
]

MIDDLEWARE = [
    # First, so it sees every response last, error responses of the others too.
    "config.headers.SecurityHeadersOnEveryResponse",
    "django.middleware.security.SecurityMiddleware",
    "audit.middleware.RequestIdMiddleware",
    # Before sessions: /healthz answers without touching the database a session needs.
    "config.health.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # no-store for every signed-in user's page, Clear-Site-Data when a session ends.
    "accounts.middleware.BrowserKeepsNothingMiddleware",
    "audit.middleware.AccessAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After authentication: the session checks and the second factor act on request.user.
    "accounts.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RequireSecondFactorMiddleware",
    # django-axes wants to be last, so it sees the lock-out decision of the login view.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # whitenoise serves the collected, hashed static files; in development
    # runserver and the test live server serve them from static/ directly.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "accounts.context_processors.session_clock",
                "config.context_processors.theme",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out address or user/address pair is refused before the password
    # is checked.
    "accounts.throttling.AddressLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous users get nothing.

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The UI is Dutch whatever the browser asks for: no LocaleMiddleware (it would follow
# Accept-Language, and an English browser got lang="en" on Dutch pages), and one language.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# crispy-forms renders our forms with our own template pack (templates/nlds/): the NL Design
# System's form components (README, "The look").
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nlds",)
CRISPY_TEMPLATE_PACK = "nlds"

# Sessions: stored in the database, never in a cookie, so sign-out really ends them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60, minimum=60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 15 * 60, minimum=60)
# Django renews a database session's expiry on every save, so SESSION_COOKIE_AGE alone is a
# sliding limit; config/middleware.py enforces both limits from timestamps in the session.
SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE

# Second factor (django-otp, TOTP plus backup codes). Always on in production; in development
# it is off so the demo users sign in with a password only (the sign-in page says so).
OTP_REQUIRED = env_bool("OTP_REQUIRED", PRODUCTION)
if PRODUCTION and not OTP_REQUIRED:
    raise ImproperlyConfigured("OTP_REQUIRED cannot be turned off in production.")
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "ZRM-intake")
# The admin never shows a user's TOTP secret or QR code (an application admin who could
# read it could pass anyone's second factor); it may only delete a lost device.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# A new account's activation link (accounts/activation.py) lasts this long. It is Django's
# password-reset token under a salt of its own; the product has no other reset flow.
ACCOUNT_ACTIVATION_HOURS = env_int("ACCOUNT_ACTIVATION_HOURS", 72, minimum=1)
PASSWORD_RESET_TIMEOUT = ACCOUNT_ACTIVATION_HOURS * 60 * 60
# The activation link goes by e-mail: SMTP in production, the console in development.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "zrm-intake@localhost")
# The client's address (audit log and throttling): REMOTE_ADDR, or, when REMOTE_ADDR is
# one of these proxies, the address the proxy put in CLIENT_ADDRESS_HEADER
# (audit/context.py source_ip). Empty by default: no header is believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list addresses or networks, not {_proxy!r}."
        ) from None
CLIENT_ADDRESS_HEADER = env_str("CLIENT_ADDRESS_HEADER", "X-Forwarded-For")

# Login throttling (django-axes): lock out a user name from one address after repeated
# failures, for a cool-off period; and an address, whatever the user names, after many
# (password spraying). Passwords are never stored (axes masks them), user names only as
# a keyed hash; the audit event on lock-out holds no user name (accounts/throttling.py).
AXES_ENABLED = True
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A refused attempt during a lock-out does not start the cool-off again: otherwise one
# request every 15 minutes keeps a user out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.throttling.locked_out"
AXES_USERNAME_CALLABLE = "accounts.throttling.username_for_axes"
AXES_CLIENT_IP_CALLABLE = "audit.context.source_ip"
# The typed user name is also in the POST data axes keeps: masked there.
AXES_SENSITIVE_PARAMETERS = ["username", "password", "otp_token"]
# Per address, across user names: high enough for a shared proxy or a town hall's NAT.
ADDRESS_FAILURE_LIMIT = env_int("ADDRESS_FAILURE_LIMIT", 50, minimum=1)
ADDRESS_FAILURE_WINDOW = dt.timedelta(minutes=env_int("ADDRESS_FAILURE_MINUTES", 15, minimum=1))
# No log of successful sign-ins in axes' tables: the audit log records them.
AXES_DISABLE_ACCESS_LOG = True
# Axes' own log lines name the client; keep user names out of them.
AXES_CLIENT_STR_CALLABLE = "accounts.throttling.client_str"
AXES_VERBOSE = False

# Security headers, on in every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# The look: the NL Design System's Utrecht components with a theme of design tokens. A
# municipality swaps in its own theme by pointing these at its own token CSS under static/
# and the class that scopes it (README, "The look").
THEME_STYLESHEET = env_str("THEME_STYLESHEET", "vendor/voorbeeld-design-tokens-7.4.1/theme.css")
THEME_CLASS = env_str("THEME_CLASS", "voorbeeld-theme")

# TLS: on in production; each switch can be turned off for a proxy that terminates TLS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # The __Host- prefix: the browser accepts the cookie only over HTTPS, for this host
    # alone (no Domain) and the whole site (Path=/), so no sibling subdomain can set it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Audit log: events older than this may be removed with `manage.py prune_audit`.
# Audit events carry the actor's role; the accounts app knows roles (audit/context.py).
AUDIT_ROLE_RESOLVER = "accounts.roles.role_of"
# Audit events that process resident data name their processing activity; the policy
# knows them (audit/nen7513.py).
AUDIT_PROCESSING_ACTIVITY_RESOLVER = "minimisation.register.processing_activity"
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 5 * 365, minimum=1)
# The installation's name: the origin (and key name) of signed audit checkpoints, and the
# source system of every audit event. No spaces or '+'; a host name and path is usual.
AUDIT_INSTALLATION_NAME = env_str("AUDIT_INSTALLATION_NAME", "zrm-intake.localhost/audit")
# The Ed25519 private key (PEM) that signs checkpoints: outside the database, mode 600.
AUDIT_CHECKPOINT_KEY = env_str("AUDIT_CHECKPOINT_KEY", "")
# Anonymous requests under these paths are logged as access denied (they hold resident data).
AUDIT_RESIDENT_URL_PREFIXES = ("/intakes/", "/inwoners/", "/privacy/inwoners/")

# Logging: to stderr, structured by the platform. Never log request bodies or
# form values: they can hold personal data that minimisation has to be able to destroy.
LOG_LEVEL = env_choice("LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's request logger prints the URL and, on errors, local variables
        # of the failing frame; keep it at ERROR and without the request repr.
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
    },
}
