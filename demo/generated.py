"""Generated data of a portal used for years, for `manage.py generate_load_data`.

Several processes, each with its members, its plan, a workshop with many groups
and answers, findings with tagged items and sources, and a strategy in three
versions with sections, their history, citations and review comments. Built with
bulk_create, so that tens of thousands of rows take seconds, and from one
`random.Random(seed)`: the same seed gives the same content (only the primary
keys and the automatic timestamps differ).

Everything generated belongs to processes whose slug starts with SLUG_PREFIX and
to users whose username does; a new run replaces the previous one. The users
have the demo's published password, so the command refuses to run with DEBUG
off unless forced.

The newest process (the highest number, shown at /tidslinje/) is the one the
benchmarks use: `describe()` names its pages. Its version 2 is published for
review and holds at least 500 comments when that many are asked for.
"""

import datetime
import math
import random
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from findings.models import (
    Finding,
    FindingsSummary,
    ItemTag,
    Source,
    SourceKind,
    SourceStatus,
)
from mipr.models import Membership, Process, Role
from strategy.models import (
    Comment,
    Decision,
    Review,
    Section,
    SectionItem,
    SectionRevision,
    Strategy,
    Version,
    VersionStatus,
)
from timeline.models import Deliverable, Milestone, Status
from workshops.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Answer,
    Group,
    Question,
    Workshop,
    WorkshopStatus,
)

from .document import OUTLINE
from .plan import SEED_MILESTONES
from .process import DEMO_PASSWORD
from .workshop import QUESTIONS

SLUG_PREFIX = "lasttest-"
NEWEST_YEAR = 2026
# The version whose reading page the benchmark times gets this many comments
# (or all of them, when fewer are asked for).
HEAVY_COMMENTS = 500
WORKING_GROUP_SIZE = 3
COUNCIL_SIZE = 15
FINDINGS_PER_PROCESS = 12
SOURCES_PER_PROCESS = 15
EXTRA_SECTIONS = 3
BATCH = 2000

DEFAULTS = {
    "processes": 5,
    "groups": 200,
    "answers": 10_000,
    "comments": 5_000,
    "milestones": 500,
}

FIRST_NAMES = [
    "Anne", "Bjørn", "Camilla", "Dag", "Eli", "Frode", "Guro", "Håkon", "Ingrid",
    "Jon", "Kari", "Lars", "Marit", "Nils", "Ole", "Per", "Randi", "Siri", "Tor",
    "Unni", "Vidar", "Åse", "Øystein", "Hilde", "Kjetil", "Linn", "Magnus",
]  # fmt: skip
LAST_NAMES = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
    "Kristiansen", "Jensen", "Karlsen", "Berg", "Haugen", "Bakke", "Moen",
]  # fmt: skip
WORDS = [
    "kommunene", "regionen", "samarbeid", "næringslivet", "innbyggerne",
    "utvikling", "tillit", "arbeidsplasser", "boliger", "unge", "familier",
    "kompetanse", "samferdsel", "beredskap", "klima", "natur", "verdiskaping",
    "attraktivitet", "tjenester", "økonomi", "kapasitet", "oppgaver",
    "fellesskap", "identitet", "styrke", "bygge", "utvikle", "sikre",
    "prioritere", "løfte", "satsing", "bærekraftig", "attraktiv", "felles",
    "regional", "lokal", "konkret", "langsiktig", "viktig", "tydelig", "nye",
    "gode", "flere", "bedre", "sammen", "videre",
]  # fmt: skip
SMALL_WORDS = ["og", "i", "for", "med", "til", "på", "av", "som", "at", "om"]
WHO = [
    "Arbeidsgruppen", "Regionrådet", "MIPR-sekretariatet", "Hente inn data",
    "Kommunedirektørene", "Representantskapet",
]  # fmt: skip
WHAT = [
    "Statusmøte", "Innspillsmøte", "Dialog med næringslivet", "Rapport",
    "Gjennomgang", "Høring", "Temamøte", "Oppsummering", "Presentasjon",
]  # fmt: skip
FINDING_TITLES = [
    "Tillit og samarbeid", "Bygge ny identitet", "Vi skal gjøre kommunene gode",
    "«Det beste av to verdener»", "Boliger for unge", "Felles næringsforum",
    "Samferdsel på tvers", "Beredskap sammen", "Kompetanse i arbeidslivet",
    "Klima og natur", "Sterkere stemme utad", "Digitale tjenester",
]  # fmt: skip


@dataclass
class Sizes:
    processes: int = DEFAULTS["processes"]
    groups: int = DEFAULTS["groups"]
    answers: int = DEFAULTS["answers"]
    comments: int = DEFAULTS["comments"]
    milestones: int = DEFAULTS["milestones"]

    def problems(self) -> list[str]:
        problems = [
            f"--{name} cannot be negative"
            for name, value in vars(self).items()
            if value < 0
        ]
        if self.processes < 1:
            problems.append("--processes must be at least 1")
        elif self.answers and self.groups < self.processes:
            problems.append(
                "answers need at least one group in each process "
                "(--groups at least --processes)"
            )
        return problems


@dataclass
class Report:
    """What a run created, model by model, and what it replaced."""

    created: dict[str, int] = field(default_factory=dict)
    replaced: int = 0
    seconds: float = 0.0

    def add(self, name: str, count: int) -> None:
        self.created[name] = self.created.get(name, 0) + count


def split(total: int, parts: int) -> list[int]:
    """`total` shared as evenly as possible over `parts`, the larger shares first."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


class Writer:
    """Norwegian-looking text from one random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def words(self, low: int, high: int) -> str:
        rng = self.rng
        return " ".join(
            rng.choice(SMALL_WORDS if rng.random() < 0.3 else WORDS)
            for _n in range(rng.randint(low, high))
        )

    def sentence(self, low: int = 6, high: int = 16) -> str:
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, low: int = 2, high: int = 5) -> str:
        return " ".join(self.sentence() for _n in range(self.rng.randint(low, high)))

    def title(self, low: int = 2, high: int = 5) -> str:
        return self.words(low, high).capitalize()

    def name(self) -> str:
        return self.rng.choice(FIRST_NAMES)

    def section_body(self) -> str:
        rng = self.rng
        parts = [self.paragraph()]
        for _n in range(rng.randint(1, 3)):
            parts.append(f"### {self.title()}")
            parts.append(self.paragraph())
            if rng.random() < 0.5:
                parts.append(
                    "\n".join(f"- {self.sentence()}" for _n in range(rng.randint(2, 5)))
                )
            if rng.random() < 0.3:
                parts.append(f"> «{self.sentence()}» ({self.name()})")
        return "\n\n".join(parts)

    def edit(self, body: str) -> str:
        """A reworked text: a paragraph rewritten, one added, one dropped."""
        rng = self.rng
        parts = body.split("\n\n")
        index = rng.randrange(len(parts))
        if not parts[index].startswith(("#", "-", ">")):
            sentences = parts[index].split(". ")
            sentences[rng.randrange(len(sentences))] = self.sentence().rstrip(".")
            parts[index] = ". ".join(sentences)
        parts.insert(rng.randint(0, len(parts)), self.paragraph(1, 3))
        if len(parts) > 3 and rng.random() < 0.4:
            del parts[rng.randrange(1, len(parts))]
        return "\n\n".join(parts)


def uuid_from(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _bulk(model, objects, report: Report, name: str | None = None) -> list:
    objects = list(objects)
    created = model.objects.bulk_create(objects, batch_size=BATCH)
    report.add(name or model.__name__, len(objects))
    return created


def _through(relation, rows, report: Report, name: str) -> None:
    """M2M rows as (left id, right id) through the relation's through model."""
    through = relation.through
    left, right = (
        f.attname
        for f in through._meta.concrete_fields
        if f.is_relation and f.many_to_one
    )
    _bulk(through, (through(**{left: a, right: b}) for a, b in rows), report, name)


# --- Replacing the previous run --------------------------------------------------


def generated_processes():
    return Process.objects.filter(slug__startswith=SLUG_PREFIX)


def delete_generated() -> int:
    """Remove every generated process and user; the number of processes removed."""
    processes = generated_processes()
    count = processes.count()
    processes.delete()
    get_user_model().objects.filter(username__startswith=SLUG_PREFIX).delete()
    return count


# --- Generating -------------------------------------------------------------------


@dataclass
class Built:
    """One generated process and what later steps need of it."""

    number: int
    of: int  # the number of processes; the last is the newest
    process: Process
    secretariat: object
    working_group: list
    council: list
    milestones: dict = field(default_factory=dict)  # deliverable -> milestone
    workshop: Workshop | None = None
    groups: list = field(default_factory=list)
    items: list = field(default_factory=list)  # (answer id, slot) with text
    findings: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    tags_by_finding: dict = field(default_factory=dict)
    versions: list = field(default_factory=list)
    sections_by_version: dict = field(default_factory=dict)  # version id -> list

    @property
    def is_newest(self) -> bool:
        return self.number == self.of


@transaction.atomic
def generate(*, sizes: Sizes, seed: int) -> Report:
    """Replace the generated data with a new set of `sizes`, from `seed`."""
    started = timezone.now()
    rng = random.Random(seed)
    writer = Writer(rng)
    report = Report()
    report.replaced = delete_generated()
    password = make_password(DEMO_PASSWORD)
    taken_codes = set(Group.objects.values_list("code", flat=True))

    groups = split(sizes.groups, sizes.processes)
    answers = split(sizes.answers, sizes.processes)
    milestones = split(sizes.milestones, sizes.processes)
    built = []
    for index in range(sizes.processes):
        number = index + 1
        one = _process(number, sizes.processes, password, writer, report)
        _milestones(one, milestones[index], writer, report)
        _workshop(one, groups[index], answers[index], writer, taken_codes, report)
        _findings(one, writer, report)
        _strategy(one, writer, report)
        built.append(one)
    _comments(built, sizes.comments, writer, report)
    report.seconds = (timezone.now() - started).total_seconds()
    return report


def _process(
    number: int, of: int, password: str, writer: Writer, report: Report
) -> Built:
    # The last process is this year's; the others are the years before it.
    year = NEWEST_YEAR - (of - number)
    process = Process.objects.create(
        slug=f"{SLUG_PREFIX}{number}",
        name=f"Lasttest {number}: strategi {year + 1}–{year + 4}",
        council=f"Lasttest regionråd {number}",
        council_short=f"LT{number}",
        period_start=year + 1,
        period_end=year + 4,
        year=year,
        is_public=True,
    )
    report.add("Process", 1)
    User = get_user_model()
    rng = writer.rng

    def user(username):
        return User(
            username=f"{SLUG_PREFIX}{number}-{username}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            password=password,
        )

    people = [(user("sekretariat"), Role.SECRETARIAT)]
    people += [
        (user(f"arbeidsgruppe-{n}"), Role.WORKING_GROUP)
        for n in range(1, WORKING_GROUP_SIZE + 1)
    ]
    people += [
        (user(f"radsmedlem-{n:02}"), Role.COUNCIL_MEMBER)
        for n in range(1, COUNCIL_SIZE + 1)
    ]
    users = _bulk(User, [person for person, _role in people], report, "User")
    _bulk(
        Membership,
        (
            Membership(process=process, user=person, role=role)
            for person, (_unused, role) in zip(users, people, strict=True)
        ),
        report,
    )
    return Built(
        number=number,
        of=of,
        process=process,
        secretariat=users[0],
        working_group=users[1 : 1 + WORKING_GROUP_SIZE],
        council=users[1 + WORKING_GROUP_SIZE :],
    )


def _milestones(one: Built, count: int, writer: Writer, report: Report) -> None:
    rng, year = writer.rng, one.process.year
    rows = []
    for order in range(1, count + 1):
        if order <= len(SEED_MILESTONES):
            who, what, start, end, responsible, deliverable, status = SEED_MILESTONES[
                order - 1
            ]
            end_year = year
        else:
            who, what = rng.choice(WHO), f"{rng.choice(WHAT)} {order}"
            start = rng.randint(1, 50)
            end = start + rng.choice([0, 0, 0, 1, 2, 4, 8])
            end_year = year
            if end > 52:
                end_year, end = year + 1, end - 52
            responsible = rng.choice(["koordinator", "leder", "hele gruppen", ""])
            deliverable = Deliverable.NONE
            status = rng.choice(
                [Status.DONE, Status.DONE, Status.IN_PROGRESS, Status.PLANNED]
                + [Status.PLANNED, Status.CANCELLED]
            )
        if not one.is_newest:  # an earlier year's plan is carried out
            status = Status.CANCELLED if status == Status.CANCELLED else Status.DONE
        rows.append(
            Milestone(
                process=one.process,
                uid=uuid_from(rng),
                who=who,
                what=what,
                start_year=year,
                start_week=start,
                end_year=end_year,
                end_week=end,
                responsible=responsible,
                status=status,
                deliverable=deliverable,
                notes=writer.sentence() if rng.random() < 0.3 else "",
                order=order,
            )
        )
    made = _bulk(Milestone, rows, report)
    staff = [one.secretariat, *one.working_group]
    _through(
        Milestone.responsible_users,
        [
            (milestone.pk, person.pk)
            for milestone in made
            if rng.random() < 0.3
            for person in rng.sample(staff, rng.randint(1, 2))
        ],
        report,
        "Milestone.responsible_users",
    )
    for milestone in made:
        if milestone.deliverable:
            one.milestones.setdefault(milestone.deliverable, milestone)


def _code(rng: random.Random, taken: set) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def _answer_content(question: Question, writer: Writer, *, complete: bool) -> list:
    """Text in most slots, and at least one; every slot of a submitted answer."""
    rng = writer.rng
    filled = [complete or rng.random() < 0.85 for _slot in question.slots]
    if not any(filled):
        filled[0] = True
    return [
        {
            "text": writer.sentence(3, 10),
            "why": writer.sentence(8, 20) if complete or rng.random() < 0.8 else "",
        }
        if has_text
        else {"text": "", "why": ""}
        for has_text in filled
    ]


def _workshop(
    one: Built,
    group_count: int,
    answer_count: int,
    writer: Writer,
    taken_codes: set,
    report: Report,
) -> None:
    rng, year = writer.rng, one.process.year
    if group_count == 0:
        return
    milestone = one.milestones.get(Deliverable.WORKSHOP)
    date = datetime.date.fromisocalendar(
        year, milestone.start_week if milestone else 15, 5
    )
    # Closed workshops are the past; the newest process's is still open.
    workshop = Workshop.objects.create(
        process=one.process,
        title=f"Workshop i regionrådet {date:%d.%m.%Y}",
        date=date,
        place="Rådhuset",
        status=WorkshopStatus.OPEN if one.is_newest else WorkshopStatus.CLOSED,
        milestone=milestone,
    )
    report.add("Workshop", 1)
    one.workshop = workshop
    question_count = max(len(QUESTIONS), math.ceil(answer_count / group_count))
    questions = []
    for number in range(1, question_count + 1):
        spec = dict(QUESTIONS[(number - 1) % len(QUESTIONS)])
        spec["number"] = number
        if number > len(QUESTIONS):
            spec["title"] = f"{spec['title']} ({number})"
        questions.append(Question(workshop=workshop, **spec))
    questions = _bulk(Question, questions, report)
    one.groups = _bulk(
        Group,
        (
            Group(
                workshop=workshop,
                number=number,
                name=f"Gruppe {number}",
                members=", ".join(rng.sample(FIRST_NAMES, rng.randint(3, 5))),
                code=_code(rng, taken_codes),
            )
            for number in range(1, group_count + 1)
        ),
        report,
    )
    edited = timezone.make_aware(datetime.datetime.combine(date, datetime.time(10)))
    rows = []
    pairs = ((q, g) for q in questions for g in one.groups)
    for question, group in (next(pairs) for _n in range(answer_count)):
        submitted = rng.random() < 0.4
        content = _answer_content(question, writer, complete=submitted)
        editor = writer.name()
        rows.append(
            Answer(
                group=group,
                question=question,
                content=content,
                edited_by=editor,
                edited_at=edited + datetime.timedelta(minutes=rng.randint(1, 90)),
                version=rng.randint(1, 30),
                submitted_at=edited + datetime.timedelta(minutes=95)
                if submitted
                else None,
                submitted_by=editor if submitted else "",
            )
        )
    made = _bulk(Answer, rows, report)
    one.items = [
        (answer.pk, slot)
        for answer in made
        for slot, entry in enumerate(answer.content)
        if entry["text"]
    ]


def _findings(one: Built, writer: Writer, report: Report) -> None:
    rng, process = writer.rng, one.process
    staff = [one.secretariat, *one.working_group]
    kinds = list(SourceKind)
    statuses = list(SourceStatus)
    one.sources = _bulk(
        Source,
        (
            Source(
                process=process,
                kind=kinds[n % len(kinds)],
                title=f"{writer.title(3, 6)} ({n + 1})",
                url=f"https://example.no/rapport/{n + 1}" if n % 3 == 0 else "",
                notes=writer.sentence() if rng.random() < 0.3 else "",
                date=datetime.date(process.year - 1, rng.randint(1, 12), 1),
                assigned_to=rng.choice(staff) if rng.random() < 0.7 else None,
                status=rng.choice(statuses),
                says=writer.paragraph(1, 3),
            )
            for n in range(SOURCES_PER_PROCESS)
        ),
        report,
    )
    one.findings = _bulk(
        Finding,
        (
            Finding(
                process=process,
                title=FINDING_TITLES[n % len(FINDING_TITLES)],
                description=writer.sentence(),
                order=n + 1,
            )
            for n in range(FINDINGS_PER_PROCESS)
        ),
        report,
    )
    _through(
        Finding.sources,
        [
            (finding.pk, source.pk)
            for finding in one.findings
            for source in rng.sample(one.sources, rng.randint(0, 3))
        ],
        report,
        "Finding.sources",
    )
    # A quarter of the items support a finding, a few of them two.
    tags = []
    for answer_id, slot in one.items:
        if rng.random() < 0.25:
            count = 2 if rng.random() < 0.15 else 1
            for finding in rng.sample(one.findings, count):
                tags.append(ItemTag(finding=finding, answer_id=answer_id, slot=slot))
                one.tags_by_finding.setdefault(finding.pk, []).append((answer_id, slot))
    _bulk(ItemTag, tags, report)
    shared_at = (
        None
        if one.is_newest
        else timezone.make_aware(datetime.datetime(process.year, 5, 20, 12))
    )
    FindingsSummary.objects.create(
        process=process,
        shared_at=shared_at,
        milestone=one.milestones.get(Deliverable.FINDINGS),
    )
    report.add("FindingsSummary", 1)


def _strategy(one: Built, writer: Writer, report: Report) -> None:
    """Three versions: 1 public, 2 for review; 3 a working draft (the newest
    process) or adopted (the earlier ones)."""
    rng, process, is_newest = writer.rng, one.process, one.is_newest
    strategy = Strategy.objects.create(
        process=process, title=f"Strategi for {process.council} {process.period_label}"
    )
    report.add("Strategy", 1)
    published = timezone.make_aware(datetime.datetime(process.year, 9, 1, 12))
    specs = [
        (1, VersionStatus.PRESENTED, True, published),
        (2, VersionStatus.REVIEW, False, published + datetime.timedelta(days=30)),
        (
            3,
            VersionStatus.DRAFT if is_newest else VersionStatus.ADOPTED,
            not is_newest,
            None if is_newest else published + datetime.timedelta(days=60),
        ),
    ]
    one.versions = _bulk(
        Version,
        (
            Version(
                strategy=strategy,
                number=number,
                status=status,
                note=writer.sentence() if number > 1 else "",
                created_by=one.secretariat,
                published_at=published_at,
                is_public=public,
                milestone=one.milestones.get(Deliverable.DRAFT)
                if number == 1
                else None,
            )
            for number, status, public, published_at in specs
        ),
        report,
    )
    if not is_newest:
        Decision.objects.create(
            version=one.versions[2],
            body="Representantskapet",
            meeting_date=datetime.date(process.year, 12, 4),
            case_number=f"{process.year}/{one.number}",
            text=writer.paragraph(1, 2),
            recorded_by=one.secretariat,
        )
        report.add("Decision", 1)

    # Version 1 from the outline; each later version edits some sections, moves
    # one, adds one and drops one, so that the diff shows every kind of change.
    headings = [heading for heading, _text in OUTLINE] + [
        f"Tema: {writer.title(1, 3)}" for _n in range(EXTRA_SECTIONS)
    ]
    layout = [(uuid_from(rng), heading, writer.section_body()) for heading in headings]
    layouts = [layout]
    for _version in one.versions[1:]:
        layout = [
            (key, heading, writer.edit(body) if rng.random() < 0.5 else body)
            for key, heading, body in layout
        ]
        moved = layout.pop(rng.randrange(len(layout)))
        layout.insert(rng.randrange(len(layout) + 1), moved)
        del layout[rng.randrange(len(layout))]
        layout.append(
            (uuid_from(rng), f"Tema: {writer.title(1, 3)}", writer.paragraph())
        )
        layouts.append(layout)

    staff = [one.secretariat, *one.working_group]
    sections, revisions = [], []
    for version, layout in zip(one.versions, layouts, strict=True):
        saved = timezone.make_aware(
            datetime.datetime(process.year, 6, 1, 9)
        ) + datetime.timedelta(days=30 * version.number)
        for order, (key, heading, body) in enumerate(layout, start=1):
            edits = rng.randint(1, 4)
            sections.append(
                Section(
                    version=version,
                    key=key,
                    order=order,
                    heading=heading,
                    body=body,
                    owner=rng.choice(staff),
                    revision=edits,
                )
            )
            paragraphs = body.split("\n\n")
            for revision in range(1, edits + 1):
                kept = math.ceil(len(paragraphs) * revision / edits)
                revisions.append(
                    (
                        len(sections) - 1,
                        SectionRevision(
                            revision=revision,
                            heading=heading,
                            body="\n\n".join(paragraphs[:kept]),
                            saved_by=rng.choice(staff),
                            saved_at=saved + datetime.timedelta(hours=revision),
                            is_autosave=revision < edits and rng.random() < 0.5,
                        ),
                    )
                )
    sections = _bulk(Section, sections, report)
    for index, revision in revisions:
        revision.section = sections[index]
    _bulk(SectionRevision, (revision for _index, revision in revisions), report)

    # Sections draw on findings and sources, and cite the items tagged with the
    # findings, as strategy_start does.
    finding_rows, source_rows, items = [], [], []
    for section in sections:
        if rng.random() < 0.5:
            chosen = rng.sample(one.findings, 2)
            finding_rows += [(section.pk, finding.pk) for finding in chosen]
            cited = sorted(
                {
                    item
                    for finding in chosen
                    for item in one.tags_by_finding.get(finding.pk, [])
                }
            )
            items += [
                SectionItem(section=section, answer_id=answer_id, slot=slot)
                for answer_id, slot in cited
            ]
        source_rows += [
            (section.pk, source.pk)
            for source in rng.sample(one.sources, rng.randint(0, 2))
        ]
    _through(Section.findings, finding_rows, report, "Section.findings")
    _through(Section.sources, source_rows, report, "Section.sources")
    _bulk(SectionItem, items, report)
    one.sections_by_version = {
        version.pk: [s for s in sections if s.version_id == version.pk]
        for version in one.versions
    }


def _comments(built: list[Built], total: int, writer: Writer, report: Report) -> None:
    """`total` comments: the newest process's version 2 first, then the others."""
    rng = writer.rng
    heavy = built[-1]
    others = [
        (one, version)
        for one in built
        for version in one.versions[:2]
        if not (one is heavy and version.number == 2)
    ]
    first = min(total, max(HEAVY_COMMENTS, total // 10))
    shares = [(heavy, heavy.versions[1], first)]
    if others:
        shares += [
            (one, version, count)
            for (one, version), count in zip(
                others, split(total - first, len(others)), strict=True
            )
        ]
    else:
        shares[0] = (heavy, heavy.versions[1], total)
    resolved_at = timezone.make_aware(datetime.datetime(NEWEST_YEAR, 10, 1, 12))
    for one, version, count in shares:
        if count == 0:
            continue
        sections = one.sections_by_version[version.pk]
        readers = [*one.council, *one.working_group]
        threads_wanted = max(1, count * 4 // 5)
        threads = _bulk(
            Comment,
            (
                Comment(
                    section=rng.choice(sections),
                    author=rng.choice(readers),
                    text=writer.paragraph(1, 3),
                    resolved_by=one.secretariat if resolved else None,
                    resolved_at=resolved_at if resolved else None,
                )
                for resolved in (rng.random() < 0.3 for _n in range(threads_wanted))
            ),
            report,
        )
        replies = []
        for _n in range(count - len(threads)):
            thread = rng.choice(threads)
            replies.append(
                Comment(
                    section_id=thread.section_id,
                    parent=thread,
                    author=rng.choice([one.secretariat, *readers]),
                    text=writer.sentence(),
                )
            )
        _bulk(Comment, replies, report)
    heavy_version = heavy.versions[1]
    _bulk(
        Review,
        (
            Review(version=heavy_version, user=member)
            for member in heavy.council[: len(heavy.council) // 2]
        ),
        report,
    )


# --- What the benchmarks need -----------------------------------------------------


def describe() -> dict | None:
    """The generated data's sizes and the newest process's pages, or None."""
    processes = list(generated_processes().order_by("-year"))
    if not processes:
        return None
    newest = processes[0]
    counts = generated_processes().aggregate(
        groups=Count("workshops__groups", distinct=True),
        milestones=Count("milestones", distinct=True),
    )
    answers = Answer.objects.filter(question__workshop__process__in=processes).count()
    comments = Comment.objects.filter(
        section__version__strategy__process__in=processes
    ).count()
    workshop = newest.workshops.first()
    # Version 2 of the newest process is the one given the most comments.
    heavy = (
        Version.objects.filter(strategy__process=newest, number=2)
        .annotate(comment_count=Count("sections__comments"))
        .first()
    )
    slug = newest.slug
    return {
        "sizes": {
            "processes": len(processes),
            "groups": counts["groups"],
            "answers": answers,
            "comments": comments,
            "milestones": counts["milestones"],
        },
        "slug": slug,
        "workshop": workshop.pk if workshop else None,
        # The groups whose answer to question 1 is still open: the answer page
        # the benchmark times is the editable one (a submitted answer's page
        # is read-only, without the autosave's data).
        "groups": [
            {"id": group.pk, "code": group.code}
            for group in (
                workshop.groups.exclude(
                    pk__in=Answer.objects.filter(
                        question__number=1, submitted_at__isnull=False
                    ).values("group_id")
                )
                if workshop
                else []
            )
        ],
        "version": heavy.number if heavy else None,
        "version_comments": heavy.comment_count if heavy else 0,
        "users": {
            Role.SECRETARIAT.value: f"{slug}-sekretariat",
            Role.WORKING_GROUP.value: f"{slug}-arbeidsgruppe-1",
            Role.COUNCIL_MEMBER.value: f"{slug}-radsmedlem-01",
        },
        "password": DEMO_PASSWORD,
    }
