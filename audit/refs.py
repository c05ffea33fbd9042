"""Parsing a resident's pseudonymous reference: the one place that reads a UUID from input.

The bottom layer, so the audit log, the caseworker's pages and the privacy officer's pages
all accept the same spellings (surrounding spaces, any case, with or without hyphens).
"""

import uuid


def as_uuid(value: object) -> uuid.UUID | None:
    """`value` as a UUID, or None when it is not one (never an exception: it is user input)."""
    if value is None:
        return None
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        return None


def ref_text(value: object) -> str:
    """`value` as a UUID's canonical text (what the audit log stores), or "" if not one."""
    parsed = as_uuid(value)
    return str(parsed) if parsed else ""
