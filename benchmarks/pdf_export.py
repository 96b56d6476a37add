"""PDF export of a long draft: our export against WeasyPrint alone.

What it measures
----------------
The export of a strategy version for the assembly (strategy/pdf/render.py) is our
print template rendered to HTML, then WeasyPrint. WeasyPrint's share cannot be
made faster by us; what we add around it should stay small. The script builds a
draft of about ``--pages`` pages in a throwaway SQLite database and times, in
one process:

* our export: ``pdf.version_pdf(version)``, the template rendering (queries,
  Markdown, citations, the appendices) plus WeasyPrint;
* WeasyPrint alone: ``render.write_pdf(html)`` on the same final
  HTML, from ``pdf.render_html(version)``, with our CSS, font configuration and
  URL fetcher.

Both run once to warm up (fontconfig's set-up is shared by every export of a
process), then ``--repeat`` times each, taking turns so that a change in the
machine's load hits both alike; the report gives the medians, their ratio
(ours / WeasyPrint alone) and the peak RSS of the process
(``getrusage(RUSAGE_SELF).ru_maxrss``: Django, the demo data and every render
so far included, as a worker process would see it). CPU times are shown too:
they are less affected by other work on the machine than wall-clock times.

Targets: ratio <= 1.25 and peak RSS <= 250 MB. The exit code is 0 when both
are met, 1 otherwise (2 when the setup fails).

The draft
---------
The demo is loaded as ``manage.py load_mipr_demo`` does (process, timeline,
workshop with example answers, findings and sources, the strategy with two
versions). The newest version then gets generated sections shaped like the
demo's: ``###`` headings, paragraphs of Norwegian filler, bullet lists, quotes
from the workshop, a table in every third section, and citations (findings and
sources assigned to the section, and answer items it cites). Sections are added
until the PDF has at least ``--pages`` pages: the script renders, counts the
pages with pypdf, estimates how many more sections are needed and repeats.

How to run
----------
From the project root; nothing else needs to run (no PostgreSQL, no Redis)::

    .venv/bin/python benchmarks/pdf_export.py
    .venv/bin/python benchmarks/pdf_export.py --pages 40 --repeat 3

The script sets its own environment: ``DJANGO_SETTINGS_MODULE=mipr.settings``,
``DEBUG=0`` with a random ``SECRET_KEY`` (as in production, so that Django does
not keep a log of every query), ``DATABASE_URL`` to a SQLite file in a
temporary directory that is removed at the end, and no ``REDIS_URL``. A run at
40 pages takes one to two minutes on two CPUs, most of it WeasyPrint (the
calibration renders included). On a busy machine, use more ``--repeat``.
"""

import argparse
import io
import json
import math
import os
import random
import resource
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.25
TARGET_RSS_MB = 250.0
# Sections generated before the first estimate of pages per section.
FIRST_BATCH = 6

# Filler words: the generated text hyphenates and wraps like the real one.
WORDS = [
    "kommunene", "regionen", "samarbeid", "næringslivet", "innbyggerne",
    "utvikling", "tillit", "arbeidsplasser", "boliger", "unge", "familier",
    "kompetanse", "samferdsel", "beredskap", "klima", "natur", "verdiskaping",
    "attraktivitet", "tjenester", "økonomi", "kapasitet", "oppgaver",
    "fellesskap", "identitet", "styrke", "bygge", "utvikle", "sikre",
    "prioritere", "løfte", "satsing", "bærekraftig", "attraktiv",
    "konkurransedyktig", "felles", "regional", "lokal", "konkret", "langsiktig",
    "viktig", "tydelig", "nye", "gode", "store", "flere", "bedre", "sammen",
    "videre",
]  # fmt: skip
SMALL_WORDS = [
    "og", "i", "for", "med", "til", "på", "av", "som", "at", "om", "mellom",
    "over", "gjennom",
]  # fmt: skip
HEADINGS = [
    "Næringsutvikling",
    "Samferdsel og mobilitet",
    "Kompetanse og arbeidsliv",
    "Boliger og stedsutvikling",
    "Klima, natur og beredskap",
    "Helse og tjenester",
    "Kultur og identitet",
    "Digitalisering",
]
SUBHEADINGS = ["Mål", "Hvorfor", "Slik gjør vi det", "Hva vi har hørt"]


# --- Django ------------------------------------------------------------------


def configure_django(workdir: str) -> None:
    """Settings for a throwaway run: SQLite in `workdir`, no Redis, DEBUG off."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "mipr.settings"
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(Path(workdir) / "media")
    os.environ["WHITENOISE_USE_FINDERS"] = "1"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


def load_demo():
    """The demo as `manage.py load_mipr_demo` loads it; the newest version."""
    from django.core.management import call_command

    from demo import document as document_demo
    from demo import evidence as evidence_demo
    from demo import plan as plan_demo
    from demo import process as demo
    from demo import workshop as workshop_demo

    call_command("migrate", verbosity=0, interactive=False)
    process = demo.load_process()
    plan_demo.load(process)
    workshop_demo.load(process)
    evidence_demo.load(process)
    strategy = document_demo.load_strategy(process)
    return strategy.versions.select_related("strategy__process").order_by("-number")[0]


# --- The generated draft -----------------------------------------------------


class Writer:
    """Norwegian-looking filler in the shapes the demo's sections have."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def words(self, low: int, high: int) -> str:
        out = []
        for _n in range(self.rng.randint(low, high)):
            pool = SMALL_WORDS if self.rng.random() < 0.3 else WORDS
            out.append(self.rng.choice(pool))
        return " ".join(out)

    def sentence(self) -> str:
        text = self.words(8, 20)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, low: int = 3, high: int = 6) -> str:
        return " ".join(self.sentence() for _n in range(self.rng.randint(low, high)))

    def bullets(self) -> str:
        return "\n".join(f"- {self.sentence()}" for _n in range(self.rng.randint(3, 6)))

    def table(self) -> str:
        rows = ["| Tiltak | Ansvar | Når |", "| --- | --- | ---: |"]
        for _n in range(self.rng.randint(4, 7)):
            what = self.words(3, 7).capitalize()
            who = self.rng.choice(["MIPR", "Kommunene", "Næringsforeningen", "Fylket"])
            rows.append(f"| {what} | {who} | {self.rng.randint(2026, 2029)} |")
        return "\n".join(rows)

    def quote(self, text: str, why: str, group: str) -> str:
        line = f"> «{text}»"
        if why:
            line += f" – {why}"
        return line + f" ({group})"

    def body(self, number: int, quotes: list[tuple[str, str, str]]) -> str:
        parts = [self.paragraph(2, 4)]
        for index, subheading in enumerate(
            self.rng.sample(SUBHEADINGS, self.rng.randint(2, 3))
        ):
            parts.append(f"### {subheading}")
            parts.append(self.paragraph(2, 5))
            if index == 0:
                parts.append(self.bullets())
            elif quotes:
                parts.append(self.quote(*self.rng.choice(quotes)))
        if number % 3 == 0:
            parts.append("### Tiltak og ansvar")
            parts.append(self.table())
        return "\n\n".join(parts)


def cited_items(process):
    """The demo's filled answer items: (answer, slot, text, why, group name)."""
    from workshops.models import Answer

    items = []
    answers = Answer.objects.filter(question__workshop__process=process).select_related(
        "group", "question"
    )
    for answer in answers:
        content = answer.question.fit_content(answer.content)
        for slot, entry in enumerate(content):
            if entry["text"].strip():
                items.append(
                    (answer, slot, entry["text"], entry["why"], answer.group.name)
                )
    return items


def add_sections(version, count: int, writer: Writer, items) -> None:
    """`count` more sections at the end of the version, citing like the demo."""
    from django.db import transaction
    from django.db.models import Max

    from strategy.models import Section, SectionItem

    process = version.strategy.process
    findings = list(process.findings.all())
    sources = list(process.sources.all())
    owner = version.created_by
    quotes = [(text, why, group) for _a, _s, text, why, group in items]
    with transaction.atomic():
        last = version.sections.aggregate(n=Max("order"))["n"] or 0
        for order in range(last + 1, last + count + 1):
            heading = f"{writer.rng.choice(HEADINGS)} ({order})"
            section = Section.objects.create(
                version=version,
                order=order,
                heading=heading,
                body=writer.body(order, quotes),
                owner=owner,
            )
            section.findings.set(writer.rng.sample(findings, min(2, len(findings))))
            section.sources.set(writer.rng.sample(sources, min(1, len(sources))))
            cited = writer.rng.sample(items, min(2, len(items)))
            SectionItem.objects.bulk_create(
                SectionItem(section=section, answer=answer, slot=slot)
                for answer, slot, *_rest in cited
            )


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def build_draft(version, pages: int, seed: int) -> tuple[int, int]:
    """Add sections until the PDF has >= `pages` pages: (pages, sections added)."""
    from strategy.pdf import render as pdf

    writer = Writer(seed)
    items = cited_items(version.strategy.process)
    start = page_count(pdf.version_pdf(version))
    print(f"  calibrating: the demo's version has {start} pages", flush=True)
    added = 0
    have = start
    while have < pages:
        if added == 0:
            batch = FIRST_BATCH
        else:
            per_section = max((have - start) / added, 0.1)
            batch = max(1, math.ceil((pages - have) / per_section))
        add_sections(version, batch, writer, items)
        added += batch
        have = page_count(pdf.version_pdf(version))
        print(f"  calibrating: {added} sections added, {have} pages", flush=True)
    return have, added


# --- Measuring ---------------------------------------------------------------


def timed(function):
    """(result, wall seconds, CPU seconds) of calling `function`."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def rss_mb() -> float:
    """The process's peak RSS so far, in MB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(version, repeat: int) -> dict:
    from strategy.pdf import render as pdf

    html = pdf.render_html(version)
    # Warm-up: the font configuration, WeasyPrint's caches, the template.
    pdf.version_pdf(version)
    pdf.write_pdf(html)
    calls = {
        "ours": lambda: pdf.version_pdf(version),
        "alone": lambda: pdf.write_pdf(html),
        "html": lambda: pdf.render_html(version),
    }
    runs = {name: [] for name in calls}
    outputs = {}
    for round_number in range(repeat):
        # Taking turns, and swapping who goes first every round, so that neither
        # always pays for the garbage of the other or for a burst of load.
        order = ["ours", "alone"] if round_number % 2 == 0 else ["alone", "ours"]
        for name in [*order, "html"]:
            outputs[name], wall, cpu = timed(calls[name])
            runs[name].append((wall, cpu))
    data = outputs["ours"]
    result = {
        name: (
            statistics.median(wall for wall, _cpu in values),
            statistics.median(cpu for _wall, cpu in values),
            [wall for wall, _cpu in values],
        )
        for name, values in runs.items()
    }
    result["html_bytes"] = len(html.encode())
    result["pdf_bytes"] = len(data)
    result["pages"] = page_count(data)
    return result


# --- Main --------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Time our PDF export against WeasyPrint alone on a long draft."
    )
    parser.add_argument(
        "--pages", type=int, default=40, help="pages the draft should have (40)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each, median (3)"
    )
    parser.add_argument(
        "--seed", type=int, default=2025, help="seed for the generated text"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="end with one line of JSON holding the figures (for benchmarks/run.py)",
    )
    args = parser.parse_args(argv)
    if args.pages < 1 or args.repeat < 1:
        parser.error("--pages and --repeat must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as workdir:
        try:
            setup_started = time.monotonic()
            configure_django(workdir)
            version = load_demo()
            demo_sections = version.sections.count()
            rss_django = rss_mb()
            print(f"Building a draft of at least {args.pages} pages...", flush=True)
            pages, added = build_draft(version, args.pages, args.seed)
            setup_seconds = time.monotonic() - setup_started
        except Exception as exc:  # noqa: BLE001 - report any setup failure
            print(f"Setup failed: {exc.__class__.__name__}: {exc}", file=sys.stderr)
            return 2
        from django.db import connections

        load_before = os.getloadavg()[0]
        result = measure(version, args.repeat)
        load_after = os.getloadavg()[0]
        connections.close_all()
    sections = demo_sections + added
    timing = {
        "setup": setup_seconds,
        "load": (load_before, load_after),
        "rss_django": rss_django,
    }
    figures = report(args, result, sections, added, pages, timing)
    if args.json:
        print(json.dumps(figures))
    return 0 if figures["met"] else 1


def report(args, result, sections, added, pages, timing) -> dict:
    ours, ours_cpu, ours_runs = result["ours"]
    alone, alone_cpu, alone_runs = result["alone"]
    html, html_cpu, _html_runs = result["html"]
    ratio = ours / alone if alone else math.inf
    cpu_ratio = ours_cpu / alone_cpu if alone_cpu else math.inf
    peak = rss_mb()

    def runs(values):
        return ", ".join(f"{value:.2f}" for value in values)

    print()
    print("PDF export benchmark")
    print(
        f"  draft        {sections} sections ({added} generated), "
        f"{result['pages']} pages (calibrated: {pages}), "
        f"HTML {result['html_bytes'] / 1024:.0f} KiB, "
        f"PDF {result['pdf_bytes'] / 1024:.0f} KiB; setup took "
        f"{timing['setup']:.1f} s"
    )
    # Wall-clock times depend on the CPU the process gets: other work on the
    # machine shows as a load average above the CPU count.
    print(
        f"  machine      {os.cpu_count()} CPUs, load average "
        f"{timing['load'][0]:.1f} at the start of the runs, "
        f"{timing['load'][1]:.1f} at the end"
    )
    print(
        f"  our export   {ours:.2f} s median of {args.repeat} "
        f"({runs(ours_runs)}); CPU {ours_cpu:.2f} s"
    )
    print(
        f"  WeasyPrint   {alone:.2f} s median of {args.repeat} "
        f"({runs(alone_runs)}); CPU {alone_cpu:.2f} s"
    )
    print(f"  HTML alone   {html:.3f} s median (render_html); CPU {html_cpu:.3f} s")
    print(f"  ratio        {ratio:.3f} (CPU time: {cpu_ratio:.3f})")
    if max(timing["load"]) > (os.cpu_count() or 1):
        print(
            "               the machine was busy: wall-clock times are noisy, "
            "the CPU-time ratio is the steadier figure"
        )
    print(
        f"  peak RSS     {peak:.0f} MB for the process "
        f"({timing['rss_django']:.0f} MB of it Django and the demo, before any "
        f"render)"
    )
    met = ratio <= TARGET_RATIO and peak <= TARGET_RSS_MB
    print(
        f"  target       ratio <= {TARGET_RATIO}, peak RSS <= "
        f"{TARGET_RSS_MB:.0f} MB: " + ("MET" if met else "NOT MET")
    )
    return {
        "pages": result["pages"],
        "ours_s": round(ours, 3),
        "weasyprint_s": round(alone, 3),
        "ratio": round(ratio, 3),
        "cpu_ratio": round(cpu_ratio, 3),
        "peak_rss_mb": round(peak, 1),
        "met": met,
    }


if __name__ == "__main__":
    sys.exit(main())
