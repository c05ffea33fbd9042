"""Role grants that wait for a second person (four eyes).

Users and groups are Django's; roles are groups (accounts/roles.py). Granting a role, a
team's leads group or the staff flag does not change the user: it stores a pending
RoleGrant, which takes effect only when a second, different authorised user approves it
(accounts/grants.py). Revoking needs no grant: it takes effect at once.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STAFF_LABEL = _("beheeromgeving (staff)")


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("wacht op goedkeuring")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def pending(self) -> RoleGrantQuerySet:
        return self.filter(status=GrantStatus.PENDING)


class RoleGrant(models.Model):
    """A proposal to give `user` a group (a role or a leads group) or, without a group,
    the staff flag. The database itself refuses a proposal for oneself and an approval by
    the proposer or by the user it is for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("voor gebruiker"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rol of groep"),
        help_text=_("Leeg: toegang tot de beheeromgeving (staff)."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorgesteld door"),
    )
    proposed_at = models.DateTimeField(_("voorgesteld op"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("roltoekenning")
        verbose_name_plural = _("roltoekenningen")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(proposed_by=F("user")), name="grant_not_proposed_for_oneself"
            ),
            models.CheckConstraint(
                condition=~Q(status=GrantStatus.APPROVED)
                | (
                    Q(decided_by__isnull=False)
                    & ~Q(decided_by=F("proposed_by"))
                    & ~Q(decided_by=F("user"))
                ),
                name="grant_approved_by_a_second_person",
            ),
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=Q(status=GrantStatus.PENDING, group__isnull=False),
                name="one_pending_grant_per_user_and_group",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status=GrantStatus.PENDING, group__isnull=True),
                name="one_pending_staff_grant_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_name} → {self.user}"

    @property
    def role_name(self) -> str:
        return self.group.name if self.group is not None else str(STAFF_LABEL)

    @property
    def is_pending(self) -> bool:
        return self.status == GrantStatus.PENDING
