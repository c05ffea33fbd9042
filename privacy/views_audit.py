"""The privacy officer's export page. Everyone else gets a 404."""

from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.gates import role_required
from accounts.roles import PRIVACY_OFFICER
from audit.context import AuditContext
from audit.export import CONTENT_TYPES, export_bytes, record_export
from audit.forms import ExportForm


@role_required(PRIVACY_OFFICER, hide=True)
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponseBase:
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["format"]
        flt = form.export_filter
        event = record_export(flt, fmt, via="browser", context=AuditContext.for_request(request))
        response = StreamingHttpResponse(
            export_bytes(flt, fmt, through_id=event.pk),
            content_type=CONTENT_TYPES[fmt],
        )
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        response["Content-Disposition"] = f'attachment; filename="auditlog-{stamp}.{fmt}"'
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/audit_export.html", {"form": form}, status=status)
