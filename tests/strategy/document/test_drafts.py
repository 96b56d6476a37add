"""Writing the strategy: who may read and change what, saving, versions, diffs."""

import datetime
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.exceptions import ValidationError

from demo import document as document_demo
from findings.models import Finding
from mipr.conflicts import Stale
from strategy import review, writing
from strategy.diff import versions_diff, words_diff
from strategy.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render
from strategy.models import Section, Strategy, Version
from tests.factories import ProcessFactory
from tests.strategy.document.helpers import BASE, PERSONAS, outcome, undone

pytestmark = pytest.mark.django_db


def section_html(html: str, section: Section) -> str:
    """The rendered body of one section on the reading page."""
    block = html.split(f'id="section-{section.pk}"', 1)[1].split("</section>", 1)[0]
    return block.split('<div class="section-body">', 1)[1].split("</div>", 1)[0]


# --- Who may do what ------------------------------------------------------------


def test_who_may_read_which_version_and_the_staff_pages(versions, clients):
    v1, v2, v3 = versions
    new, old = v3.sections.first(), v2.sections.first()
    pages = {
        "public version": f"{BASE}/versjon/1/",
        "published version": f"{BASE}/versjon/2/",
        "draft": f"{BASE}/versjon/3/",
        "diff of published": f"{BASE}/endringer/?fra=1&til=2",
        "diff with the draft": f"{BASE}/endringer/?fra=2&til=3",
        "section edit": f"{BASE}/versjon/3/seksjon/{new.pk}/",
        "section edit, old version": f"{BASE}/versjon/2/seksjon/{old.pk}/",
        "section history": f"{BASE}/versjon/3/seksjon/{new.pk}/historikk/",
        "section history, old version": f"{BASE}/versjon/2/seksjon/{old.pk}/historikk/",
    }
    expected = {
        # anonymous, radsmedlem, arbeidsgruppe, sekretariat, other_secretariat
        "public version": (200, 200, 200, 200, 200),
        "published version": ("login", 200, 200, 200, 404),
        "draft": ("login", 404, 200, 200, 404),
        "diff of published": ("login", 200, 200, 200, 404),
        "diff with the draft": ("login", 404, 200, 200, 404),
        "section edit": ("login", 404, 200, 200, 404),
        "section edit, old version": ("login", 404, 403, 403, 404),
        "section history": ("login", 404, 200, 200, 404),
        "section history, old version": ("login", 404, 200, 200, 404),
    }
    actual = {
        name: tuple(outcome(clients[p].get(url)) for p in PERSONAS)
        for name, url in pages.items()
    }
    assert actual == expected


def test_who_may_change_the_newest_version_and_make_new_versions(versions, clients):
    v1, v2, v3 = versions
    new, old = v3.sections.get(order=2), v2.sections.get(order=2)
    save = {"heading": "Formål", "body": "Ny tekst.", "revision": new.revision}
    requests = {
        "save a section": (f"{BASE}/versjon/3/seksjon/{new.pk}/", save),
        "add a section": (f"{BASE}/versjon/3/seksjon/ny/", {"heading": "Kultur"}),
        "move a section": (
            f"{BASE}/versjon/3/seksjon/{new.pk}/flytt/",
            {"direction": "up"},
        ),
        "new version": (f"{BASE}/versjon/3/ny-versjon/", {"note": ""}),
        "save, old version": (
            f"{BASE}/versjon/2/seksjon/{old.pk}/",
            {**save, "revision": old.revision},
        ),
        "add, old version": (f"{BASE}/versjon/2/seksjon/ny/", {"heading": "Kultur"}),
        "move, old version": (
            f"{BASE}/versjon/2/seksjon/{old.pk}/flytt/",
            {"direction": "up"},
        ),
        # Refused with a message: see the test on copying below.
        "new version, old version": (f"{BASE}/versjon/2/ny-versjon/", {}),
    }
    expected = {
        # anonymous, radsmedlem, arbeidsgruppe, sekretariat, other_secretariat
        "save a section": ("login", 404, "redirect", "redirect", 404),
        "add a section": ("login", 404, "redirect", "redirect", 404),
        "move a section": ("login", 404, "redirect", "redirect", 404),
        "new version": ("login", 404, 404, "redirect", 404),
        "save, old version": ("login", 404, 403, 403, 404),
        "add, old version": ("login", 404, 403, 403, 404),
        "move, old version": ("login", 404, 403, 403, 404),
        "new version, old version": ("login", 404, 404, "redirect", 404),
    }
    actual = {
        name: tuple(outcome(undone(clients[p].post, url, data)) for p in PERSONAS)
        for name, (url, data) in requests.items()
    }
    assert actual == expected
    # The requests were rolled back: nothing changed.
    assert Version.objects.filter(strategy=v3.strategy).count() == 3
    new.refresh_from_db()
    assert (new.order, new.body) == (2, v2.sections.get(order=2).body)


def test_only_the_secretariat_starts_a_strategy(mipr, clients):
    Strategy.objects.filter(process=mipr).delete()  # back after the test
    url = f"{BASE}/ny/"
    assert tuple(outcome(clients[p].get(url)) for p in PERSONAS) == (
        "login",
        404,
        404,
        200,
        404,
    )
    for persona in ("radsmedlem", "arbeidsgruppe", "other_secretariat"):
        assert clients[persona].post(url, {"title": "X"}).status_code == 404
    trust = mipr.findings.get(title="Tillit og samarbeid")
    response = clients["sekretariat"].post(
        url, {"title": "Strategi 2026–2029", "section_3": [trust.pk]}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{BASE}/versjon/1/"
    assert "Strategien er startet som versjon 1." in response.content.decode()
    version = Strategy.objects.get(process=mipr).versions.get()
    assert [s.heading for s in version.sections.all()] == [
        h for h, _ in document_demo.OUTLINE
    ]
    challenges = version.sections.get(order=4)
    assert "### Tillit og samarbeid" in challenges.body
    assert list(challenges.findings.all()) == [trust]
    assert challenges.items.count() == trust.tags.count() > 0
    response = clients["sekretariat"].get(url, follow=True)
    assert response.redirect_chain[-1][0] == "/strategi/"
    assert "Denne prosessen har allerede en strategi." in response.content.decode()
    assert Strategy.objects.filter(process=mipr).count() == 1


def test_a_finding_of_another_process_cannot_start_a_strategy(mipr, people):
    foreign = Finding.objects.create(process=ProcessFactory(), title="Fremmed")
    with pytest.raises(ValidationError):
        writing.strategy_start(
            process=mipr,
            title="X",
            by=people["sekretariat"],
            assignments={0: [foreign]},
        )
    assert Strategy.objects.filter(process=mipr).count() == 1


def test_a_public_version_of_a_non_public_process_stays_closed(versions, clients):
    process = versions[0].strategy.process
    process.is_public = False
    process.save(update_fields=["is_public"])
    url = f"{BASE}/versjon/1/"
    assert tuple(outcome(clients[p].get(url)) for p in PERSONAS) == (
        "login",
        200,
        200,
        200,
        404,
    )


def test_the_reading_page_links_only_to_versions_the_reader_may_read(versions, clients):
    v1, v2, v3 = versions
    review.version_publish(version=v3, notify=False)
    review.version_set_public(version=v3, public=True)
    # Version 2 is not public: anonymous readers of 3 get no link to it or its diff.
    html = clients["anonymous"].get(f"{BASE}/versjon/3/").content.decode()
    assert f'href="{BASE}/versjon/1/"' in html
    assert f'href="{BASE}/versjon/2/"' not in html
    assert "?fra=2&amp;til=3" not in html
    assert "Hva som er endret siden versjon 1" in html
    member = clients["radsmedlem"].get(f"{BASE}/versjon/3/").content.decode()
    assert f'href="{BASE}/versjon/2/"' in member
    assert "Hva som er endret siden versjon 2" in member


# --- Editing a section ------------------------------------------------------------


def test_a_second_save_from_the_same_revision_is_refused_and_keeps_the_users_text(
    versions, as_user
):
    section = versions[2].sections.get(order=1)
    url = f"{BASE}/versjon/3/seksjon/{section.pk}/"
    opened = {"heading": section.heading, "revision": section.revision}
    first = as_user("arbeidsgruppe").post(url, {**opened, "body": "Arnes tekst."})
    assert first.status_code == 302
    saved_revision = Section.objects.get(pk=section.pk).revision

    sara = as_user("sekretariat")
    response = sara.post(url, {**opened, "body": "Saras *tekst*."})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Noen andre lagret denne delen mens du redigerte" in html
    assert "Teksten din er beholdt i skjemaet under." in html
    assert "<p>Arnes tekst.</p>" in html  # what is saved now, rendered
    assert "Saras *tekst*.</textarea>" in html  # the user's text, in the form
    section.refresh_from_db()
    assert (section.body, section.revision) == ("Arnes tekst.", saved_revision)
    assert edits(section).count() == 1

    # The form now carries the saved revision: saving again goes through.
    revision = re.search(r'name="revision" value="(\d+)"', html).group(1)
    assert int(revision) == saved_revision
    again = sara.post(url, {**opened, "revision": revision, "body": "Saras *tekst*."})
    assert again.status_code == 302
    section.refresh_from_db()
    assert section.body == "Saras *tekst*."
    assert edits(section).count() == 2


def test_a_stale_save_raises_with_the_current_section(versions, people):
    section = versions[2].sections.get(order=1)
    start = section.revision
    writing.section_save(
        section=section, heading="A", body="a", revision=start, by=people["sekretariat"]
    )
    with pytest.raises(Stale) as stale:
        writing.section_save(
            section=section,
            heading="B",
            body="b",
            revision=start,
            by=people["sekretariat"],
        )
    assert (stale.value.current.heading, stale.value.current.body) == ("A", "a")


def test_a_very_long_section_is_refused_and_the_text_kept_in_the_form(
    versions, as_user
):
    section = versions[2].sections.get(order=1)
    before = (section.body, section.revision, section.revisions.count())
    url = f"{BASE}/versjon/3/seksjon/{section.pk}/"
    too_long = "Langt. " * 28_572  # 200 004 characters
    response = as_user("sekretariat").post(
        url,
        {"heading": section.heading, "body": too_long, "revision": section.revision},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Teksten er for lang: maks 200 000 tegn (den har 200004)." in html
    assert too_long.rstrip() in html  # kept in the form
    section.refresh_from_db()
    assert (section.body, section.revision, section.revisions.count()) == before
    just_right = "x" * writing.MAX_BODY
    response = as_user("sekretariat").post(
        url,
        {"heading": section.heading, "body": just_right, "revision": section.revision},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == just_right


def test_the_preview_renders_without_saving(versions, as_user):
    section = versions[2].sections.get(order=1)
    response = as_user("arbeidsgruppe").post(
        f"{BASE}/versjon/3/seksjon/{section.pk}/",
        {
            "heading": section.heading,
            "body": "**Utkast** <script>alert(1)</script>",
            "revision": section.revision,
            "preview": "",
        },
    )
    assert response.status_code == 200
    assert "<strong>Utkast</strong>" in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()
    assert Section.objects.get(pk=section.pk).body == section.body


def test_sections_are_added_and_moved_on_the_newest_version(versions, as_user):
    v3 = versions[2]
    client = as_user("arbeidsgruppe")
    response = client.post(f"{BASE}/versjon/3/seksjon/ny/", {"heading": "Kultur"})
    added = v3.sections.get(heading="Kultur")
    assert response["Location"] == f"{BASE}/versjon/3/seksjon/{added.pk}/"
    assert added.order == len(document_demo.OUTLINE) + 1
    response = client.post(
        f"{BASE}/versjon/3/seksjon/ny/", {"heading": "  "}, follow=True
    )
    assert "Gi den nye delen en overskrift." in response.content.decode()
    assert v3.sections.count() == len(document_demo.OUTLINE) + 1

    first, second = v3.sections.all()[:2]
    client.post(f"{BASE}/versjon/3/seksjon/{second.pk}/flytt/", {"direction": "up"})
    assert list(v3.sections.all()[:2]) == [second, first]
    client.post(f"{BASE}/versjon/3/seksjon/{second.pk}/flytt/", {"direction": "up"})
    assert list(v3.sections.all()[:2]) == [second, first]  # the first stays first
    client.post(f"{BASE}/versjon/3/seksjon/{added.pk}/flytt/", {"direction": "down"})
    assert v3.sections.last() == added


def test_a_new_section_heading_with_a_nul_is_refused_with_a_message(versions, as_user):
    # Found by tests/test_fuzz.py: PostgreSQL refuses NUL in text (a 500).
    v3 = versions[2]
    response = as_user("arbeidsgruppe").post(
        f"{BASE}/versjon/3/seksjon/ny/", {"heading": "Kultur\x00"}, follow=True
    )
    assert "Null-tegn er ikke tillatt." in response.content.decode()
    assert v3.sections.count() == len(document_demo.OUTLINE)


# --- History ------------------------------------------------------------------


def edits(section):
    """The section's saved edits, without the text it started with (revision 1)."""
    return section.revisions.filter(revision__gt=1)


def test_every_explicit_save_is_kept_in_the_history(versions, people, as_user):
    section = versions[2].sections.get(order=1)
    # The history stays with the old version; the copy starts with its text.
    [start] = section.revisions.all()
    assert (start.revision, start.body) == (1, section.body)
    for text in ("Første.", "Andre.", "Tredje."):
        section = writing.section_save(
            section=section,
            heading=section.heading,
            body=text,
            revision=section.revision,
            by=people["sekretariat"],
        )
    assert [r.body for r in edits(section)] == ["Tredje.", "Andre.", "Første."]
    assert not section.revisions.filter(is_autosave=True).exists()
    html = (
        as_user("arbeidsgruppe")
        .get(f"{BASE}/versjon/3/seksjon/{section.pk}/historikk/")
        .content.decode()
    )
    assert "<del>Andre.</del><ins>Tredje.</ins>" in html
    assert "<ins>Første.</ins>" in html
    assert "autolagret" not in html


def test_autosaves_keep_one_history_entry_per_person_per_five_minutes(
    versions, people, as_user
):
    section = versions[2].sections.get(order=1)
    sara, arne = people["sekretariat"], people["arbeidsgruppe"]

    def save(text, by, autosave=True):
        nonlocal section
        section = writing.section_save(
            section=section,
            heading=section.heading,
            body=text,
            revision=section.revision,
            by=by,
            autosave=autosave,
        )

    start = datetime.datetime(2025, 5, 12, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        save("a", sara)
        traveller.shift(datetime.timedelta(minutes=2))
        save("ab", sara)
        traveller.shift(datetime.timedelta(minutes=2))
        save("abc", sara)
        assert edits(section).count() == 1
        entry = edits(section).get()
        assert (entry.body, entry.revision, entry.is_autosave) == ("abc", 4, True)

        save("abcd", arne)  # another person: an entry of their own
        assert edits(section).filter(saved_by=arne).count() == 1

        traveller.shift(datetime.timedelta(minutes=6))
        save("abcde", sara)  # more than five minutes since: a new entry
        assert edits(section).filter(saved_by=sara).count() == 2

        save("abcdef", sara, autosave=False)  # an explicit save always counts
        assert edits(section).count() == 4
    assert section.revision == 7
    html = (
        as_user("sekretariat")
        .get(f"{BASE}/versjon/3/seksjon/{section.pk}/historikk/")
        .content.decode()
    )
    assert html.count("(autolagret)") == 3


# --- New versions ----------------------------------------------------------------


def snapshot(version: Version) -> list:
    return [
        (
            s.key,
            s.order,
            s.heading,
            s.body,
            {f.pk for f in s.findings.all()},
            {src.pk for src in s.sources.all()},
            {(i.answer_id, i.slot) for i in s.items.all()},
        )
        for s in version.sections.all()
    ]


def test_a_new_version_keeps_sections_keys_and_citations_and_the_old_one_is_kept(
    versions, mipr, as_user
):
    v1, v2, v3 = versions
    cited = v3.sections.get(order=4)
    writing.section_cite(
        section=cited,
        findings=list(cited.findings.all()),
        sources=list(mipr.sources.filter(kind="report")),
    )
    before = snapshot(v3)
    assert any(
        findings and sources and items for *_, findings, sources, items in before
    )
    sara = as_user("sekretariat")

    response = sara.post(
        f"{BASE}/versjon/3/ny-versjon/", {"note": "Runde 4"}, follow=True
    )
    html = response.content.decode()
    assert "Versjon 4 er laget. Versjon 3 er beholdt slik den var." in html
    v4 = v3.strategy.versions.get(number=4)
    assert (v4.note, v4.status, v4.is_public) == ("Runde 4", "draft", False)
    assert snapshot(v4) == before == snapshot(v3)
    assert not set(v4.sections.values_list("pk", flat=True)) & set(
        v3.sections.values_list("pk", flat=True)
    )
    assert "Kilde: workshop 11.04.2025, gruppe 1" in html
    assert "Kilde: Partnerskap for radikal innovasjon (KS)" in html

    # The old version is read-only, with the reason.
    old = v3.sections.get(order=1)
    url = f"{BASE}/versjon/3/seksjon/{old.pk}/"
    reason = (
        "Bare den nyeste versjonen kan endres; eldre versjoner beholdes slik de var."
    )
    refused = sara.get(url)
    assert refused.status_code == 403 and refused.context["exception"] == reason
    refused = sara.post(url, {"heading": "X", "body": "Y", "revision": old.revision})
    # Refused with the reason, and the typed text kept in the form.
    assert refused.status_code == 403 and reason in refused.content.decode()
    assert ">\nY</textarea>" in refused.content.decode()
    html = sara.get(f"{BASE}/versjon/3/").content.decode()
    assert "Dette er en eldre versjon, og den beholdes slik den var." in html
    assert url not in html  # no edit links
    assert snapshot(v3) == before

    # A new version from an older one is refused.
    response = sara.post(f"{BASE}/versjon/3/ny-versjon/", follow=True)
    assert "Det finnes allerede en nyere versjon." in response.content.decode()
    with pytest.raises(ValidationError):
        writing.version_new(previous=v1, by=None)
    assert v3.strategy.versions.count() == 4


# --- Diffs -----------------------------------------------------------------------


def test_words_diff_marks_inserted_and_deleted_words():
    assert words_diff("Kommunene må samarbeide", "Kommunene skal samarbeide tett") == (
        "Kommunene <del>må</del><ins>skal</ins> samarbeide<ins> tett</ins>"
    )
    assert words_diff("", "Ny tekst") == "<ins>Ny tekst</ins>"
    assert words_diff("Gammel tekst", "") == "<del>Gammel tekst</del>"
    assert words_diff("Lik tekst", "Lik tekst") == "Lik tekst"


def test_words_diff_escapes_html():
    marked = words_diff('<b>fet</b> & "sitat"', '<script>alert("x")</script> & "sitat"')
    assert marked == (
        "<del>&lt;b&gt;fet&lt;/b&gt;</del>"
        "<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</ins>"
        " &amp; &quot;sitat&quot;"
    )


def test_versions_diff_reports_added_removed_moved_and_changed_sections():
    def sections(*specs):
        return [Section(key=key, heading=h, body=b) for key, h, b in specs]

    a, b, c, d, e = (f"0000000{n}-0000-0000-0000-000000000000" for n in range(5))
    old = sections(
        (a, "Innledning", "Tekst."),
        (b, "Formål", "Kommunene må samarbeide."),
        (c, "Tiltak", "Forum."),
        (d, "Vedlegg", "Fjernes."),
    )
    new = sections(
        (a, "Innledning", "Tekst."),
        (c, "Tiltak", "Forum."),  # moved up
        (b, "Formålet", "Kommunene skal samarbeide."),
        (e, "Oppfølging", "Ny del."),
    )
    result = versions_diff(old, new)
    summary = [(str(r.heading), r.change, r.moved, r.is_changed) for r in result]
    assert summary == [
        ("Innledning", "same", False, False),
        ("Tiltak", "same", True, True),
        ("<del>Formål</del><ins>Formålet</ins>", "changed", False, True),
        ("Oppfølging", "added", False, True),
        ("Vedlegg", "removed", False, True),
    ]
    assert result[2].body == "Kommunene <del>må</del><ins>skal</ins> samarbeide."
    assert result[3].body == "<ins>Ny del.</ins>"
    assert result[4].body == "<del>Fjernes.</del>"


def test_the_diff_page_shows_changed_moved_and_new_sections(versions, people, clients):
    v3 = versions[2]
    sara = people["sekretariat"]
    purpose = v3.sections.get(order=2)
    writing.section_save(
        section=purpose,
        heading=purpose.heading,
        body=purpose.body + "\n\n### Samarbeid\n\nKommunene **skal** samarbeide.",
        revision=purpose.revision,
        by=sara,
    )
    writing.section_move(section=v3.sections.get(order=9), direction=-1)
    writing.section_add(version=v3, heading="Kultur", by=sara)
    html = (
        clients["arbeidsgruppe"].get(f"{BASE}/endringer/?fra=2&til=3").content.decode()
    )
    assert "Endringer fra versjon 2 til 3" in html
    assert html.count("diff-changed") == 1 and html.count("diff-added") == 1
    # The text as it reads, not the Markdown: the new heading and paragraph
    # marked whole, nothing of «###» or «**».
    assert '<ins class="diff-block"><h3>Samarbeid</h3></ins>' in html
    assert (
        '<ins class="diff-block"><p>Kommunene <strong>skal</strong> samarbeide.</p>'
        "</ins>" in html
    )
    assert "###" not in html and "**" not in html
    # Unchanged sections are folded, their text one click away.
    assert html.count('<details class="mb-3 diff-section diff-same">') >= 5
    assert html.count("· Flyttet") == 1
    assert "Ny del" in html and "Kultur" in html
    for query in ("?fra=x&til=3", "?fra=2", "?fra=2&til=99"):
        assert (
            clients["sekretariat"].get(f"{BASE}/endringer/{query}").status_code == 404
        )


def _rendered(old: str, new: str) -> str:
    from strategy.diff import rendered_diff
    from strategy.markdown import render

    return str(rendered_diff(render(old), render(new)))


def test_the_rendered_diff_marks_words_inside_a_changed_paragraph():
    assert _rendered(
        "Kommunene må samarbeide.", "Kommunene **skal** samarbeide tett."
    ) == (
        "<p>Kommunene <del>må</del><strong><ins>skal</ins></strong> samarbeide"
        "<ins> tett</ins>.</p>"
    )
    assert (
        _rendered("A &amp; B", "A &lt; B")
        == "<p>A <del>&amp;</del><ins>&lt;</ins> B</p>"
    )
    assert _rendered("Lik tekst.", "Lik tekst.") == "<p>Lik tekst.</p>"


def test_the_rendered_diff_marks_whole_blocks_that_are_new_or_gone():
    assert _rendered("", "### Ny\n\nTekst.") == (
        '<ins class="diff-block"><h3>Ny</h3></ins>'
        '<ins class="diff-block"><p>Tekst.</p></ins>'
    )
    assert _rendered("Borte.", "") == '<del class="diff-block"><p>Borte.</p></del>'
    # A list item alike enough is marked word by word, a new one whole and
    # inside its <li> (a list may hold only items).
    assert _rendered("- Forum\n- Veier", "- Forum\n- Nytt punkt\n- Veier og bane") == (
        "<ul><li>Forum</li>"
        '<li><ins class="diff-block">Nytt punkt</ins></li>'
        "<li>Veier<ins> og bane</ins></li></ul>"
    )


def test_the_rendered_diff_marks_table_cells_by_their_column():
    html = _rendered(
        "| A | B |\n|---|---|\n| 1 | 2 |", "| A | B |\n|---|---|\n| 1 | 3 |\n| 4 | 5 |"
    )
    assert "<tr><td>1</td><td><del>2</del><ins>3</ins></td></tr>" in html
    assert (
        '<tr><td><ins class="diff-block">4</ins></td>'
        '<td><ins class="diff-block">5</ins></td></tr>' in html
    )
    assert "<tbody>" in html and html.count("<table>") == 1


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
    ],
)
def test_the_rendered_diff_adds_only_ins_and_del_to_sanitised_html(attack):
    html = _rendered("Tekst.", "Tekst. " + attack)
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= {"p", "ins", "del", "a", "img", "strong", "em"}


# --- Markdown ---------------------------------------------------------------------

XSS = [
    '<script>alert("xss")</script>',
    "<scr<script>ipt>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "![bilde](javascript:alert(1))",
    "[klikk](javascript:alert(1))",
    "[klikk](<javascript:alert(1)>)",
    "[klikk](&#106;avascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">lenke</a>',
    '<a href="  javascript:alert(1)">lenke</a>',
    '<a href="java&#x09;script:alert(1)">lenke</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;'
    'alert(1)">lenke</a>',
    '<a href="vbscript:msgbox(1)">lenke</a>',
    '<a href="https://example.com" onmouseover="alert(1)">lenke</a>',
    '<iframe src="https://example.com"></iframe>',
    "<style>body { display: none }</style>",
    '<div style="background:url(javascript:alert(1))">tekst</div>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">lenke</a>',
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    '<p onclick="alert(1)">tekst</p>',
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="javascript:alert(1)"><button>Send</button></form>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_safe(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | (
            {"rel"} if tag == "a" else set()
        )
        assert set(attrs) <= allowed, (tag, attrs)
        href = re.sub(r"[\s\x00-\x1f]", "", attrs.get("href") or "").lower()
        assert not href or href.startswith(("http://", "https://", "mailto:")), href
    lowered = html.lower()
    for bad in ("<script", "<iframe", "<style", "<svg", "<img", "onerror", "onload"):
        assert bad not in lowered


@pytest.mark.parametrize("payload", XSS)
def test_markdown_removes_dangerous_html(payload):
    assert_safe(render(payload))


def test_the_reading_page_removes_every_xss_payload(versions, clients):
    v3 = versions[2]
    sections = [
        Section.objects.create(version=v3, order=100 + n, heading=f"XSS {n}", body=p)
        for n, p in enumerate(XSS)
    ]
    html = clients["sekretariat"].get(f"{BASE}/versjon/3/").content.decode()
    for section in sections:
        assert_safe(section_html(html, section))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section_html(html, sections[-1])


def test_tables_lists_emphasis_and_links_render(versions, clients):
    body = (
        "Vi skal **samarbeide** og *tenke nytt*.\n\n"
        "- Næringsliv\n- Kommuner\n\n"
        "1. Først\n2. Så\n\n"
        "| Tiltak | Ansvar |\n|:--|--:|\n| Forum | MIPR |\n\n"
        '[Samarbeidsavtalen](https://mipr.no/avtale "Avtalen") og <post@mipr.no>\n\n'
        "# Overskrift\n\n> Sitat"
    )
    section = Section.objects.create(
        version=versions[2], order=100, heading="Md", body=body
    )
    html = section_html(
        clients["arbeidsgruppe"].get(f"{BASE}/versjon/3/").content.decode(), section
    )
    assert "<strong>samarbeide</strong>" in html and "<em>tenke nytt</em>" in html
    assert "<ul>\n<li>Næringsliv</li>\n<li>Kommuner</li>\n</ul>" in html
    assert "<ol>\n<li>Først</li>" in html
    assert '<th align="left">Tiltak</th>' in html
    assert '<td align="right">MIPR</td>' in html
    assert (
        '<a href="https://mipr.no/avtale" title="Avtalen" rel="noopener noreferrer">'
        "Samarbeidsavtalen</a>"
    ) in html
    assert "mailto:" in html
    assert "<h2>Overskrift</h2>" in html and "<h1>" not in html
    assert "<blockquote>\n<p>Sitat</p>\n</blockquote>" in html
    assert_safe(html)
