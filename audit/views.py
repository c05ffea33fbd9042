"""The privacy officer's export page. Everyone else gets a 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.export import CONTENT_TYPES, export_bytes, record_export
from audit.forms import ExportForm
from intake.roles import PRIVACY_OFFICER, has_role


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, PRIVACY_OFFICER):
        raise Http404
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["format"]
        flt = form.export_filter
        event = record_export(flt, fmt, via="browser", request=request)
        response = StreamingHttpResponse(
            export_bytes(flt, fmt, through_id=event.pk),
            content_type=CONTENT_TYPES[fmt],
        )
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        response["Content-Disposition"] = f'attachment; filename="auditlog-{stamp}.{fmt}"'
        response["Cache-Control"] = "no-store"
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "audit/export.html", {"form": form}, status=status)
