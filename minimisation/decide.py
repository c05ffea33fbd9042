"""decide(): which captured field stays, under which rule, until when. Pure.

`decide` takes plain data (an IntakeSnapshot, no ORM objects), the policy and a date,
and touches neither the database nor the clock: the same input gives the same
Decision. `snapshot_of`, at the end of this module, builds the snapshot from the
database; it is the only function that reads it. The snapshot holds scores, help needs
and which fields carry a value, never names, numbers or free text, and a Decision holds
field names, rule ids, reasons and dates only, so it can be shown or stored safely.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from intake.models import Intake, IntakeStatus, Resident
from minimisation.models import KeptField
from minimisation.policy import (
    PROCESS_FIELDS,
    REQUEST_FIELDS,
    RESIDENT_FIELDS,
    SHARED_RULE,
    Condition,
    Policy,
    Rule,
)

CONFIRMED = "confirmed"  # intake.models.HelpNeed.CONFIRMED, kept as a literal to stay DB-free
UNKNOWN = "unknown"  # intake.models.HelpNeed.UNKNOWN
HELP_NEEDED = "help_needed"
NO_HELP_NEED = "no_help_need"
SHARED_RULE_ID = SHARED_RULE.id
SCORE, HELP_NEED, NOTES = (
    "domainassessment.score",
    "domainassessment.help_need",
    "domainassessment.notes",
)
DOMAIN_FIELD_ORDER = (SCORE, HELP_NEED, NOTES)


class IntakeNotReady(ValueError):  # noqa: N818 - reads as a sentence at the raise site
    """The intake cannot be finalised as it is; `message` says why, in Dutch."""

    def __init__(self, message: str, domains: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.domains = domains


@dataclass(frozen=True)
class DomainSnapshot:
    code: str
    score: int | None
    help_need: str
    has_notes: bool

    @property
    def discussed(self) -> bool:
        return self.score is not None

    @property
    def confirmed(self) -> bool:
        return self.help_need == CONFIRMED


@dataclass(frozen=True)
class IntakeSnapshot:
    intake_id: int
    intake_version: int
    resident_ref: str
    framework: str
    domains: tuple[DomainSnapshot, ...]
    # Resident fields that carry a value ("resident.name", ...).
    resident_fields_present: frozenset[str]
    # Resident fields another live intake of the same resident still keeps or needs.
    resident_fields_held_elsewhere: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FieldDecision:
    field: str  # "resident.name", "intake.framework", "domainassessment.notes"
    domain: str  # ZRM domain code for domainassessment fields, "" otherwise
    keep: bool
    rule_id: str
    reason: str
    retention_until: dt.date | None
    special_category: str = ""

    @property
    def key(self) -> str:
        return f"{self.domain}:{self.field}" if self.domain else self.field


@dataclass(frozen=True)
class Decision:
    intake_id: int
    intake_version: int
    resident_ref: str
    framework: str
    outcome: str
    policy_version: str
    decided_on: dt.date
    fields: tuple[FieldDecision, ...]
    # Domains with a confirmed need that this framework gives no ground to keep.
    unserved_domains: tuple[str, ...] = ()

    @property
    def kept(self) -> tuple[FieldDecision, ...]:
        return tuple(f for f in self.fields if f.keep)

    @property
    def discarded(self) -> tuple[FieldDecision, ...]:
        return tuple(f for f in self.fields if not f.keep)

    @property
    def retention_until(self) -> dt.date:
        """The last day anything of this intake (and the decision itself) may be kept."""
        dates = [f.retention_until for f in self.kept if f.retention_until is not None]
        return max(dates) if dates else self.decided_on

    @property
    def digest(self) -> str:
        """A hash of what this decision says, field by field (key, keep, rule, retention
        date), with its outcome, policy version and the intake's version; no values. The
        preview puts it in its form; finalising decides again under the lock and refuses
        when the digests differ, so what is destroyed is what the caseworker saw."""
        shown = {
            "intake": self.intake_id,
            "intake_version": self.intake_version,
            "outcome": self.outcome,
            "policy_version": self.policy_version,
            "fields": [
                [f.key, f.keep, f.rule_id, f.retention_until and f.retention_until.isoformat()]
                for f in self.fields
            ],
        }
        canonical = json.dumps(shown, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def for_domain(self, code: str) -> tuple[FieldDecision, ...]:
        return tuple(f for f in self.fields if f.domain == code)

    def discarded_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.discarded:
            group = f.domain or f.field.split(".")[0]
            counts[group] = counts.get(group, 0) + 1
        return counts


def check_ready(snapshot: IntakeSnapshot) -> None:
    """Raise IntakeNotReady when a confirmed help need sits on a domain without a score."""
    unscored = tuple(d.code for d in snapshot.domains if d.confirmed and not d.discussed)
    if unscored:
        raise IntakeNotReady(
            _(
                "Een hulpvraag is bevestigd in een domein zonder score. Geef eerst een score "
                "of zet de hulpvraag terug."
            ),
            unscored,
        )


def undecided_domains(snapshot: IntakeSnapshot) -> tuple[str, ...]:
    """Discussed domains whose help need is still "onbekend": before finalising, the
    caseworker decides them or accepts them as they are (then they count as no need)."""
    return tuple(d.code for d in snapshot.domains if d.discussed and d.help_need == UNKNOWN)


def decide(snapshot: IntakeSnapshot, policy: Policy, today: dt.date) -> Decision:
    """Keep or discard every captured field of the intake; see the module docstring."""
    check_ready(snapshot)
    framework_rules = policy.rule_set(snapshot.framework).rules
    # A confirmed need counts only where this framework may keep the domain at all: a need
    # in Justitie under the Wmo is no Wmo help need (the caseworker refers elsewhere).
    counted = tuple(
        d.code
        for d in snapshot.domains
        if d.confirmed and d.discussed and _framework_serves(framework_rules, d.code)
    )
    unserved = tuple(
        d.code for d in snapshot.domains if d.confirmed and d.discussed and d.code not in counted
    )
    help_needed = bool(counted)
    rules = framework_rules if help_needed else policy.refused_application
    decisions: list[FieldDecision] = []
    for name in REQUEST_FIELDS + PROCESS_FIELDS:
        decisions.append(_by_rules(name, "", rules, policy, today, need_in_domain=False))
    for name in RESIDENT_FIELDS:
        if name not in snapshot.resident_fields_present:
            continue  # nothing captured, nothing to decide
        decision = _by_rules(name, "", rules, policy, today, need_in_domain=False)
        if not decision.keep and name in snapshot.resident_fields_held_elsewhere:
            decision = FieldDecision(
                name, "", True, policy.shared.id, policy.shared.legal_basis, None
            )
        decisions.append(decision)
    for domain in sorted(snapshot.domains, key=lambda d: d.code):
        for name in DOMAIN_FIELD_ORDER:
            if name == NOTES and not domain.has_notes:
                continue
            if not domain.discussed:
                decisions.append(_discard(name, domain.code, policy.not_discussed, ""))
            elif not help_needed:
                refused = _first_covering(policy.refused_application, name, "")
                decisions.append(_discard(name, domain.code, refused or policy.default_deny, ""))
            else:
                decisions.append(
                    _by_rules(name, domain.code, rules, policy, today, domain.confirmed)
                )
    return Decision(
        intake_id=snapshot.intake_id,
        intake_version=snapshot.intake_version,
        resident_ref=snapshot.resident_ref,
        framework=snapshot.framework,
        outcome=HELP_NEEDED if help_needed else NO_HELP_NEED,
        policy_version=policy.version,
        decided_on=today,
        fields=tuple(decisions),
        unserved_domains=unserved,
    )


def _framework_serves(rules: tuple[Rule, ...], domain: str) -> bool:
    """Whether the framework can keep a confirmed need in this domain (its score)."""
    rule = _first_covering(rules, SCORE, domain)
    return rule is not None and rule.keeps


def _first_covering(rules: tuple[Rule, ...], name: str, domain: str) -> Rule | None:
    return next((r for r in rules if r.covers(name, domain)), None)


def _by_rules(
    name: str,
    domain: str,
    rules: tuple[Rule, ...],
    policy: Policy,
    today: dt.date,
    need_in_domain: bool,
) -> FieldDecision:
    rule = _first_covering(rules, name, domain)
    if rule is None:
        return _discard(name, domain, policy.default_deny, "")
    if rule.condition == Condition.NEVER:
        return _discard(name, domain, rule, rule.special_category)
    if rule.condition == Condition.IF_HELP_NEED_CONFIRMED_IN_DOMAIN and not need_in_domain:
        return FieldDecision(
            name,
            domain,
            False,
            rule.id,
            "Wordt vernietigd: in dit domein is geen hulpvraag bevestigd. " + rule.legal_basis,
            None,
            rule.special_category,
        )
    assert rule.retention is not None  # guaranteed by policy.validate
    return FieldDecision(
        name,
        domain,
        True,
        rule.id,
        rule.legal_basis,
        rule.retention.after(today),
        rule.special_category,
    )


def _discard(name: str, domain: str, rule: Rule, special: str) -> FieldDecision:
    return FieldDecision(
        name, domain, False, rule.id, "Wordt vernietigd. " + rule.legal_basis, None, special
    )


# ---- The one database read: the snapshot decide() works on ----------------------------


def resident_fields_present(resident: Resident) -> frozenset[str]:
    present = set()
    for name in RESIDENT_FIELDS:
        value = getattr(resident, name.split(".", 1)[1])
        if value not in (None, ""):
            present.add(name)
    return frozenset(present)


def resident_fields_needed_elsewhere(
    resident_id: int, excluding_intake_id: int | None, today: dt.date
) -> frozenset[str]:
    """Resident fields another live intake still needs: a draft needs all it captured,
    a finalised intake the fields its decision kept (until their retention date)."""
    others = Intake.objects.filter(resident_id=resident_id)
    if excluding_intake_id is not None:
        others = others.exclude(pk=excluding_intake_id)
    if others.filter(status=IntakeStatus.DRAFT).exists():
        return frozenset(RESIDENT_FIELDS)
    kept = (
        KeptField.objects.filter(
            decision__intake__in=others.filter(status=IntakeStatus.FINALISED),
            decision__retention_until__gte=today,
            field__in=RESIDENT_FIELDS,
        )
        .exclude(rule_id=SHARED_RULE_ID)
        .values_list("field", flat=True)
    )
    return frozenset(kept)


def snapshot_of(intake: Intake, today: dt.date) -> IntakeSnapshot:
    resident = intake.resident
    return IntakeSnapshot(
        intake_id=intake.pk,
        intake_version=intake.version,
        resident_ref=str(resident.ref),
        framework=intake.framework,
        domains=tuple(
            DomainSnapshot(
                code=a.domain, score=a.score, help_need=a.help_need, has_notes=bool(a.notes)
            )
            for a in intake.assessments.order_by("domain")
        ),
        resident_fields_present=resident_fields_present(resident),
        resident_fields_held_elsewhere=resident_fields_needed_elsewhere(
            resident.pk, intake.pk, today
        ),
    )
