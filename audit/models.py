"""The audit log: append-only, hash-chained, and free of personal data.

An event names who did what to which object, for which resident (by
pseudonymous reference only) and why; never the value of a personal-data field.

Append-only is enforced twice: in the database (a PostgreSQL trigger, see
migration 0002) and here, in the model and its QuerySet, which refuse every
update and delete on every backend. The only way rows leave the table is
`audit.prune.prune_before()` (the `prune_audit` command), which uses raw SQL.
"""

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


def _refuse(what: str) -> NoReturn:
    raise AppendOnlyError(
        f"The audit log is append-only: {what} is refused. "
        "Old events leave only through `manage.py prune_audit`."
    )


class Action(models.TextChoices):
    LOGIN = "login", _("aanmelden")
    LOGIN_FAILED = "login_failed", _("aanmelden mislukt")
    LOGOUT = "logout", _("afmelden")
    READ = "read", _("inzien")
    SEARCH = "search", _("zoeken")
    CREATE = "create", _("aanmaken")
    UPDATE = "update", _("wijzigen")
    PREVIEW = "preview", _("voorbeeld minimalisatie")
    FINALISE = "finalise", _("afronden")
    DISCARD = "discard", _("vernietigen")
    PURGE = "purge", _("bewaartermijn-opschoning")
    REASSIGN = "reassign", _("toewijzen")
    ACCESS_DENIED = "access_denied", _("toegang geweigerd")
    EXPORT = "export", _("exporteren")
    ADMIN_VIEW = "admin_view", _("beheerpagina inzien")
    LOAD_DEFINITIONS = "load_definitions", _("ZRM-definities laden")
    PRUNE = "prune", _("auditlog opschonen")
    # Separation of duties (accounts/grants.py): a role proposed, approved, rejected, revoked.
    ROLE_PROPOSED = "role_proposed", _("rol voorgesteld")
    ROLE_APPROVED = "role_approved", _("rol goedgekeurd")
    ROLE_REJECTED = "role_rejected", _("rol afgewezen")
    ROLE_REVOKED = "role_revoked", _("rol ingetrokken")
    ROTATE_KEYS = "rotate_keys", _("sleutels roteren")
    CHECKPOINT = "checkpoint", _("controlepunt auditlog")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("gelukt")
    DENIED = "denied", _("geweigerd")
    ERROR = "error", _("fout")


# NEN 7513 (and the Logius NEN 7513 extension of Logboek Dataverwerkingen) names what an
# event is with coded fields. Each is derived from the action (audit/nen7513.py) or from
# the policy (the processing activity and its sensitivity), never typed in by anyone.
class EventType(models.TextChoices):
    """NEN 7513 EventTypeCode: the kind of event."""

    AUTHENTICATION = "authentication", _("aanmelding")
    ACCESS = "access", _("inzage")
    CHANGE = "change", _("mutatie")
    DESTRUCTION = "destruction", _("vernietiging")
    ADMINISTRATION = "administration", _("beheer")
    SECURITY = "security", _("beveiliging")


class EventActionCode(models.TextChoices):
    """NEN 7513 EventActionCode (as in DICOM/IHE ATNA): create, read, update, delete, execute."""

    CREATE = "C", _("aanmaken")
    READ = "R", _("lezen")
    UPDATE = "U", _("wijzigen")
    DELETE = "D", _("verwijderen")
    EXECUTE = "E", _("uitvoeren")


class DataLifeCycle(models.TextChoices):
    """NEN 7513 ParticipantObjectDataLifeCycle: the step in the data's life (ATNA codes)."""

    ORIGINATION = "origination", _("vastleggen")
    AMENDMENT = "amendment", _("wijzigen")
    ACCESS = "access", _("raadplegen")
    EXPORT = "export", _("exporteren")
    DESTRUCTION = "permanent_erasure", _("definitief vernietigen")


class Sensitivity(models.TextChoices):
    """NEN 7513 ParticipantObjectSensitivity, from the processing activity in the policy."""

    NORMAL = "normal", _("persoonsgegevens")
    SPECIAL = "special", _("bijzondere persoonsgegevens (AVG art. 9/10)")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Selecting events; every bulk write path except insert-one is refused."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("update()")

    def delete(self) -> NoReturn:
        _refuse("delete()")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("bulk_update()")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Bulk inserts would bypass the chain head lock that audit.events.append() holds.
        _refuse("bulk_create()")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("update_or_create()")


class AuditEvent(models.Model):
    ts = models.DateTimeField(_("tijdstip (UTC)"), db_index=True)
    actor_id = models.BigIntegerField(_("gebruiker-id"), null=True, blank=True)
    actor = models.CharField(_("gebruiker"), max_length=150, blank=True, db_index=True)
    actor_role = models.CharField(_("rol"), max_length=40, blank=True)
    on_behalf_of = models.CharField(_("namens"), max_length=150, blank=True)
    action = models.CharField(_("actie"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("objecttype"), max_length=40, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    resident_ref = models.CharField(
        _("inwonerreferentie"), max_length=36, blank=True, db_index=True
    )
    purpose = models.CharField(_("doel (wettelijk kader)"), max_length=40, blank=True)
    outcome = models.CharField(
        _("resultaat"),
        max_length=10,
        choices=Outcome.choices,
        default=Outcome.SUCCESS,
        db_index=True,  # the admin filters on it (a denial among millions of successes)
    )
    source_ip = models.GenericIPAddressField(_("herkomst"), null=True, blank=True)
    request_id = models.CharField(_("request-id"), max_length=64, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("vorige hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    # NEN 7513 / Logboek Dataverwerkingen (empty on events written before they existed).
    event_type = models.CharField(
        _("gebeurtenistype"), max_length=20, choices=EventType.choices, blank=True, default=""
    )
    event_action_code = models.CharField(
        _("actiecode"), max_length=1, choices=EventActionCode.choices, blank=True, default=""
    )
    data_life_cycle = models.CharField(
        _("levenscyclusstap"),
        max_length=20,
        choices=DataLifeCycle.choices,
        blank=True,
        default="",
    )
    sensitivity = models.CharField(
        _("gevoeligheid"), max_length=10, choices=Sensitivity.choices, blank=True, default=""
    )
    processing_activity = models.CharField(
        _("verwerkingsactiviteit"), max_length=40, blank=True, default=""
    )
    source_system = models.CharField(_("bronsysteem"), max_length=100, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditgebeurtenissen")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.ts:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or self.pk is not None:
            _refuse("changing a stored event")
        if not self.hash:
            _refuse("an event without a hash (use audit.events.record())")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("deleting an event")
