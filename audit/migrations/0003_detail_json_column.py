"""PostgreSQL keeps the export's text of each detail next to it, so COPY can write the CSV.

The export writes `detail` as `json.dumps(detail, ensure_ascii=False, sort_keys=True)`;
jsonb's own text orders keys by length, not alphabetically. `audit_detail_json(jsonb)`
writes the documented text: keys in code point order (COLLATE "C" compares UTF-8 bytes,
which sort like code points), at every level, with json.dumps's ", " and ": " separators.
Strings are jsonb's escaping, which is json.dumps's with ensure_ascii=False (\\" \\\\ \\b \\f
\\n \\r \\t, \\u00XX for other control characters, everything else as is); numbers are
integers only (record() refuses floats) and print the same. tests/audit/test_export.py
compares the result with json.dumps for awkward details.

The column is generated and stored: PostgreSQL computes it on every INSERT (and on this
migration's rewrite of the table), nobody can write it, and it always matches `detail`,
which the hash chain covers. Computing it at export time instead was measured at 7-25 µs
per row, several times what COPY spends on a whole row; at INSERT it costs about 25-50 µs
per event (a flat or a nested detail, measured on the shared benchmark machine), next to
an event's 1.6 ms. The function is PL/pgSQL because a
recursive SQL-language function re-plans its body on every nested call (136 µs per row).
`SET search_path FROM CURRENT` lets its recursive call resolve under pg_restore's empty
search_path. The column is not on the Django model: only audit/export.py reads it, and
SQLite (which has no such function) formats the detail in Python.

Adding the column rewrites the table once, under an exclusive lock, so audit writes wait
for this migration (48 s for a million events on the shared benchmark machine). If the
function ever changes, stored values do not follow: a migration must rewrite the column
(drop and add it again).
"""

import importlib

from django.db import migrations

# The same PostgreSQL-only RunSQL as the trigger's migration (SQLite formats in Python).
PostgreSQLOnlyRunSQL = importlib.import_module(
    "audit.migrations.0002_append_only_trigger"
).PostgreSQLOnlyRunSQL

FORWARD = """
CREATE FUNCTION audit_detail_json(detail jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
BEGIN
    -- Only objects and arrays call back in: a scalar's jsonb text is already json.dumps's.
    CASE jsonb_typeof(detail)
    WHEN 'object' THEN
        RETURN '{' || coalesce((
            SELECT string_agg(
                to_jsonb(key)::text || ': ' || CASE WHEN jsonb_typeof(value) IN ('object', 'array')
                    THEN audit_detail_json(value) ELSE value::text END,
                ', ' ORDER BY key COLLATE "C")
            FROM jsonb_each(detail)), '') || '}';
    WHEN 'array' THEN
        RETURN '[' || coalesce((
            SELECT string_agg(
                CASE WHEN jsonb_typeof(value) IN ('object', 'array')
                    THEN audit_detail_json(value) ELSE value::text END,
                ', ' ORDER BY position)
            FROM jsonb_array_elements(detail) WITH ORDINALITY AS element(value, position)),
            '') || ']';
    ELSE
        RETURN detail::text;
    END CASE;
END;
$$;

ALTER TABLE audit_auditevent
    ADD COLUMN detail_json text GENERATED ALWAYS AS (audit_detail_json(detail)) STORED;
"""

REVERSE = """
ALTER TABLE audit_auditevent DROP COLUMN IF EXISTS detail_json;
DROP FUNCTION IF EXISTS audit_detail_json(jsonb);
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [PostgreSQLOnlyRunSQL(FORWARD, reverse_sql=REVERSE)]
