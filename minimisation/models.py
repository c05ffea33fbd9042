"""The record of a minimisation decision: field names, rules, dates and counts, never values."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from intake.models import Intake


class DecisionRecord(models.Model):
    """What finalising kept and under which policy version; goes with its intake."""

    intake = models.OneToOneField(
        Intake, on_delete=models.CASCADE, related_name="decision", verbose_name=_("intake")
    )
    resident_ref = models.CharField(_("inwonerreferentie"), max_length=36, db_index=True)
    framework = models.CharField(_("wettelijk kader"), max_length=20)
    outcome = models.CharField(_("uitkomst"), max_length=20)
    policy_version = models.CharField(_("beleidsversie"), max_length=20)
    decided_on = models.DateField(_("besloten op"))
    decided_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    retention_until = models.DateField(_("bewaren tot en met"), db_index=True)
    # {"financien": 1, "justitie": 3, "resident": 6}: how many fields were destroyed.
    discarded_counts = models.JSONField(_("aantal vernietigd per domein"), default=dict)

    class Meta:
        verbose_name = _("minimalisatiebesluit")
        verbose_name_plural = _("minimalisatiebesluiten")

    def __str__(self) -> str:
        return f"besluit intake {self.intake_id}"


class KeptField(models.Model):
    """One field the decision kept, with the rule that allows it and until when."""

    decision = models.ForeignKey(
        DecisionRecord, on_delete=models.CASCADE, related_name="kept_fields"
    )
    field = models.CharField(_("veld"), max_length=60)
    domain = models.CharField(_("domein"), max_length=40, blank=True)
    rule_id = models.CharField(_("regel"), max_length=60)
    retention_until = models.DateField(_("bewaren tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("bewaard veld")
        verbose_name_plural = _("bewaarde velden")
        ordering = ["domain", "field"]

    def __str__(self) -> str:
        return f"{self.domain}:{self.field}" if self.domain else self.field


class DiscardedField(models.Model):
    """One field of a discussed domain that finalising destroyed, and the rule why.

    A name, never a value: so the profile can say "vernietigd op <datum> (regel …)"
    instead of "niet besproken". Written by the one destruction path
    (minimisation/destruction.py record_discarded) and goes with its decision."""

    decision = models.ForeignKey(
        DecisionRecord, on_delete=models.CASCADE, related_name="discarded_fields"
    )
    field = models.CharField(_("veld"), max_length=60)
    domain = models.CharField(_("domein"), max_length=40)
    rule_id = models.CharField(_("regel"), max_length=60)

    class Meta:
        verbose_name = _("vernietigd veld")
        verbose_name_plural = _("vernietigde velden")
        ordering = ["domain", "field"]

    def __str__(self) -> str:
        return f"{self.domain}:{self.field}"
