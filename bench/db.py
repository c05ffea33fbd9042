"""A fresh benchmark database beside the one DATABASE_URL names."""

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg


def bench_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("make bench needs DATABASE_URL=postgres://... (PostgreSQL).")
    name = parts.path.lstrip("/") + "_bench"
    return urlunsplit(parts._replace(path="/" + name))


def recreate(url: str) -> None:
    """Drop and create the benchmark database (never the one DATABASE_URL names)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    assert name.endswith("_bench"), name
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def use(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


def current_url() -> str:
    return os.environ["DATABASE_URL"]
