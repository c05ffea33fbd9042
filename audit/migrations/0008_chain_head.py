"""PostgreSQL: the chain head (newest event's id and hash) in a one-row table.

On the partitioned table, `ORDER BY id DESC LIMIT 1` has to look into every partition:
with five years of months (some 64 partitions) planning it alone took 1.3 ms, next to an
event's 1.8 ms. audit.events.append() reads this row instead, after taking the chain
lock. A statement trigger with a transition table moves it on every INSERT (and COPY)
into the audit table, whoever inserts; TRUNCATE (the test suite's flush) sets it back to
genesis. If events at the end were removed behind the application's back, the head still
names the removed event, so the next event links to it and verify_audit reports the gap.
"""

import importlib

from django.db import migrations

PostgreSQLOnlyRunSQL = importlib.import_module(
    "audit.migrations.0002_append_only_trigger"
).PostgreSQLOnlyRunSQL

FORWARD = """
CREATE TABLE audit_chainhead (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    id bigint NOT NULL,
    hash varchar(64) NOT NULL
);
INSERT INTO audit_chainhead (id, hash)
SELECT coalesce(max(id), 0),
       coalesce((SELECT hash FROM audit_auditevent ORDER BY id DESC LIMIT 1), repeat('0', 64))
FROM audit_auditevent;

CREATE FUNCTION audit_move_head() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_chainhead h SET id = n.id, hash = n.hash
    FROM (SELECT id, hash FROM inserted ORDER BY id DESC LIMIT 1) n
    WHERE n.id > h.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_head_moves AFTER INSERT ON audit_auditevent
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION audit_move_head();

CREATE FUNCTION audit_reset_head() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_chainhead SET id = 0, hash = repeat('0', 64);
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_head_resets AFTER TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reset_head();
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_head_resets ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_head_moves ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_reset_head();
DROP FUNCTION IF EXISTS audit_move_head();
DROP TABLE IF EXISTS audit_chainhead;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_partition_by_month")]

    operations = [PostgreSQLOnlyRunSQL(FORWARD, reverse_sql=REVERSE)]
