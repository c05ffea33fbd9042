"""Help text per form field: the minimisation rule, as the caseworker's instruction.

The same sentence appears in the form, the preview before finalising and the
processing register, so the instruction is concrete and specific (DESIGN.md section 6).
"""

from minimisation.policy import CONDITION_LABELS, POLICY, Policy, Rule


def _rule_for(policy: Policy, framework: str, domain_code: str, label: str) -> Rule | None:
    try:
        rules = policy.rule_set(framework).rules
    except KeyError:
        return None
    return next((r for r in rules if r.covers(label, domain_code)), None)


def help_text_for(framework: str, domain_code: str, field_name: str) -> str:
    """The rule text for a field: `field_name` is "score", "notes", "help_need" for a
    domain (with its `domain_code`), or a resident field such as "name" (domain "").

    A domain field: when it is kept, the rule's sentence and its term. A resident field:
    the framework rule's sentence and term (it applies once a help need is confirmed),
    then the refused application's rule for the same field (no help need)."""
    model = "domainassessment" if domain_code else "resident"
    label = f"{model}.{field_name}"
    rule = _rule_for(POLICY, framework, domain_code, label)
    if rule is None:
        return POLICY.default_deny.legal_basis
    text = rule.legal_basis
    if model == "domainassessment":
        text = f"Bewaren: {CONDITION_LABELS[rule.condition]}. {text}"
    if rule.retention is not None:
        text += f" Bewaartermijn: {rule.term_label}."
    if model == "resident":
        refused = next(
            (r for r in POLICY.refused_application if r.covers(label)), POLICY.default_deny
        )
        text += f" {refused.legal_basis}"
    return text
