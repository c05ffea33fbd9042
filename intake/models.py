"""Residents, intakes and domain assessments.

Every personal-data field here must be classified by the minimisation policy
(minimisation/policy.py); a system check stops start-up when one is not.
"""

import datetime as dt
import uuid
from typing import TypedDict

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from intake.bsn import validate_bsn
from intake.instrument import DEFAULT_INSTRUMENT, INSTRUMENT_CHOICES, SCALE, Instrument, instrument
from intake.querysets import IntakeQuerySet, ResidentQuerySet
from intake.validators import validate_birth_date
from minimisation.policy import POLICY

DRAFT_NOTICE_DAYS = 7  # a draft's list row and form warn in its last week


class AuditSubject(TypedDict):
    object_type: str
    object_id: str
    resident_ref: str
    purpose: str


class Framework(models.TextChoices):
    WMO = "wmo", _("Wmo 2015")
    JEUGDWET = "jeugdwet", _("Jeugdwet")
    PARTICIPATIEWET = "participatiewet", _("Participatiewet")
    SCHULDHULP = "schuldhulp", _("Wet gemeentelijke schuldhulpverlening")


class Resident(models.Model):
    """An inwoner. `ref` is the only identifier logs and the audit log may carry."""

    ref = models.UUIDField(_("referentie"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=200)
    # NULL only after minimisation destroyed it; the form still requires it (blank=False).
    date_of_birth = models.DateField(
        _("geboortedatum"), null=True, validators=[validate_birth_date]
    )
    bsn = models.CharField(
        _("BSN"), max_length=9, blank=True, db_index=True, validators=[validate_bsn]
    )
    address = models.CharField(_("adres"), max_length=300, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        # One BSN, one resident. On today's plaintext column; an encrypted column moves
        # this to its blind index.
        constraints = [
            models.UniqueConstraint(
                fields=["bsn"], condition=~models.Q(bsn=""), name="one_resident_per_bsn"
            )
        ]

    def __str__(self) -> str:
        # Never the name: object representations end up in logs and admin history.
        return f"inwoner {self.ref}"

    def audit_subject(self) -> AuditSubject:
        """What an audit event says about this resident: the object and its pseudonymous
        reference, never a value (`Event(action=..., **resident.audit_subject(), ...)`)."""
        return {
            "object_type": self._meta.model_name or "",
            "object_id": str(self.pk),
            "resident_ref": str(self.ref),
            "purpose": "",
        }


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    FINALISED = "finalised", _("afgerond")


class Outcome(models.TextChoices):
    NONE = "", _("nog niet bepaald")
    HELP_NEEDED = "help_needed", _("hulpvraag bevestigd")
    NO_HELP_NEED = "no_help_need", _("geen hulpvraag")


class Intake(models.Model):
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="intakes", verbose_name=_("inwoner")
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="intakes",
        verbose_name=_("consulent"),
    )
    team = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_intakes",
        verbose_name=_("team"),
    )
    framework = models.CharField(_("wettelijk kader"), max_length=20, choices=Framework.choices)
    instrument_version = models.CharField(
        _("versie instrument"),
        max_length=10,
        choices=INSTRUMENT_CHOICES,
        default=DEFAULT_INSTRUMENT,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT
    )
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=Outcome.choices, default=Outcome.NONE, blank=True
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reassessments",
        verbose_name=_("vorige meting"),
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True, db_index=True)
    finalised_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        permissions = [("reassign_intake", _("Intake aan een andere consulent toewijzen"))]
        indexes = [models.Index(fields=["status", "created_at"], name="intake_status_created")]

    def __str__(self) -> str:
        return f"intake {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == IntakeStatus.DRAFT

    @property
    def draft_expires_on(self) -> dt.date | None:
        """The day the sweep destroys this draft if nobody finalises it (None once final)."""
        if not self.is_draft or self.created_at is None:
            return None
        return POLICY.draft_expires_on(timezone.localdate(self.created_at))

    @property
    def draft_last_day(self) -> dt.date | None:
        on = self.draft_expires_on
        return on - dt.timedelta(days=1) if on else None

    @property
    def draft_expires_soon(self) -> bool:
        """In the last week before the draft is destroyed."""
        on = self.draft_expires_on
        return on is not None and (on - timezone.localdate()).days <= DRAFT_NOTICE_DAYS

    @property
    def resident_label(self) -> str:
        """How pages name this intake: the resident's name and the intake's date, or, once
        minimisation destroyed the name, words that say so (never an empty link)."""
        day = self.created_at.strftime("%d-%m-%Y") if self.created_at else ""
        if self.resident.name:
            return f"{self.resident.name} ({day})" if day else self.resident.name
        return str(_("Inwoner zonder bewaarde naam, intake van %(day)s") % {"day": day})

    def audit_subject(self) -> AuditSubject:
        """What an audit event says about this intake: object, pseudonymous resident, purpose.

        For `Event(action=..., **intake.audit_subject(), ...)` and `record()`; never a value.
        """
        return {
            "object_type": self._meta.model_name or "",
            "object_id": str(self.pk),
            "resident_ref": str(self.resident.ref),
            "purpose": self.framework,
        }

    @property
    def instrument(self) -> Instrument:
        return instrument(self.instrument_version)

    def measured_on(self) -> dt.date:
        """The day of this measurement (Dutch time): when it was finalised, else created."""
        return timezone.localdate(self.finalised_at or self.created_at)

    def assessments_in_instrument_order(self) -> list["DomainAssessment"]:
        """This intake's domain rows in the instrument's order (uses a prefetch if present)."""
        order = {code: i for i, code in enumerate(self.instrument.domain_codes)}
        rows = [a for a in self.assessments.all() if a.domain in order]
        return sorted(rows, key=lambda a: order[a.domain])


class HelpNeed(models.TextChoices):
    # Labels read as the answer to "Hulpvraag?" (README, "The look"); the codes stay.
    UNKNOWN = "unknown", _("nog niet bepaald")
    CONFIRMED = "confirmed", _("ja, bevestigd")
    NONE = "none", _("nee, geen hulpvraag")


class DomainAssessment(models.Model):
    """One ZRM domain of one intake. score NULL means "niet besproken"."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="assessments")
    domain = models.CharField(_("domein"), max_length=40)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True, choices=SCALE)
    help_need = models.CharField(
        _("hulpvraag"), max_length=10, choices=HelpNeed.choices, default=HelpNeed.UNKNOWN
    )
    notes = models.TextField(_("toelichting"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("domeinscore")
        verbose_name_plural = _("domeinscores")
        constraints = [
            models.UniqueConstraint(fields=["intake", "domain"], name="one_assessment_per_domain"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="score_between_1_and_5",
            ),
        ]

    def __str__(self) -> str:
        return f"domein {self.domain} van intake {self.intake_id}"

    @property
    def discussed(self) -> bool:
        return self.score is not None

    def same_content_as(self, score: int | None, help_need: str, notes: str) -> bool:
        return (self.score, self.help_need, self.notes) == (score, help_need, notes)


class ZrmDefinition(models.Model):
    """An official ZRM cell definition, loaded from the municipality's licensed file."""

    instrument_version = models.CharField(max_length=10, choices=INSTRUMENT_CHOICES)
    domain = models.CharField(max_length=40)
    level = models.PositiveSmallIntegerField(choices=SCALE)
    text = models.TextField()

    class Meta:
        verbose_name = _("ZRM-definitie")
        verbose_name_plural = _("ZRM-definities")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument_version", "domain", "level"], name="one_definition_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_version} {self.domain} {self.level}"


# Direct foreign-key object permissions (django-guardian's advice for scale):
# rows go with their object through ON DELETE CASCADE, so nothing is orphaned.
class IntakeUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Intake, on_delete=models.CASCADE)


class IntakeGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Intake, on_delete=models.CASCADE)


class ResidentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Resident, on_delete=models.CASCADE)


class ResidentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Resident, on_delete=models.CASCADE)


class ParkedSave(models.Model):
    """A save of a draft that arrived after the caseworker's session had ended.

    Kept on the server, bound to the caseworker and the intake, never in the browser: at
    the caseworker's next visit to the form it is applied through save_assessment (same
    rules, same version check, same audit) and deleted. It is captured data of a draft, so
    it goes wherever the draft goes: finalising, the sweep and an erasure delete it with
    the intake (minimisation/destruction.py), and a parked save never outlives its draft.
    """

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="parked_saves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The form's fields as they were posted (validated again when applied).
    data = models.JSONField(_("ingevoerde gegevens"))
    parked_at = models.DateTimeField(_("binnengekomen"), auto_now_add=True)

    class Meta:
        verbose_name = _("bewaarde late opslag")
        verbose_name_plural = _("bewaarde late opslagen")
        constraints = [
            models.UniqueConstraint(fields=["intake", "user"], name="one_parked_save_per_user")
        ]

    def __str__(self) -> str:
        return f"late opslag van intake {self.intake_id}"
