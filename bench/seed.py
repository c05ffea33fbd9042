"""Fast seeding with PostgreSQL COPY: residents, intakes, assessments and their
object permissions, as the product would have created them."""

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection

from intake.instrument import ZRM_2017
from vault import blind

CASEWORKERS = 100  # the measured caseworker owns 1 in 100 intakes
BENCH_PASSWORD = "bench-only-password"  # noqa: S105
FRAMEWORKS = ("wmo", "jeugdwet", "participatiewet", "schuldhulp")


@dataclass(frozen=True)
class Cast:
    caseworker_ids: list[int]
    team_id: int

    @property
    def measured(self) -> int:
        return self.caseworker_ids[0]


def caseworkers() -> Cast:
    """100 caseworkers in one team; idempotent."""
    user_model = get_user_model()
    team, _ = Group.objects.get_or_create(name="Team Bench")
    role = Group.objects.get(name="consulent")
    ids = []
    for n in range(CASEWORKERS):
        user, created = user_model.objects.get_or_create(username=f"bench_cw_{n:03d}")
        if created:
            user.set_password(BENCH_PASSWORD)
            user.save()
            user.groups.add(role, team)
        ids.append(user.pk)
    return Cast(caseworker_ids=ids, team_id=team.pk)


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        next_id: int = cursor.fetchone()[0]
        return next_id


def _copy(table: str, columns: tuple[str, ...], rows: Iterator[tuple[object, ...]]) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _reset_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT MAX(id) FROM {table}))"
        )


def _perm_id(codename: str) -> int:
    return Permission.objects.get(content_type__app_label="intake", codename=codename).pk


FIRST_NAMES: tuple[str, ...] = (
    *("Anna", "Bram", "Chantal", "Daan", "Emma", "Fatima", "Gerrit", "Hanna", "Ilse", "Jan"),
    *("Kevin", "Lotte", "Mohamed", "Noor", "Omar", "Pieter", "Quinten", "Rosa", "Sem", "Tess"),
)


def resident_name(rid: int) -> str:
    """A common first word (1 in 20 residents) and a unique second one, as names go."""
    return f"{FIRST_NAMES[rid % len(FIRST_NAMES)]} Inwoner{rid}"


def intakes(
    cast: Cast,
    count: int,
    *,
    status: str = "draft",
    age_days: int = 3,
    seed: int = 1,
    identity: bool = False,
    keys_per_value: bool = False,
) -> list[int]:
    """Insert `count` intakes (one new resident each, 13 scored domains) and the
    caseworker's view/change permissions; return the new intake ids. Every value sealed
    (bench/sealing.py), the blind index filled; `identity` for the identity transform."""
    from bench.sealing import SeedSealer

    sealer = SeedSealer(identity=identity)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    created = now - timedelta(days=age_days)
    first_resident = _next_id("intake_resident")
    first_intake = _next_id("intake_intake")
    first_assessment = _next_id("intake_domainassessment")
    residents = range(first_resident, first_resident + count)
    intake_ids = list(range(first_intake, first_intake + count))
    owner = [cast.caseworker_ids[(i - first_intake) % CASEWORKERS] for i in intake_ids]

    # Rows the measured caseworker reads get one key per value; the rest one per row.
    read = {first_resident + n for n in range(count) if keys_per_value or owner[n] == cast.measured}
    born: dict[int, str] = {}

    def resident_rows() -> Iterator[tuple[object, ...]]:
        for rid in residents:
            ref = uuid.UUID(int=rng.getrandbits(128), version=4)
            born[rid] = f"19{rng.randint(30, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            values = {
                "name": resident_name(rid),
                "date_of_birth": born[rid],
                "bsn": "",
                "address": f"Straat {rid}",
                "phone": "",
                "email": "",
            }
            sealed = sealer.row("intake_resident", str(ref), values, per_value=rid in read)
            yield (rid, ref, *sealed.values(), sealer.digest("dob", born[rid]), created)

    _copy(
        "intake_resident",
        (
            "id",
            "ref",
            "name",
            "date_of_birth",
            "bsn",
            "address",
            "phone",
            "email",
            "birth_date_index",
            "created_at",
        ),
        resident_rows(),
    )
    _copy(
        "intake_residentnametoken",
        ("resident_id", "digest"),
        (
            (rid, sealer.digest("name", word))
            for rid in residents
            for word in blind.name_words(resident_name(rid))
        ),
    )
    _copy(
        "intake_intake",
        (
            "id",
            "resident_id",
            "caseworker_id",
            "team_id",
            "framework",
            "instrument_version",
            "status",
            "outcome",
            "version",
            "created_at",
            "updated_at",
        ),
        (
            (
                iid,
                first_resident + n,
                owner[n],
                cast.team_id,
                FRAMEWORKS[n % 4],
                "zrm2017",
                status,
                "",
                1,
                created,
                created + timedelta(seconds=n),
            )
            for n, iid in enumerate(intake_ids)
        ),
    )

    def assessments() -> Iterator[tuple[object, ...]]:
        aid = first_assessment
        for n, iid in enumerate(intake_ids):
            for domain in ZRM_2017.domain_codes:
                score = rng.randint(1, 5)
                need = "confirmed" if score <= 2 else "none"
                values = {
                    "score": str(score),
                    "help_need": need,
                    "notes": f"Toelichting {domain} {iid}",
                }
                sealed = sealer.row(
                    "intake_domainassessment",
                    f"{iid}:{domain}",
                    values,
                    per_value=keys_per_value or owner[n] == cast.measured,
                )
                yield (aid, iid, domain, *sealed.values())
                aid += 1

    _copy(
        "intake_domainassessment",
        ("id", "intake_id", "domain", "score", "help_need", "notes"),
        assessments(),
    )
    _copy("vault_datakey", ("id", "kek", "wrapped"), sealer.key_rows())
    view, change, view_resident = (
        _perm_id("view_intake"),
        _perm_id("change_intake"),
        _perm_id("view_resident"),
    )
    _copy(
        "intake_intakeuserobjectpermission",
        ("user_id", "permission_id", "content_object_id"),
        ((owner[n], perm, iid) for n, iid in enumerate(intake_ids) for perm in (view, change)),
    )
    _copy(
        "intake_residentuserobjectpermission",
        ("user_id", "permission_id", "content_object_id"),
        ((owner[n], view_resident, first_resident + n) for n in range(count)),
    )
    tables = (
        "intake_resident",
        "intake_residentnametoken",
        "vault_datakey",
        "intake_intake",
        "intake_domainassessment",
        "intake_intakeuserobjectpermission",
        "intake_residentuserobjectpermission",
    )
    for table in tables:
        if table != "vault_datakey":  # random ids, no sequence
            _reset_sequence(table)
    # VACUUM, not only ANALYZE: rows just written by COPY are not yet marked all-visible, so
    # index-only scans would visit the heap anyway. A production table is autovacuumed;
    # measuring one that never was made the permission-only count look as dear as a join.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return intake_ids


def audit_events(
    count: int, *, seed: int = 1, days: float = 30.0, checkpoints: bool = False
) -> int:
    """Append `count` realistic events to the chain with COPY, each with a valid hash
    linking to the one before (so verify_audit would accept them), spread evenly over the
    last `days` days (every month's partition made first); return the last id."""
    from audit.chain import GENESIS_HASH, HASHED_FIELDS, event_hash
    from audit.models import Action
    from audit.nen7513 import classify
    from audit.partitions import ensure_ahead

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, hash FROM audit_auditevent ORDER BY id DESC LIMIT 1")
        head = cursor.fetchone()
    first_id = (head[0] + 1) if head else 1
    prev = head[1] if head else GENESIS_HASH
    start = datetime.now(UTC) - timedelta(days=days)
    step_us = max(1, int(days * 86_400e6 / max(count, 1)))
    ensure_ahead(now=start, months=int(days // 28) + 3)
    next_checkpoint = start + timedelta(hours=1)
    actions = ("read", "search", "update", "finalise", "discard", "create")
    # The hashed fields in their fixed order, framed by the row id and the event's own hash.
    columns = ("id", *HASHED_FIELDS, "hash")

    def rows() -> Iterator[tuple[object, ...]]:
        nonlocal prev, next_checkpoint
        for n in range(count):
            actor = rng.randrange(CASEWORKERS)
            action = actions[n % len(actions)]
            fields = {
                "ts": start + timedelta(microseconds=n * step_us),
                "actor_id": actor + 1,
                "actor": f"bench_cw_{actor:03d}",
                "actor_role": "consulent",
                "on_behalf_of": "",
                "action": action,
                "object_type": "intake",
                "object_id": str(rng.randrange(1, 100_000)),
                "resident_ref": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "purpose": FRAMEWORKS[n % 4],
                "outcome": "success",
                "source_ip": f"10.0.{n % 250}.{actor + 1}",
                "request_id": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
                "detail": {"page": "intake_detail", "domains_changed": ["financien", "werk"]}
                if action == "update"
                else {"results": n % 50},
                "prev_hash": prev,
            }
            if checkpoints and fields["ts"] >= next_checkpoint:  # type: ignore[operator]
                # An hourly checkpoint event, as checkpoint_audit writes it (its tree size).
                next_checkpoint += timedelta(hours=1)
                fields.update(
                    action="checkpoint",
                    object_type="",
                    object_id="",
                    resident_ref="",
                    purpose="",
                    detail={"origin": "bench", "key_hash": "00000000", "size": first_id + n},
                )
                action = "checkpoint"
            # The NEN 7513 columns as the write path derives them.
            fields.update(
                classify(
                    Action(action),
                    purpose=str(fields["purpose"]),
                    resident_ref=str(fields["resident_ref"]),
                    detail=fields["detail"],  # type: ignore[arg-type]
                )
            )
            fields["hash"] = prev = event_hash(fields)
            yield tuple(
                first_id + n if c == "id" else json.dumps(fields[c]) if c == "detail" else fields[c]
                for c in columns
            )

    with connection.cursor() as cursor:
        # The head trigger keeps every row of its statement in a transition table (gigabytes
        # for a 10M COPY); the seed sets the head itself, once.
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_head_moves")
    try:
        _copy("audit_auditevent", columns, rows())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_head_moves")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_chainhead SET id = %s, hash = %s", [first_id + count - 1, prev]
        )
    _reset_sequence("audit_auditevent")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
    return first_id + count - 1


def data_keys(count: int) -> None:
    """`count` data keys wrapped under the current KEK, as rotate_keys finds them."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from vault.keys import wrap_aad
    from vault.providers import provider

    keys = provider()
    kek = keys.current_kek()

    def rows() -> Iterator[tuple[object, ...]]:
        for n in range(count):
            key_id = 10**15 + n
            yield (
                key_id,
                kek,
                keys.wrap(kek, AESGCM.generate_key(bit_length=256), wrap_aad(key_id)),
            )

    _copy("vault_datakey", ("id", "kek", "wrapped"), rows())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) vault_datakey")
