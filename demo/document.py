"""MIPR's strategy as the demo shows it: the outline from the seed (with the
cooperation agreement of 09.02.21), and a strategy in two published versions
with edits and review comments."""

from django.contrib.auth import get_user_model
from django.db import transaction

from mipr.models import Process
from strategy import review, writing
from strategy.models import Outline, Strategy
from strategy.outline import OutlineSection, outline_save
from timeline.models import Deliverable, Milestone

AGREEMENT_0902 = (
    "MIPR er et samarbeids- og interesseorgan for de deltakende kommunene som skal "
    "bidra til å styrke regionen som en bærekraftig, attraktiv og konkurransedyktig "
    "region, basert på lokale fortrinn.\n\n"
    "MIPR skal bidra til å utvikle regionen til beste for innbyggerne og for de "
    "samarbeidende kommunene i henhold til den til hver tid gjeldende "
    "strategidokument.\n\n"
    "MIPR skal arbeide for utvikling av regionen gjennom forpliktende samarbeid og "
    "ivareta interessene til regionen overfor fylket, stat og andre organer på "
    "regions-, fylkes- og riksplan.\n\n"
    "MIPR skal synligjøre regionen som et attraktivt boområde, arbeidsmarked og "
    "opplevelsesregion."
)

# MIPR's outline, from the seed: (heading, starting text).
OUTLINE = [
    ("Innledning", ""),
    (
        "Formål",
        "Samarbeidsavtalen av 09.02.21 sier:\n\n"
        + "\n".join(
            f"> {line}" if line else ">" for line in AGREEMENT_0902.split("\n")
        ),
    ),
    (
        "Mosseregionen i dag",
        "- Stor vekst (befolkning og arbeidsplass). Høy arbeidsmarkedsintegrasjon. "
        "Lav arbeidsdeltakelse.\n"
        "- Krevende økonomi i kommunene, og kapasiteten i gjennomføringen av de "
        "lovpålagte oppgavene utfordres.\n"
        "- Verden i dramatisk endring, jordas tåleevne, forsvar og beredskap.",
    ),
    ("Samfunnsutfordringer", ""),
    ("Satsingsområder", ""),
    ("Tiltak: samarbeid med næringslivet", ""),
    ("Tiltak: samarbeid mellom kommunene", ""),
    ("Tiltak: attraktivitet", ""),
    ("Oppfølging og rullering", ""),
]


def load_outline(process: Process) -> Outline:
    """MIPR's outline as the process's own, unless it has one already."""
    existing = Outline.objects.filter(process=process).first()
    if existing is not None:
        return existing
    return outline_save(
        process=process,
        sections=[OutlineSection(heading, text) for heading, text in OUTLINE],
        version=0,
    )


@transaction.atomic
def load_strategy(process: Process):
    """Version 1 for review, version 2 with edits, and a few comments."""
    strategy = Strategy.objects.filter(process=process).first()
    if strategy is not None:
        return strategy
    load_outline(process)
    users = get_user_model().objects
    secretariat = users.get(username="sekretariat")
    council_member = users.get(username="radsmedlem")
    findings = {f.title: f for f in process.findings.all()}
    assignments = {
        3: [findings["Tillit og samarbeid"], findings["Vi skal gjøre kommunene gode"]],
        4: [findings["Bygge ny identitet"], findings["«Det beste av to verdener»"]],
    }
    strategy = writing.strategy_start(
        process=process,
        title="Strategi for Mosseregionen 2026–2029",
        by=secretariat,
        assignments=assignments,
    )
    first = strategy.versions.get()
    first.milestone = Milestone.objects.filter(
        process=process, deliverable=Deliverable.DRAFT
    ).first()
    first.save(update_fields=["milestone"])
    intro = first.sections.get(order=1)
    writing.section_save(
        section=intro,
        heading=intro.heading,
        body=(
            "Mosseregionen interkommunalt politisk råd (MIPR) legger her fram sin "
            "strategi for 2026–2029. Strategien bygger på workshopen i regionrådet "
            "11. april 2025, rapporter og samtaler med interessenter."
        ),
        revision=intro.revision,
        by=secretariat,
    )
    review.version_publish(version=first, notify=False)
    challenges = first.sections.get(order=4)
    comment = review.comment_add(
        section=challenges,
        author=council_member,
        text="Bør beredskap løftes tydeligere fram som egen utfordring?",
    )
    review.comment_resolve(comment=comment, by=secretariat)
    measures = first.sections.get(order=6)
    review.comment_add(
        section=measures,
        author=council_member,
        text="Savner et konkret tiltak for felles næringsforum.",
    )
    second = writing.version_new(
        previous=first, by=secretariat, note="Innarbeidet innspill om beredskap."
    )
    challenges = second.sections.get(order=4)
    writing.section_save(
        section=challenges,
        heading=challenges.heading,
        body=challenges.body
        + "\n\n### Beredskap\n\nVerden er i dramatisk endring. Kommunene må stå "
        "sammen om forsvar og beredskap.",
        revision=challenges.revision,
        by=secretariat,
    )
    measures = second.sections.get(order=6)
    writing.section_save(
        section=measures,
        heading=measures.heading,
        body="- Etablere et felles næringsforum for kommunene og næringslivet.",
        revision=measures.revision,
        by=secretariat,
    )
    review.version_publish(version=second, notify=False)
    return strategy
