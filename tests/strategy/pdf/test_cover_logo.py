"""The council's logo on the PDF's cover: checked by its content, uploaded by
the secretariat only, and on the cover as an image when there is one."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from strategy import logo
from strategy.models import CoverLogo
from strategy.pdf import render as pdf

from .helpers import SLUG

pytestmark = pytest.mark.django_db

URL = f"/strategi/{SLUG}/forside/"


def png(width=40, height=20) -> bytes:
    """A real PNG: a blue rectangle."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x1f\x3b\x5a" * width
    return (
        logo.PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20">'
    b'<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
    b'<rect width="40" height="20" fill="url(#g)"/><use href="#g"/></svg>'
)

UNSAFE_SVG = {
    "script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "foreign object": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject>'
        b'<p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>'
    ),
    "event handler": b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
    "outside image": (
        b'<svg xmlns="http://www.w3.org/2000/svg" '
        b'xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<image xlink:href="https://example.org/a.png"/></svg>'
    ),
    "file reference": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><use href="/etc/passwd#x"/></svg>'
    ),
    "style import": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>'
        b"@import url(https://example.org/a.css);</style></svg>"
    ),
    "style url": (
        b'<svg xmlns="http://www.w3.org/2000/svg">'
        b'<rect style="fill: url(https://example.org/p.svg#a)"/></svg>'
    ),
    "style sheet instruction": (
        b'<?xml-stylesheet href="https://example.org/a.css"?>'
        b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    ),
    "entities": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>'
    ),
}


def test_a_png_and_a_plain_svg_are_accepted():
    assert logo.logo_check(png()) == "image/png"
    assert logo.logo_check(SVG) == "image/svg+xml"


@pytest.mark.parametrize("case", UNSAFE_SVG)
def test_an_svg_with_scripts_or_outside_references_is_refused(case):
    with pytest.raises(ValidationError) as refused:
        logo.logo_check(UNSAFE_SVG[case])
    assert refused.value.code == "svg_unsafe"


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a........",
        b"<html><body>not an image</body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"',  # cut off
        logo.PNG_SIGNATURE + b"\x00" * 30,  # a PNG signature, no header
    ],
)
def test_a_file_that_is_neither_png_nor_svg_is_refused(data):
    with pytest.raises(ValidationError) as refused:
        logo.logo_check(data)
    assert refused.value.code == "invalid"


def test_a_huge_logo_is_refused():
    with pytest.raises(ValidationError) as refused:
        logo.logo_check(png() + b"\x00" * logo.MAX_BYTES)
    assert refused.value.code == "too_big"
    with pytest.raises(ValidationError):
        logo.logo_check(png(width=20000, height=1))


def _upload(client, data, name="logo.png"):
    return client.post(
        URL, {"logo": SimpleUploadedFile(name, data, "application/octet-stream")}
    )


def test_the_secretariat_uploads_and_removes_the_logo(mipr, as_user):
    client = as_user("sekretariat")
    assert client.get(URL).status_code == 200
    response = _upload(client, png())
    assert response.status_code == 302
    saved = CoverLogo.objects.get(process=mipr)
    assert saved.content_type == "image/png" and bytes(saved.data) == png()
    page = client.get(URL).content.decode()
    assert "data:image/png;base64," in page and "Logoen til" in page
    # An SVG replaces it; whatever the file is called, its content decides.
    _upload(client, SVG, name="logo.png")
    assert CoverLogo.objects.get(process=mipr).content_type == "image/svg+xml"
    response = client.post(URL, {"remove": "on"})
    assert response.status_code == 302
    assert not CoverLogo.objects.exists()


@pytest.mark.parametrize(
    "persona", ["radsmedlem", "arbeidsgruppe", "other_secretariat"]
)
def test_others_may_not_upload_a_logo(mipr, as_user, persona):
    client = as_user(persona)
    assert client.get(URL).status_code == 404
    assert _upload(client, png()).status_code == 404
    assert not CoverLogo.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(mipr, client):
    response = _upload(client, png())
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    assert not CoverLogo.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not ours", "Filen er verken en PNG eller et lesbart SVG-bilde."),
        (UNSAFE_SVG["script"], "SVG-filen inneholder skript"),
        (png() + b"\x00" * logo.MAX_BYTES, "Logoen kan være høyst 512 kB."),
    ],
)
def test_a_malformed_or_huge_upload_is_refused_in_norwegian(
    mipr, as_user, data, message
):
    response = _upload(as_user("sekretariat"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CoverLogo.objects.exists()


def _images_on(page) -> list:
    xobjects = page["/Resources"].get("/XObject", {})
    return [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]


def test_the_cover_shows_the_uploaded_logo_as_an_image(v2, people):
    key = pdf.fingerprint(v2, with_comments=False)
    logo.cover_logo_save(
        process=v2.strategy.process, data=png(), by=people["sekretariat"]
    )
    # A new logo is a new PDF.
    assert pdf.fingerprint(v2, with_comments=False) != key
    reader = PdfReader(io.BytesIO(pdf.version_pdf(v2)))
    (image,) = _images_on(reader.pages[0])
    assert (image["/Width"], image["/Height"]) == (40, 20)


def test_without_a_logo_the_cover_has_no_image(document):
    reader = PdfReader(io.BytesIO(document["data"]))
    assert _images_on(reader.pages[0]) == []


def test_the_cover_page_makes_a_fixed_number_of_queries(
    mipr, as_user, django_assert_max_num_queries
):
    client = as_user("sekretariat")
    _upload(client, png())
    # The session, the user, the process with the role, the logo: nothing
    # that grows with the process.
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
