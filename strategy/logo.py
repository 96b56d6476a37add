"""The council's logo on the PDF's cover: checked by its content, since
WeasyPrint renders it.

A PNG is known by its signature and header; an SVG by its parsed root <svg>,
and refused with scripts, foreign objects, event handlers, a DTD or anything
that points outside the file (WeasyPrint would try to fetch it).
"""

import base64
import re
import struct
import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import CoverLogo

MAX_BYTES = 512 * 1024
PNG = "image/png"
SVG = "image/svg+xml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
REFUSED_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed"}
# url(...) in a style that does not point inside the file, and @import.
OUTSIDE_STYLE = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import", re.IGNORECASE)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _check_svg(data: bytes) -> None:
    refused = ValidationError(
        _(
            "The SVG file contains scripts, embedded content or references to "
            "other files, which the PDF cannot show. Save it again as a plain "
            "SVG or as PNG."
        ),
        code="svg_unsafe",
    )
    head = data[:4096].lower()
    lowered = data.lower()
    # A DTD (entities) or a style sheet named in a processing instruction.
    if b"<!doctype" in head or b"<!entity" in lowered or b"<?xml-stylesheet" in lowered:
        raise refused
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise ValidationError(
            _("The file is neither a PNG nor a readable SVG image."), code="invalid"
        ) from error
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        raise ValidationError(
            _("The file is neither a PNG nor a readable SVG image."), code="invalid"
        )
    for element in root.iter():
        if not isinstance(element.tag, str) or _local(element.tag) in REFUSED_ELEMENTS:
            raise refused
        if _local(element.tag) == "style" and OUTSIDE_STYLE.search(element.text or ""):
            raise refused
        for name, value in element.attrib.items():
            local = _local(name)
            if local.startswith("on"):
                raise refused
            if local in ("href", "src") and not value.strip().startswith("#"):
                raise refused
            if local == "style" and OUTSIDE_STYLE.search(value):
                raise refused
            if "url(" in value.lower() and not re.fullmatch(
                r"\s*url\(\s*#[^)]*\)\s*", value
            ):
                raise refused


def logo_check(data: bytes) -> str:
    """The logo's content type, or ValidationError saying what is wrong."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The logo may be at most %(max)s kB.") % {"max": MAX_BYTES // 1024},
            code="too_big",
        )
    if data.startswith(PNG_SIGNATURE):
        # The signature, then the IHDR chunk with a width and a height.
        if len(data) < 24 or data[12:16] != b"IHDR":
            raise ValidationError(
                _("The file is neither a PNG nor a readable SVG image."),
                code="invalid",
            )
        width, height = struct.unpack(">II", data[16:24])
        if not (0 < width <= 5000 and 0 < height <= 5000):
            raise ValidationError(
                _("The logo may be at most 5000 × 5000 pixels."), code="too_big"
            )
        return PNG
    _check_svg(data)
    return SVG


@transaction.atomic
def cover_logo_save(*, process, data: bytes, by) -> CoverLogo:
    """The process's cover logo, replaced by this one (checked again here)."""
    content_type = logo_check(data)
    CoverLogo.objects.filter(process=process).delete()
    return CoverLogo.objects.create(
        process=process, data=data, content_type=content_type, uploaded_by=by
    )


def cover_logo_remove(*, process) -> None:
    CoverLogo.objects.filter(process=process).delete()


def data_uri(logo: CoverLogo) -> str:
    """The logo inside the document: WeasyPrint fetches nothing."""
    return f"data:{logo.content_type};base64,{base64.b64encode(logo.data).decode()}"
