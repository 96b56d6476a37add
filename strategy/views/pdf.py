"""The PDF of a version: ask for it, follow it, download it."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from mipr.access import STAFF_ROLES

from ..access import get_version_for_reader, reader_or_login
from ..models import PdfExport
from ..pdf import jobs


def _export_for_reader(request, slug, pk) -> PdfExport:
    export = get_object_or_404(
        PdfExport.objects.select_related("version__strategy__process"),
        pk=pk,
        version__strategy__process__slug=slug,
    )
    get_version_for_reader(request.user, slug, export.version.number)
    return export


@reader_or_login
@require_POST
def pdf_request(request, slug, number):
    version, role = get_version_for_reader(request.user, slug, number)
    export = jobs.export_request(
        version=version,
        with_comments=role in STAFF_ROLES and request.POST.get("comments") == "1",
        by=request.user if request.user.is_authenticated else None,
    )
    return redirect(export)


@reader_or_login
def pdf_status(request, slug, pk):
    export = _export_for_reader(request, slug, pk)
    return render(
        request,
        "strategy/pdf_status.html",
        {
            "export": export,
            "version": export.version,
            "process": export.version.strategy.process,
        },
    )


@reader_or_login
def pdf_status_json(request, slug, pk):
    export = _export_for_reader(request, slug, pk)
    return JsonResponse(
        {
            "status": export.status,
            "label": export.get_status_display(),
            "error": export.error,
            "download": reverse("strategy:pdf-download", args=[slug, export.pk])
            if export.is_ready
            else "",
        }
    )


@reader_or_login
def pdf_download(request, slug, pk):
    export = _export_for_reader(request, slug, pk)
    if not export.is_ready:
        raise Http404
    version = export.version
    title = version.strategy.title.replace("–", "-")  # slugify drops en dashes
    name = f"{slugify(title)}-versjon-{version.number}.pdf"
    return FileResponse(
        export.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=name,
    )
