import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "q8!z@L#p%2^x&7*Yv(0)w-=+R[s]T{u}N;m:B<c>"


def test_an_unset_database_url_means_sqlite_with_secure_delete(tmp_path: Path) -> None:
    db = database_from_url("", sqlite_path=tmp_path / "db.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert "secure_delete=ON" in db["OPTIONS"]["init_command"]


def test_a_postgres_url_is_split_into_its_parts(tmp_path: Path) -> None:
    db = database_from_url("postgres://zrm:p%40ss@db.example:6543/zrm", sqlite_path=tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "zrm",
        "p@ss",
        "db.example",
        "6543",
        "zrm",
    )


@pytest.mark.parametrize("url", ["mysql://localhost/zrm", "sqlite:///x.db", "nonsense"])
def test_an_unsupported_database_url_is_a_clear_error(url: str, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url, sqlite_path=tmp_path)


def test_a_postgres_url_without_a_database_name_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must name a database"):
        database_from_url("postgres://localhost", sqlite_path=tmp_path)


def test_a_bad_boolean_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)


def test_a_bad_number_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_IDLE_SECONDS", "ten")
    with pytest.raises(ImproperlyConfigured, match="SESSION_IDLE_SECONDS"):
        env_int("SESSION_IDLE_SECONDS", 900)


def run_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "zrm.gemeente.example",
    "DATABASE_URL": "postgres://zrm@127.0.0.1:5432/zrm",
}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must list"),
        ("DATABASE_URL", "DATABASE_URL must point at PostgreSQL"),
    ],
)
def test_production_refuses_to_start_without(missing: str, message: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_manage(env, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_the_development_secret_key() -> None:
    result = run_manage({**PRODUCTION, "SECRET_KEY": "short"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_with_production_settings_has_no_warnings() -> None:
    result = run_manage(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
