"""The strategy as a PDF for the assembly, rendered with WeasyPrint.

The document is our own print HTML and CSS (templates/strategy/pdf/), with no
Bootstrap and no flex or grid layouts, which make WeasyPrint slow. Nothing is
fetched from the network: the URL fetcher refuses every address, and a section
that links an outside image fails the export with a message instead.
"""

import hashlib
import re
from html.parser import HTMLParser

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Count, Max, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML, default_url_fetcher
from weasyprint.text.fonts import FontConfiguration

from mipr import clock
from timeline.models import Milestone
from timeline.services import plan_rows
from workshops.models import Answer, Workshop, WorkshopStatus

from ..logo import data_uri
from ..markdown import render as render_markdown
from ..models import Comment, CoverLogo, Version
from ..writing import citations

MAX_TABLE_ROWS = 1000
MAX_NESTING = 12
OUTSIDE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?\s*(?:https?:)?//", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# fontconfig's set-up is the slow part of a first render. The stylesheet has no
# @font-face of its own (it names installed fonts), so one configuration serves
# every export this (operating-system) process makes.
_font_config: FontConfiguration | None = None


class PdfError(Exception):
    """An export that cannot be made, with a message for the secretariat."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def font_config() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def refuse_every_url(url: str, *args, **kwargs):
    """WeasyPrint's URL fetcher: the document needs nothing from outside. A
    data: URL (the cover's logo) carries its content and fetches nothing."""
    if url.startswith("data:"):
        return default_url_fetcher(url)
    raise ValueError(f"not fetched: {url[:200]}")


class _Shape(HTMLParser):
    """Counts table rows and the deepest nesting of lists and quotes."""

    NESTING = {"ul", "ol", "blockquote"}

    def __init__(self):
        super().__init__()
        self.rows = self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows += 1
        if tag in self.NESTING:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag in self.NESTING:
            self.depth = max(0, self.depth - 1)


def section_html(section) -> str:
    """A section's body as safe HTML, or PdfError saying what is wrong with it."""
    body = section.body or ""
    name = {"heading": section.heading}
    if OUTSIDE_IMAGE.search(body):
        raise PdfError(
            _(
                "The section «%(heading)s» shows an image from an outside address. "
                "The PDF never fetches anything from the internet: remove the image."
            )
            % name
        )
    if CONTROL.search(body):
        raise PdfError(
            _("The section «%(heading)s» contains characters that are not allowed.")
            % name
        )
    try:
        html = render_markdown(body)
    except Exception as error:  # noqa: BLE001 - any parser failure is the text's
        raise PdfError(
            _("The text of the section «%(heading)s» could not be read.") % name
        ) from error
    shape = _Shape()
    shape.feed(html)
    if shape.rows > MAX_TABLE_ROWS:
        raise PdfError(
            _(
                "The section «%(heading)s» has a table with %(rows)s rows; "
                "a PDF can take at most %(max)s."
            )
            % {**name, "rows": shape.rows, "max": MAX_TABLE_ROWS}
        )
    if shape.deepest > MAX_NESTING:
        raise PdfError(
            _(
                "The text of the section «%(heading)s» is nested too deeply "
                "(lists or quotes inside each other)."
            )
            % name
        )
    return html


def fingerprint(version: Version, *, with_comments: bool) -> str:
    """Changes whenever anything the PDF shows changes."""
    process = version.strategy.process
    sections = list(version.sections.values_list("key", "revision", "order"))
    parts = [
        version.pk,
        version.status,
        with_comments,
        sorted(str(part) for part in sections),
        process.milestones.aggregate(
            n=Count("pk"), v=Sum("version"), u=Max("updated_at")
        ),
        # Appendix A says «late» by the date: a new day may make one late.
        sorted(m.pk for m in process.milestones.all() if m.is_late(clock.today())),
        list(
            CoverLogo.objects.filter(process=process).values_list("pk", "uploaded_at")
        ),
    ]
    if version.appendix_b is not None:
        # Kept with the version: the answers as they are now do not count.
        parts.append(version.appendix_b)
    else:
        parts += [
            Answer.objects.filter(question__workshop__process=process).aggregate(
                n=Count("pk"), v=Sum("version"), s=Max("submitted_at")
            ),
            sorted(
                Workshop.objects.filter(process=process).values_list("pk", "status")
            ),
        ]
    if with_comments:
        parts.append(
            # k: how many are resolved, so that un-resolving one shows too.
            Comment.objects.filter(section__version=version).aggregate(
                n=Count("pk"),
                k=Count("resolved_at"),
                r=Max("resolved_at"),
                c=Max("created_at"),
            )
        )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def appendix_b(process) -> list[dict]:
    """Appendix B as plain data: each workshop, and for a closed one its
    questions with every group's submitted answer. Text that is still being
    written, or that a group never submitted, is not part of a document (see
    test_probe_findings). Plain data, so that a version keeps it as it was
    when it was made public or adopted (Version.appendix_b)."""
    workshops = list(
        Workshop.objects.filter(process=process).prefetch_related("questions", "groups")
    )
    answers = {
        (a.group_id, a.question_id): a
        for a in Answer.objects.filter(
            question__workshop__process=process,
            question__workshop__status=WorkshopStatus.CLOSED,
            submitted_at__isnull=False,
        )
    }
    result = []
    for workshop in workshops:
        if not workshop.is_closed:
            result.append({"title": workshop.title, "questions": None})
            continue
        questions = []
        for question in workshop.questions.all():
            groups = []
            for group in workshop.groups.all():
                answer = answers.get((group.pk, question.pk))
                filled = question.filled_slots(answer.content) if answer else []
                groups.append(
                    {
                        "name": group.name,
                        "slots": [
                            {"label": f.label, "text": f.text, "why": f.why}
                            for f in filled
                        ],
                    }
                )
            questions.append(
                {
                    "number": question.number,
                    "title": question.title,
                    "prompt": question.prompt,
                    "slot_prompts": [
                        {"label": slot.label, "prompt": slot.prompt}
                        for slot in question.slots
                        if slot.prompt
                    ],
                    "groups": groups,
                }
            )
        result.append({"title": workshop.title, "questions": questions})
    return result


def version_appendix_b(version: Version) -> list[dict]:
    """What appendix B shows for a version: as it was made public or adopted,
    or as the answers are now."""
    if version.appendix_b is not None:
        return version.appendix_b
    return appendix_b(version.strategy.process)


def document_context(version: Version, *, with_comments: bool) -> dict:
    strategy = version.strategy
    process = strategy.process
    sections = list(version.sections.prefetch_related("sources"))
    if version.is_frozen:
        # The adopted strategy leaves out what was never written; a draft
        # shows it as «not written yet».
        sections = [section for section in sections if section.body.strip()]
    labels = citations(sections)
    notes = []
    for number, section in enumerate(sections, start=1):
        section.number = number
        section.is_empty = not section.body.strip()
        section.html = section_html(section)
        section.notes = []
        for label in labels[section.pk]:
            notes.append(label)
            section.notes.append((len(notes), label))
    comments = []
    if with_comments:
        comments = list(
            Comment.objects.filter(section__version=version)
            .select_related("section", "author", "resolved_by", "parent")
            .order_by("section__order", "created_at", "pk")
        )
    today = clock.today()
    decision = getattr(version, "decision", None) if version.is_frozen else None
    logo = CoverLogo.objects.filter(process=process).first()
    return {
        "strategy": strategy,
        "process": process,
        "version": version,
        "is_adopted": version.is_frozen,
        "decision": decision,
        "logo_src": data_uri(logo) if logo else None,
        "sections": sections,
        "plan": list(plan_rows(process.milestones.all(), today=today)),
        "late_rule": Milestone.LATE_RULE,
        "workshops": version_appendix_b(version),
        "comments": comments,
        "with_comments": with_comments,
        "today": today,
        # The PDF's dates: made when the version was, changed now (never
        # earlier than made), both to the second.
        "created": _w3c(version.created_at),
        "modified": _w3c(max(timezone.now(), version.created_at)),
    }


def _w3c(moment) -> str:
    """A full timestamp, to the second, as the PDF's metadata take it."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def render_html(version: Version, *, with_comments: bool = False) -> str:
    with translation.override("nb"):
        return render_to_string(
            "strategy/pdf/document.html",
            document_context(version, with_comments=with_comments),
        )


class _LinkTexts(HTMLParser):
    """The text of every internal link, by the id it points at: a link's
    description in the PDF is what the reader sees, not «section-1»."""

    def __init__(self):
        super().__init__()
        self.texts: dict[str, str] = {}
        self._target = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("#"):
            self._target, self._text = href[1:], []

    def handle_data(self, data):
        if self._target is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._target is not None:
            text = " ".join("".join(self._text).split())
            self.texts.setdefault(self._target, text)
            self._target = None


def link_texts(html: str) -> dict[str, str]:
    parser = _LinkTexts()
    parser.feed(html)
    return parser.texts


def _number(reference) -> int | None:
    """The object number of a pydyf reference (b"12 0 R")."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return int(reference.split()[0])
    return None


class PdfUaFinisher:
    """What WeasyPrint leaves out of PDF/UA, added to its PDF before it is
    written (WeasyPrint's `finisher`, on pydyf objects, so nothing is parsed
    again): the running header and footer as artifacts, links with a
    description and the print flag, table headers with their scope."""

    def __init__(self, links: dict[str, str]):
        self.links = links

    def __call__(self, document, pdf) -> None:
        objects = pdf.objects
        for obj in objects:
            if isinstance(obj, dict) and obj.get("Subtype") == "/Link":
                obj["F"] = 4  # Print
                target = getattr(obj.get("Dest"), "string", None)
                if target in self.links:
                    obj["Contents"] = pydyf.String(self.links[target])
        root_number = _number(pdf.catalog.get("StructTreeRoot"))
        if root_number is None:
            return
        root = objects[root_number]
        reachable = self._reachable(objects, root)
        nums = objects[_number(root["ParentTree"])]["Nums"]
        parents = dict(zip(nums[::2], nums[1::2], strict=True))
        for obj in objects:
            if isinstance(obj, dict) and obj.get("Type") == "/Page":
                owners = parents.get(obj.get("StructParents"))
                if isinstance(owners, list):
                    self._artifacts(
                        objects[_number(obj["Contents"])], owners, reachable
                    )

    @staticmethod
    def _reachable(objects, root) -> set[int]:
        seen: set[int] = set()
        todo = list(root["K"])
        while todo:
            number = _number(todo.pop())
            if number is None or number in seen:
                continue
            node = objects[number]
            if not isinstance(node, dict) or "S" not in node:
                continue
            seen.add(number)
            if node["S"] == "/TH" and "A" not in node:
                # Every table header of the document heads its column.
                node["A"] = pydyf.Dictionary({"O": "/Table", "Scope": "/Column"})
            kids = node.get("K", [])
            todo.extend(kids if isinstance(kids, list) else [kids])
        return seen

    @staticmethod
    def _artifacts(stream, owners: list, reachable: set[int]) -> None:
        """Marked content whose element is not in the structure tree (the
        margin boxes, which WeasyPrint tags but keeps out of the tree) is
        page furniture: an artifact, as PDF/UA asks."""
        ops = stream.stream
        for index, op in enumerate(ops):
            if op != b"BDC" or not isinstance(ops[index - 1], dict):
                continue
            mcid = ops[index - 1].get("MCID")
            if mcid is None or mcid >= len(owners):
                continue
            if _number(owners[mcid]) in reachable:
                continue
            ops[index - 2], ops[index - 1], ops[index] = "/Artifact", b"", b"BMC"
            owners[mcid] = "null"


def write_pdf(html: str) -> bytes:
    """WeasyPrint alone: the final HTML to tagged PDF bytes (PDF/UA-1)."""
    config = font_config()
    stylesheet = CSS(
        filename=finders.find("css/pdf.css"),
        font_config=config,
        url_fetcher=refuse_every_url,
    )
    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=refuse_every_url
    ).write_pdf(
        stylesheets=[stylesheet],
        font_config=config,
        pdf_variant="pdf/ua-1",
        uncompressed_pdf=False,
        finisher=PdfUaFinisher(link_texts(html)),
    )


def version_pdf(version: Version, *, with_comments: bool = False) -> bytes:
    html = render_html(version, with_comments=with_comments)
    return write_pdf(html)
