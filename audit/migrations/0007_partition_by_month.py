"""PostgreSQL: the audit table becomes partitioned by month of `ts` (declarative, RANGE).

Why by hand and not django-postgres-extra or pg_partman (README, "The audit log"):
django-postgres-extra's partitioned model forces Django 5.2's CompositePrimaryKey, and a
model with a composite primary key cannot be registered in the admin (its issue #265),
which is where the audit log is read. pg_partman is a server extension (Debian
postgresql-15-partman) every deployment and CI would have to install and run a
maintenance job for, and its retention drops partitions without the anchor event our
prune must write first. What we need is small: a function that creates one month's
partition with its triggers, called ahead of time, and a prune that drops whole months.

What changes in the database, not in Django's model state:
- The primary key is (id, ts): PostgreSQL wants the partition key in every unique
  constraint. `id` still comes from one sequence (`audit_auditevent_id_seq`, owned by the
  column), so it stays unique and in commit order; Django keeps treating `id` as the key.
  For the same reason `hash` is unique with ts: (hash, ts).
- Partitions are named audit_auditevent_pYYYYMM and hold [first of the month, first of
  the next month) in UTC; audit_auditevent_default takes any other time (a clock far off).
- The append-only statement triggers are on the parent and on every partition (a
  statement trigger is not inherited, and a partition can be named directly).

Existing rows are copied in id order into the new table (their generated detail_json is
computed again, as in migration 0003) and the old table is dropped: the table is locked
for that time (about a minute per million events on the shared benchmark machine), so
run this migration in a maintenance window on a large log. Irreversible.
SQLite keeps one table; nothing happens there.
"""

import importlib

from django.db import migrations

PostgreSQLOnlyRunSQL = importlib.import_module(
    "audit.migrations.0002_append_only_trigger"
).PostgreSQLOnlyRunSQL

COLUMNS = (
    "id, ts, actor_id, actor, actor_role, on_behalf_of, action, object_type, object_id, "
    "resident_ref, purpose, outcome, source_ip, request_id, detail, prev_hash, hash, "
    "event_type, event_action_code, data_life_cycle, sensitivity, processing_activity, "
    "source_system"
)

FORWARD = f"""
ALTER TABLE audit_auditevent RENAME TO audit_auditevent_unpartitioned;
ALTER TABLE audit_auditevent_unpartitioned RENAME CONSTRAINT audit_auditevent_pkey
    TO audit_auditevent_unpartitioned_pkey;
ALTER SEQUENCE audit_auditevent_id_seq RENAME TO audit_auditevent_unpartitioned_id_seq;

CREATE TABLE audit_auditevent (
    LIKE audit_auditevent_unpartitioned INCLUDING DEFAULTS INCLUDING GENERATED
) PARTITION BY RANGE (ts);
CREATE SEQUENCE audit_auditevent_id_seq AS bigint OWNED BY audit_auditevent.id;
ALTER TABLE audit_auditevent ALTER COLUMN id SET DEFAULT nextval('audit_auditevent_id_seq');
ALTER TABLE audit_auditevent ADD CONSTRAINT audit_auditevent_pkey PRIMARY KEY (id, ts);

-- The statement triggers of migration 0002, for one table (the parent or a partition).
CREATE FUNCTION audit_protect(target regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()', target);
    EXECUTE format('CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()', target);
END;
$$;

-- One month's partition (the month of `month`, UTC), with its triggers; nothing if it
-- exists. Returns whether it was created. A default partition that already holds rows
-- of that month (a clock that ran ahead) keeps them: the month is then not split off.
CREATE FUNCTION audit_create_partition(month timestamptz) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    lo timestamptz := date_trunc('month', month AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    hi timestamptz := lo + interval '1 month';
    part text := 'audit_auditevent_p' || to_char(lo AT TIME ZONE 'UTC', 'YYYYMM');
BEGIN
    IF to_regclass(part) IS NOT NULL THEN
        RETURN false;
    END IF;
    IF EXISTS (SELECT 1 FROM audit_auditevent_default WHERE ts >= lo AND ts < hi) THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_auditevent FOR VALUES FROM (%L) TO (%L)',
                   part, lo, hi);
    PERFORM audit_protect(part::regclass);
    RETURN true;
END;
$$;

CREATE TABLE audit_auditevent_default PARTITION OF audit_auditevent DEFAULT;
SELECT audit_protect('audit_auditevent'::regclass);
SELECT audit_protect('audit_auditevent_default'::regclass);

-- Every month that holds events (at most ten years back), and the next two.
SELECT audit_create_partition(month)
FROM generate_series(
    greatest(
        coalesce((SELECT min(ts) FROM audit_auditevent_unpartitioned), now()),
        now() - interval '10 years'
    ),
    now() + interval '2 months',
    interval '1 month'
) AS month;
-- generate_series steps from the first event's moment, which can skip the last month.
SELECT audit_create_partition(now() + interval '2 months');

INSERT INTO audit_auditevent ({COLUMNS})
SELECT {COLUMNS} FROM audit_auditevent_unpartitioned ORDER BY id;
SELECT setval('audit_auditevent_id_seq',
              coalesce((SELECT max(id) FROM audit_auditevent_unpartitioned), 0) + 1, false);
DROP TABLE audit_auditevent_unpartitioned;

-- The indexes Django's migrations made, by their names, on the parent (so on every
-- partition); the hash's uniqueness with the partition key.
ALTER TABLE audit_auditevent ADD CONSTRAINT audit_auditevent_hash_key UNIQUE (hash, ts);
CREATE INDEX audit_auditevent_ts_8abe48ff ON audit_auditevent (ts);
CREATE INDEX audit_auditevent_action_2131bb77 ON audit_auditevent (action);
CREATE INDEX audit_auditevent_actor_e66b28ac ON audit_auditevent (actor);
CREATE INDEX audit_auditevent_resident_ref_d16962a0 ON audit_auditevent (resident_ref);
ANALYZE audit_auditevent;
"""


class Migration(migrations.Migration):
    # One transaction: a failure leaves the old table as it was.
    atomic = True
    dependencies = [("audit", "0006_nen7513_columns")]

    operations = [PostgreSQLOnlyRunSQL(FORWARD)]
