"""Help text per form field: the policy's instruction first, its ground and term beside it.

The instruction (what to write, what not, an example) is a data item of the policy
(minimisation/instructions.py, reviewed with the rules); the preview and the processing
register show the same text. The legal basis and the retention term are one line under
it, not the main text (the AP's "concrete and specific instruction", DESIGN.md section 6).
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString

from minimisation.policy import CONDITION_LABELS, POLICY, Policy, Rule

NOTES = "domainassessment.notes"


def _rule_for(policy: Policy, framework: str, domain_code: str, label: str) -> Rule | None:
    try:
        rules = policy.rule_set(framework).rules
    except KeyError:
        return None
    return next((r for r in rules if r.covers(label, domain_code)), None)


def _label(domain_code: str, field_name: str) -> str:
    return f"{'domainassessment' if domain_code else 'resident'}.{field_name}"


def instruction_for(framework: str, domain_code: str, field_name: str) -> str:
    """What to write in this field under this framework ("" for score and help need: the
    domain's instruction sits at its notes)."""
    label = _label(domain_code, field_name)
    if label.startswith("domainassessment.") and label != NOTES:
        return ""
    found = POLICY.instruction(framework, label, domain_code)
    return found.text if found is not None else ""


def never_kept(framework: str, domain_code: str, field_name: str) -> bool:
    """Whether this framework never keeps this field (even with a confirmed need)."""
    rule = _rule_for(POLICY, framework, domain_code, _label(domain_code, field_name))
    return rule is None or not rule.keeps


# A field's help: what to write on one line, its ground and term below it in smaller type.
_INSTRUCTION_AND_BASIS = (
    "<span class='field-instruction'>{}</span><br><span class='field-basis zrm-small'>{}</span>"
)


def basis_for(framework: str, domain_code: str, field_name: str) -> str:
    """The one line beside the instruction: when it is kept, for how long, and why."""
    label = _label(domain_code, field_name)
    rule = _rule_for(POLICY, framework, domain_code, label)
    if rule is None:
        return POLICY.default_deny.legal_basis
    if not rule.keeps:
        return f"Bewaren: nooit (regel {rule.id}). {rule.legal_basis}"
    term = f", {rule.term_label}" if rule.retention is not None else ""
    if domain_code:
        return (
            f"Bewaren: {CONDITION_LABELS[rule.condition]}{term} (regel {rule.id}). "
            f"{rule.legal_basis}"
        )
    refused = next((r for r in POLICY.refused_application if r.covers(label)), POLICY.default_deny)
    return (
        f"Bewaren: bij een bevestigde hulpvraag{term} (regel {rule.id}). {rule.legal_basis} "
        f"Zonder hulpvraag: {refused.legal_basis}"
    )


def help_text_for(framework: str, domain_code: str, field_name: str) -> str:
    """The form's help text: `field_name` is "score", "notes", "help_need" for a domain
    (with its `domain_code`), or a resident field such as "name" (domain "")."""
    instruction = instruction_for(framework, domain_code, field_name)
    basis = basis_for(framework, domain_code, field_name)
    if not instruction:
        return str(format_html("<span class='field-basis'>{}</span>", basis))
    html: SafeString = format_html(
        _INSTRUCTION_AND_BASIS,
        instruction,
        basis,
    )
    return str(html)


RESIDENT_BASIS = (
    "Bewaren: alleen als in een domein een hulpvraag wordt bevestigd, zo lang als het "
    "wettelijk kader voorschrijft; zonder hulpvraag wordt het bij afronden vernietigd."
)


def resident_help_text(field_name: str, extra: str = "") -> str:
    """The new-intake form's help for a resident field: the framework is chosen on the
    same form, so the instruction for every framework and the general ground."""
    found = POLICY.instruction("", f"resident.{field_name}")
    instruction = f"{found.text} {extra}".strip() if found is not None else extra
    html: SafeString = format_html(
        _INSTRUCTION_AND_BASIS,
        instruction,
        RESIDENT_BASIS,
    )
    return str(html)
