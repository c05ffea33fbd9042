"""ZRM definitions for the application admin (functioneel beheerder).

Only the licensed cell texts: no resident, intake or domain assessment is registered
here. The privacy officer's read-only review of intake content lives in
minimisation/admin.py and is closed to every other role.
"""

from django.contrib import admin

from audit.admin import AuditedAdminMixin
from intake.models import ZrmDefinition


@admin.register(ZrmDefinition)
class ZrmDefinitionAdmin(AuditedAdminMixin, admin.ModelAdmin[ZrmDefinition]):
    list_display = ("instrument_version", "domain", "level")
    list_filter = ("instrument_version", "domain")
    ordering = ("instrument_version", "domain", "level")
