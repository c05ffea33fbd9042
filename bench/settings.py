"""Settings for benchmark runs: the product's settings, plus django-auditlog as the peer
we compare the audit log against, and a trivial view as the latency floor."""

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "auditlog"]
ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False}  # keep the load runs quiet
# Production runs with DEBUG off; the in-process stages (finalise, audit write, export's
# event, sweep) ran with the development default until 29 November, so every statement went
# through Django's debug cursor, which formats and keeps each query. gunicorn always had it
# off (bench/pages.py). The test client of queries_per_request() calls itself "testserver".
DEBUG = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1", "testserver"]
