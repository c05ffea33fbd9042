"""Help text per form field: the minimisation rule, as the caseworker's instruction.

The same sentence appears in the form, the preview before finalising and the
processing register, so the instruction is concrete and specific (DESIGN.md section 6).
"""

from minimisation.policy import (
    CONDITION_LABELS,
    POLICY,
    REFUSED_APPLICATION_RULES,
    Condition,
    Policy,
    Rule,
)


def _rule_for(policy: Policy, framework: str, domain_code: str, label: str) -> Rule | None:
    try:
        rules = policy.rule_set(framework).rules
    except KeyError:
        return None
    return next((r for r in rules if r.covers(label, domain_code)), None)


def help_text_for(framework: str, domain_code: str, field_name: str) -> str:
    """The rule text for a field: `field_name` is "score", "notes", "help_need" for a
    domain (with its `domain_code`), or a resident field such as "name" (domain "")."""
    model = "domainassessment" if domain_code else "resident"
    label = f"{model}.{field_name}"
    rule = _rule_for(POLICY, framework, domain_code, label)
    if rule is None:
        return str(POLICY.default_deny.legal_basis)
    when = CONDITION_LABELS[rule.condition]
    if rule.condition == Condition.ALWAYS:
        when = "zodra in een domein een hulpvraag is bevestigd"
    text = f"Bewaren: {when}. {rule.legal_basis}"
    if rule.retention is not None:
        text += f" Bewaartermijn: {rule.retention.label()}."
    if model == "resident":
        refused = next(r for r in REFUSED_APPLICATION_RULES if r.covers(label))
        text += f" Zonder hulpvraag: {CONDITION_LABELS[refused.condition]} bewaren."
    return text
