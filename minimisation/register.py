"""The processing register (GDPR art. 30), generated from the policy, never written by hand.

One row per rule of the policy, in the policy's groups (Policy.groups): the frameworks'
rules, the refused application's, and the rules outside every framework (shared field,
draft, sweep, erasure). Each group is one processing activity, whose stable id (in the
policy) starts each of its rows; every audit event that processes resident data names it
(`processing_activity()`, the audit log's AUDIT_PROCESSING_ACTIVITY_RESOLVER), so the
privacy officer can answer "under which processing activity did this happen?". Nothing
here names a rule, a purpose or an activity of its own.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from audit.models import Sensitivity
from intake.instrument import INSTRUMENTS
from minimisation.labels import domain_name, field_label
from minimisation.policy import (
    ALL_DOMAINS,
    CONDITION_LABELS,
    DRAFT_ACTIVITY,
    POLICY,
    REQUEST_ACTIVITY,
    Policy,
    Rule,
    RuleGroup,
)

CATEGORY_LABELS = {"health": "gezondheid (AVG art. 9)", "criminal": "strafrechtelijk (AVG art. 10)"}
FIELD_LABELS = {
    "resident": "inwonergegevens",
    "intake": "gegevens over de aanvraag",
    "domainassessment": "ZRM-domeingegevens",
}


@dataclass(frozen=True)
class RegisterRow:
    processing_activity: str
    framework: str
    purpose: str
    rule_id: str
    data_categories: str
    domains: str
    condition: str
    legal_basis: str
    retention: str
    special_category: str
    # The caseworker's instructions for the fields of this rule (minimisation/instructions.py).
    instructions: str = ""


def _categories(rule: Rule) -> str:
    groups: dict[str, list[str]] = {}
    for name in rule.fields:
        model, field_name = name.split(".", 1)
        # The fields' Dutch names (their verbose_name), not their code names.
        groups.setdefault(FIELD_LABELS.get(model, model), []).append(field_label(name))
    return "; ".join(f"{label}: {', '.join(names)}" for label, names in groups.items())


def _domain_label(code: str) -> str:
    """A domain code's Dutch name, from the first instrument version that has it."""
    for version in INSTRUMENTS:
        name = domain_name(version, code)
        if name != code:
            return name
    return code


def _instructions(policy: Policy, framework: str, rule: Rule) -> str:
    """The instructions this rule's fields carry under its framework, as the form shows them."""
    if not framework:
        return ""
    texts: list[str] = []
    if "domainassessment.notes" in rule.fields:
        for code in rule.domains:
            found = policy.instruction(framework, "domainassessment.notes", code)
            line = f"{_domain_label(code)}: {found.text}" if found is not None else ""
            if line and line not in texts:
                texts.append(line)
    for name in rule.fields:
        if name.startswith("resident."):
            found = policy.instruction(framework, name)
            if found is not None:
                texts.append(f"{field_label(name)}: {found.text}")
    return " | ".join(texts)


def _row(
    activity: str, framework: str, purpose: str, rule: Rule, instructions: str = ""
) -> RegisterRow:
    return RegisterRow(
        processing_activity=activity,
        framework=framework,
        purpose=purpose,
        rule_id=rule.id,
        data_categories=_categories(rule),
        domains=", ".join(_domain_label(code) for code in rule.domains),
        condition=CONDITION_LABELS[rule.condition],
        legal_basis=rule.legal_basis,
        retention=rule.term_label,
        special_category=CATEGORY_LABELS.get(rule.special_category, ""),
        instructions=instructions,
    )


def register_rows(policy: Policy = POLICY) -> list[RegisterRow]:
    framework_of = {rs.label: rs.framework for rs in policy.rule_sets}
    return [
        _row(
            group.activity_id,
            group.label,
            group.purpose,
            rule,
            _instructions(policy, framework_of.get(group.label, ""), rule),
        )
        for group in policy.groups()
        for rule in group.rules
    ]


def render(fmt: str, policy: Policy = POLICY) -> str:
    rows = register_rows(policy)
    if fmt == "json":
        return json.dumps(
            {"policy_version": policy.version, "rows": [asdict(r) for r in rows]},
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(RegisterRow.__dataclass_fields__))
        writer.writeheader()
        for row in rows:
            writer.writerow(asdict(row))
        return out.getvalue()
    if fmt == "md":
        lines = [
            f"# Verwerkingsregister ZRM-intake (beleidsversie {policy.version})",
            "",
            "| activiteit | kader | doel | regel | gegevens | domeinen | bewaren | grondslag "
            "| termijn | bijzonder | instructie |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rows:
            cells = [
                r.processing_activity,
                r.framework,
                r.purpose,
                r.rule_id,
                r.data_categories,
                r.domains,
                r.condition,
                r.legal_basis,
                r.retention,
                r.special_category,
                r.instructions,
            ]
            lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        return "\n".join(lines) + "\n"
    raise ValueError(fmt)


def processing_activity(
    action: str, purpose: str, detail: Mapping[str, Any]
) -> tuple[str, Sensitivity]:
    """The processing activity (and its data's sensitivity) of an audit event that
    processes resident data: the activity of the rule it names (a destruction names its
    rule), else a resident's own request (GDPR art. 15-17), else the framework's, else a
    draft's (a resident's data before any framework applies)."""
    by_rule, by_framework, sensitivity = _activities()
    rule = detail.get("rule")
    if isinstance(rule, str) and rule in by_rule:
        activity = by_rule[rule]
    elif detail.get("gdpr"):
        activity = REQUEST_ACTIVITY
    else:
        activity = by_framework.get(purpose, DRAFT_ACTIVITY)
    return activity, sensitivity[activity]


@cache
def _activities() -> tuple[dict[str, str], dict[str, str], dict[str, Sensitivity]]:
    by_rule = {rule.id: group.activity_id for group in POLICY.groups() for rule in group.rules}
    by_framework = {rs.framework: rs.activity_id for rs in POLICY.rule_sets}
    sensitivity = {
        group.activity_id: Sensitivity.SPECIAL if _special(group) else Sensitivity.NORMAL
        for group in POLICY.groups()
    }
    return by_rule, by_framework, sensitivity


def _special(group: RuleGroup) -> bool:
    """Does the activity touch a domain whose data is of a special category (a rule on
    domain fields of such a domain, or of every domain)?"""
    return any(
        any(name.startswith("domainassessment.") for name in rule.fields)
        and (not rule.domains or any(ALL_DOMAINS[code] for code in rule.domains))
        for rule in group.rules
    )
