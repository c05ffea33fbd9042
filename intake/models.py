"""Residents, intakes and domain assessments.

Every personal-data field here must be classified by the minimisation policy
(minimisation/policy.py); a system check stops start-up when one is not.
"""

import datetime as dt
import json
import uuid
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from intake.bsn import validate_bsn
from intake.instrument import DEFAULT_INSTRUMENT, INSTRUMENT_CHOICES, SCALE, Instrument, instrument
from intake.querysets import AssessmentQuerySet, IntakeQuerySet, ResidentQuerySet
from intake.validators import validate_birth_date
from minimisation.policy import POLICY
from vault import blind
from vault.fields import (
    SealedCharField,
    SealedDateField,
    SealedEmailField,
    SealedModel,
    SealedSmallIntegerField,
    SealedTextField,
    SealedValue,
)

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


class Resident(SealedModel):
    """An inwoner. `ref` is the only identifier logs and the audit log may carry.

    Every captured field is sealed (vault/fields.py): the columns hold AES-256-GCM
    ciphertext under a data key per value. Name words, BSN and birth date are also in the
    blind index (`bsn_index`, `birth_date_index`, `ResidentNameToken`), the only way to
    search them.
    """

    ref = models.UUIDField(_("referentie"), default=uuid.uuid4, unique=True, editable=False)
    name = SealedCharField(_("naam"), max_length=200)
    # NULL only after minimisation destroyed it; the form still requires it (blank=False).
    date_of_birth = SealedDateField(_("geboortedatum"), null=True, validators=[validate_birth_date])
    bsn = SealedCharField(_("BSN"), max_length=9, blank=True, validators=[validate_bsn])
    address = SealedCharField(_("adres"), max_length=300, blank=True)
    phone = SealedCharField(_("telefoon"), max_length=40, blank=True)
    email = SealedEmailField(_("e-mail"), blank=True)
    # HMAC-SHA256 digests under the provider's search key (vault/blind.py), NULL when empty.
    bsn_index = models.CharField(max_length=64, null=True, blank=True, editable=False)
    birth_date_index = models.CharField(
        max_length=64, null=True, blank=True, editable=False, db_index=True
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        constraints = [
            # One resident per BSN, on the blind index: the BSN itself is ciphertext.
            models.UniqueConstraint(fields=["bsn_index"], name="one_resident_per_bsn")
        ]

    def __str__(self) -> str:
        # Never the name: object representations end up in logs and admin history.
        return f"inwoner {self.ref}"

    def vault_row_id(self) -> str:
        return str(self.ref)

    INDEXED = ("name", "bsn", "date_of_birth")

    def _changed_indexed_fields(self) -> list[str]:
        """The searchable fields assigned since they were read (not the stored envelope)."""
        return [
            name
            for name in self.INDEXED
            if name in self.__dict__ and not isinstance(self.__dict__[name], SealedValue)
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves, and keeps the blind index in step with the searchable fields."""
        changed = self._changed_indexed_fields()
        if "bsn" in changed:
            self.bsn_index = blind.digest("bsn", self.bsn) if self.bsn else None
        if "date_of_birth" in changed:
            born = self.date_of_birth
            self.birth_date_index = blind.digest("dob", born.isoformat()) if born else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"bsn": "bsn_index", "date_of_birth": "birth_date_index"}
            kwargs["update_fields"] = {
                *update_fields,
                *(extra[f] for f in update_fields if f in extra),
            }
        with transaction.atomic():
            super().save(*args, **kwargs)
            if "name" in changed and (update_fields is None or "name" in update_fields):
                self.reindex_name()

    def reindex(self) -> None:
        """Every blind-index digest of this resident recomputed under the newest search
        key (rotate_keys --search-key); writes only the index."""
        born = self.date_of_birth
        self.bsn_index = blind.digest("bsn", self.bsn) if self.bsn else None
        self.birth_date_index = blind.digest("dob", born.isoformat()) if born else None
        Resident.objects.filter(pk=self.pk).update(
            bsn_index=self.bsn_index, birth_date_index=self.birth_date_index
        )
        self.reindex_name()

    def reindex_name(self) -> None:
        ResidentNameToken.objects.filter(resident=self).delete()
        ResidentNameToken.objects.bulk_create(
            ResidentNameToken(resident=self, digest=blind.digest("name", word))
            for word in blind.name_words(self.name)
        )

    def audit_subject(self) -> AuditSubject:
        """What an audit event says about this resident: the object and its pseudonymous
        reference, never a value (`Event(action=..., **resident.audit_subject(), ...)`)."""
        return {
            "object_type": self._meta.model_name or "",
            "object_id": str(self.pk),
            "resident_ref": str(self.ref),
            "purpose": "",
        }


class ResidentNameToken(models.Model):
    """One word of a resident's name in the blind index: its HMAC digest, never the word."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="name_tokens")
    digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("zoekterm naam")
        verbose_name_plural = _("zoektermen naam")

    def __str__(self) -> str:
        return f"zoekterm van inwoner {self.resident_id}"


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


class DomainAssessment(SealedModel):
    """One ZRM domain of one intake. score NULL means "niet besproken".

    Score, help need and notes are sealed (vault/fields.py), each under its own data key.
    A help need "onbekend" (the default) is stored as NULL, without a key.
    """

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="assessments")
    domain = models.CharField(_("domein"), max_length=40)
    score = SealedSmallIntegerField(_("score"), null=True, blank=True, choices=SCALE)
    help_need = SealedCharField(
        _("hulpvraag"), max_length=10, choices=HelpNeed.choices, default=HelpNeed.UNKNOWN
    )
    notes = SealedTextField(_("toelichting"), max_length=2000, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("domeinscore")
        verbose_name_plural = _("domeinscores")
        constraints = [
            models.UniqueConstraint(fields=["intake", "domain"], name="one_assessment_per_domain"),
            # The score's range is checked by its choices: the column holds ciphertext.
        ]

    def __str__(self) -> str:
        return f"domein {self.domain} van intake {self.intake_id}"

    def vault_row_id(self) -> str:
        return f"{self.intake_id}:{self.domain}"

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


class ParkedSave(SealedModel):
    """A save of a draft that arrived after the caseworker's session had ended.

    Kept on the server, bound to the caseworker and the intake, never in the browser: at
    the caseworker's next visit to the form it is applied through save_assessment (same
    rules, same version check, same audit) and deleted. It is captured data of a draft, so
    it goes wherever the draft goes: finalising, the sweep and an erasure delete it with
    the intake (minimisation/destruction.py), and a parked save never outlives its draft.
    """

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="parked_saves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The form's fields as they were posted (validated again when applied), as JSON text,
    # sealed like every other captured value: destroying the row's key destroys it.
    data = SealedTextField(_("ingevoerde gegevens"))
    parked_at = models.DateTimeField(_("binnengekomen"), auto_now_add=True)

    class Meta:
        verbose_name = _("bewaarde late opslag")
        verbose_name_plural = _("bewaarde late opslagen")
        constraints = [
            models.UniqueConstraint(fields=["intake", "user"], name="one_parked_save_per_user")
        ]

    def __str__(self) -> str:
        return f"late opslag van intake {self.intake_id}"

    def vault_row_id(self) -> str:
        return f"{self.intake_id}:{self.user_id}"

    def fields(self) -> dict[str, Any]:
        """The parked form fields."""
        parsed: dict[str, Any] = json.loads(self.data)
        return parsed
