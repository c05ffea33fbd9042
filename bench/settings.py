"""Settings for benchmark runs: the product's settings, plus django-auditlog as the peer
we compare the audit log against, and a trivial view as the latency floor."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "auditlog"]
ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False}  # keep the load runs quiet
