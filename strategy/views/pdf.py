"""The PDF of a version: ask for it, follow it, download it."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mipr.access import STAFF_ROLES
from mipr.errors import TooMany
from mipr.ratelimit import Limit

from ..access import get_version_for_reader, may_read_export, reader_or_login
from ..models import PdfExport
from ..pdf import jobs


def _export_for_reader(request, slug, pk) -> PdfExport:
    export = get_object_or_404(
        PdfExport.objects.select_related("version__strategy__process"),
        pk=pk,
        version__strategy__process__slug=slug,
    )
    _version, role = get_version_for_reader(request.user, slug, export.version.number)
    if not may_read_export(export, role=role, process=export.version.strategy.process):
        raise Http404
    return export


# Each member may have this many PDFs made in ten minutes; visitors without a
# role in the process make none: they get the version's published PDF.
PDF_REQUESTS = Limit("pdf-request", limit=20, window=10 * 60)


@reader_or_login
@require_POST
def pdf_request(request, slug, number):
    version, role = get_version_for_reader(request.user, slug, number)
    if role is None:
        return redirect(jobs.published_pdf(version=version))
    who = f"user:{request.user.pk}"
    if PDF_REQUESTS.is_exceeded(who):
        raise TooMany(
            _(
                "You have asked for many PDFs in a short time. Wait a few "
                "minutes, or download one you have made already."
            )
        )
    PDF_REQUESTS.record_failure(who)  # every request counts
    asked_at = timezone.now()
    export = jobs.export_request(
        version=version,
        with_comments=role in STAFF_ROLES and request.POST.get("comments") == "1",
        by=request.user,
    )
    if export.is_pending and export.requested_at < asked_at:
        messages.info(
            request,
            _(
                "This PDF is being made already, at someone else's request. "
                "This page shows when it is ready."
            ),
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
    response = FileResponse(
        export.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=name,
    )
    if export.with_comments:  # the members' names and comments
        patch_cache_control(response, no_store=True, private=True)
    return response
