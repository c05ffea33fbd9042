"""The processing register (GDPR art. 30), generated from the policy, never written by hand."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

from minimisation.policy import (
    ALL_DOMAINS,
    CONDITION_LABELS,
    POLICY,
    Policy,
    Rule,
)

CATEGORY_LABELS = {"health": "gezondheid (AVG art. 9)", "criminal": "strafrechtelijk (AVG art. 10)"}
FIELD_LABELS = {
    "resident": "inwonergegevens",
    "intake": "gegevens over de aanvraag",
    "domainassessment": "ZRM-domeingegevens",
}


@dataclass(frozen=True)
class RegisterRow:
    framework: str
    purpose: str
    rule_id: str
    data_categories: str
    domains: str
    condition: str
    legal_basis: str
    retention: str
    special_category: str


def _categories(rule: Rule) -> str:
    groups: dict[str, list[str]] = {}
    for name in rule.fields:
        model, field_name = name.split(".", 1)
        groups.setdefault(FIELD_LABELS.get(model, model), []).append(field_name)
    return "; ".join(f"{label}: {', '.join(names)}" for label, names in groups.items())


def _row(framework: str, purpose: str, rule: Rule) -> RegisterRow:
    return RegisterRow(
        framework=framework,
        purpose=purpose,
        rule_id=rule.id,
        data_categories=_categories(rule),
        domains=", ".join(rule.domains),
        condition=CONDITION_LABELS[rule.condition],
        legal_basis=rule.legal_basis,
        retention=rule.retention.label() if rule.retention else "niet bewaard",
        special_category=CATEGORY_LABELS.get(rule.special_category, ""),
    )


def register_rows(policy: Policy = POLICY) -> list[RegisterRow]:
    rows = [_row(rs.label, rs.purpose, rule) for rs in policy.rule_sets for rule in rs.rules]
    refused = "Afhandeling van een aanvraag zonder bevestigde hulpvraag."
    rows += [_row("Alle kaders, geen hulpvraag", refused, r) for r in policy.refused_application]
    rows.append(
        RegisterRow(
            framework="Alle kaders, concept",
            purpose="Een intake die niet is afgerond (afgebroken aanvraag).",
            rule_id="CONCEPT-VERLOPEN",
            data_categories="alle gegevens van het concept",
            domains="",
            condition="tot de termijn verstreken is",
            legal_basis="Een afgebroken aanvraag wordt na de termijn volledig vernietigd.",
            retention=policy.draft_term.label(),
            special_category="",
        )
    )
    return rows


def special_domains() -> dict[str, str]:
    return {code: CATEGORY_LABELS[cat] for code, cat in ALL_DOMAINS.items() if cat}


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
            "| kader | doel | regel | gegevens | domeinen | bewaren | grondslag | termijn "
            "| bijzonder |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rows:
            cells = [
                r.framework,
                r.purpose,
                r.rule_id,
                r.data_categories,
                r.domains,
                r.condition,
                r.legal_basis,
                r.retention,
                r.special_category,
            ]
            lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        return "\n".join(lines) + "\n"
    raise ValueError(fmt)
