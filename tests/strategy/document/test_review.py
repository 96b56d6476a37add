"""Review and adoption: publishing, e-mail, comments, finishing reading, freezing."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from demo import document as document_demo
from mipr.errors import NotAllowed
from mipr.models import Role
from strategy import adoption, review
from strategy.models import (
    Comment,
    Review,
    Section,
    SectionRevision,
    Strategy,
    Version,
    VersionStatus,
)
from tests.factories import MembershipFactory
from tests.strategy.document.helpers import BASE, PERSONAS, outcome, undone

pytestmark = pytest.mark.django_db

YES = {"confirmed": "1"}
DECISION = {
    "body": "Representantskapet",
    "meeting_date": "2025-06-12",
    "case_number": "12/25",
    "text": "Strategien vedtas.",
}
FROZEN = "Versjonen er vedtatt og låst."
FROZEN_FOR_REVIEW = "Versjonen er vedtatt og låst: den kan ikke lenger endres."


def messages_in(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Who may do what ------------------------------------------------------------


def test_who_may_publish_adopt_comment_and_finish_reading(versions, clients):
    v1, v2, v3 = versions
    open_comment = Comment.objects.get(section__version=v1, resolved_at=None)
    comment = {"section": v2.sections.first().pk, "text": "Godt skrevet."}
    requests = {
        "publish": ("post", f"{BASE}/versjon/3/publiser/", {"notify": "1", **YES}),
        "publish, unconfirmed": ("post", f"{BASE}/versjon/3/publiser/", {}),
        "publish by GET": ("get", f"{BASE}/versjon/3/publiser/", {}),
        "adopt, the form": ("get", f"{BASE}/versjon/2/vedta/", {}),
        "adopt": ("post", f"{BASE}/versjon/2/vedta/", DECISION),
        "adopt a draft": ("post", f"{BASE}/versjon/3/vedta/", DECISION),
        "make public": ("post", f"{BASE}/versjon/2/offentlig/", {"public": "1", **YES}),
        "make public, unconfirmed": (
            "post",
            f"{BASE}/versjon/2/offentlig/",
            {"public": "1"},
        ),
        "readers": ("get", f"{BASE}/versjon/2/lesere/", {}),
        "comment, published": ("post", f"{BASE}/versjon/2/kommentar/", comment),
        "comment, public": (
            "post",
            f"{BASE}/versjon/1/kommentar/",
            {**comment, "section": v1.sections.first().pk},
        ),
        "comment, draft": (
            "post",
            f"{BASE}/versjon/3/kommentar/",
            {**comment, "section": v3.sections.first().pk},
        ),
        "resolve": ("post", f"{BASE}/versjon/1/kommentar/{open_comment.pk}/lost/", {}),
        "finish reading": ("post", f"{BASE}/versjon/2/lest/", {}),
        "finish reading, draft": ("post", f"{BASE}/versjon/3/lest/", {}),
    }
    expected = {
        # anonymous, radsmedlem, arbeidsgruppe, sekretariat, other_secretariat
        "publish": ("login", 404, 404, "redirect", 404),
        # Unconfirmed, the secretariat is asked first (a page, 200).
        "publish, unconfirmed": ("login", 404, 404, 200, 404),
        "publish by GET": ("login", 405, 405, 405, 405),
        "adopt, the form": ("login", 404, 404, 200, 404),
        "adopt": ("login", 404, 404, "redirect", 404),
        # A working draft cannot be adopted: the page says why.
        "adopt a draft": ("login", 404, 404, 403, 404),
        "make public": ("login", 404, 404, "redirect", 404),
        "make public, unconfirmed": ("login", 404, 404, 200, 404),
        "readers": ("login", 404, 200, 200, 404),
        "comment, published": ("login", "redirect", "redirect", "redirect", 404),
        "comment, public": ("login", "redirect", "redirect", "redirect", 404),
        # Version 1 is replaced by version 2: the comment is refused, and
        # kept for its writer (a redirect back to the section).
        # The staff may comment on a working draft; the page offers no form for it.
        "comment, draft": ("login", 404, "redirect", "redirect", 404),
        "resolve": ("login", 404, 404, "redirect", 404),
        "finish reading": ("login", "redirect", 404, 404, 404),
        "finish reading, draft": ("login", 404, 404, 404, 404),
    }
    actual = {
        name: tuple(
            outcome(undone(getattr(clients[p], method), url, data)) for p in PERSONAS
        )
        for name, (method, url, data) in requests.items()
    }
    assert actual == expected
    # The requests were rolled back: nothing changed.
    assert [v.status for v in Version.objects.order_by("number")] == [
        VersionStatus.REVIEW,
        VersionStatus.REVIEW,
        VersionStatus.DRAFT,
    ]
    assert Comment.objects.count() == 2 and not Review.objects.exists()


# --- Publishing -------------------------------------------------------------------


def test_publishing_with_notify_mails_each_council_member_with_an_address(
    versions, people, as_user, mailoutbox, django_capture_on_commit_callbacks
):
    process = versions[0].strategy.process
    rita = people["radsmedlem"]
    rita.email = "rita@example.no"
    rita.save(update_fields=["email"])
    MembershipFactory(
        process=process, role=Role.COUNCIL_MEMBER, user__email="kari@example.no"
    )
    MembershipFactory(process=process, role=Role.COUNCIL_MEMBER)  # no address
    MembershipFactory(
        process=process, role=Role.SECRETARIAT, user__email="s@example.no"
    )
    MembershipFactory(role=Role.COUNCIL_MEMBER, user__email="annen@example.no")

    with django_capture_on_commit_callbacks() as callbacks:
        response = as_user("sekretariat").post(
            f"{BASE}/versjon/3/publiser/", {"notify": "1", **YES}, follow=True
        )
    assert "Versjonen er publisert til gjennomgang." in messages_in(response)
    assert mailoutbox == []  # not before the transaction commits
    for callback in callbacks:
        callback()
    assert sorted(m.to for m in mailoutbox) == [
        ["kari@example.no"],
        ["rita@example.no"],
    ]
    mail = mailoutbox[0]
    assert mail.subject == (
        "Strategi for Mosseregionen 2026–2029: versjon 3 er klar til gjennomgang"
    )
    assert mail.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Versjon 3 av Strategi for Mosseregionen 2026–2029" in mail.body
    assert f"http://testserver{BASE}/versjon/3/" in mail.body
    v3 = versions[2]
    v3.refresh_from_db()
    assert v3.status == VersionStatus.REVIEW and v3.published_at is not None
    assert as_user("radsmedlem").get(f"{BASE}/versjon/3/").status_code == 200


def test_publishing_without_notify_sends_nothing_and_only_once(
    versions, as_user, mailoutbox, django_capture_on_commit_callbacks
):
    sara = as_user("sekretariat")
    with django_capture_on_commit_callbacks(execute=True):
        sara.post(f"{BASE}/versjon/3/publiser/", YES)
        response = sara.post(
            f"{BASE}/versjon/3/publiser/", {"notify": "1", **YES}, follow=True
        )
    assert mailoutbox == []
    assert "Denne versjonen er allerede publisert." in messages_in(response)


# --- Adoption --------------------------------------------------------------------


def test_adopting_freezes_the_version_makes_it_public_and_says_why(
    versions, people, as_user
):
    v3 = versions[2]
    anonymous, sara, rita = Client(), as_user("sekretariat"), as_user("radsmedlem")
    assert anonymous.get(f"{BASE}/vedtatt/").status_code == 404
    review.version_publish(version=v3, notify=False)
    section = v3.sections.get(order=4)
    comment = review.comment_add(
        section=section, author=people["radsmedlem"], text="Et innspill."
    )

    response = sara.post(f"{BASE}/versjon/3/vedta/", DECISION, follow=True)
    assert "Versjonen er vedtatt, låst og offentlig." in messages_in(response)
    v3.refresh_from_db()
    assert (v3.status, v3.is_public) == (VersionStatus.ADOPTED, True)
    assert (v3.decision.case_number, v3.decision.recorded_by) == (
        "12/25",
        people["sekretariat"],
    )

    # Anyone reads it, at its own address and at the stable one.
    response = anonymous.get(f"{BASE}/vedtatt/")
    assert response["Location"] == f"{BASE}/versjon/3/"
    response = anonymous.get(f"{BASE}/versjon/3/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vedtatt og låst." in html
    assert "Vedtatt av Representantskapet 12. juni 2025, sak 12/25." in html
    assert "Denne versjonen kan ikke lenger endres eller kommenteres." in html
    staff_html = sara.get(f"{BASE}/versjon/3/").content.decode()
    assert "For sekretariatet" not in staff_html
    assert f"/versjon/3/seksjon/{section.pk}/" not in staff_html
    assert 'name="text"' not in rita.get(f"{BASE}/versjon/3/").content.decode()

    # Nothing changes it any more, and each refusal gives the reason.
    before = [(s.pk, s.order, s.heading, s.body) for s in v3.sections.all()]
    edit = f"{BASE}/versjon/3/seksjon/{section.pk}/"
    attempts = [
        (sara.get, edit, {}, FROZEN),
        (sara.post, edit, {"heading": "X", "body": "Y", "revision": 1}, FROZEN),
        (sara.post, f"{BASE}/versjon/3/seksjon/ny/", {"heading": "Ny"}, FROZEN),
        (sara.post, f"{edit}flytt/", {"direction": "up"}, FROZEN),
        (sara.post, f"{BASE}/versjon/3/ny-versjon/", {}, FROZEN),
        (sara.post, f"{BASE}/versjon/3/publiser/", YES, FROZEN_FOR_REVIEW),
        (sara.get, f"{BASE}/versjon/3/vedta/", {}, FROZEN),
        (sara.post, f"{BASE}/versjon/3/vedta/", DECISION, FROZEN),
        (
            sara.post,
            f"{BASE}/versjon/3/offentlig/",
            {"public": "0"},
            "En vedtatt versjon forblir offentlig.",
        ),
        (
            sara.post,
            f"{BASE}/versjon/3/kommentar/{comment.pk}/lost/",
            {},
            FROZEN_FOR_REVIEW,
        ),
    ]
    refusals, expected = [], []
    for method, url, data, reason in attempts:
        response = method(url, data)
        # The reason is on the page (the 403 page, or the editor's form).
        said = reason if reason in response.content.decode() else None
        refusals.append((url, response.status_code, said))
        expected.append((url, 403, reason))
    assert refusals == expected
    # A comment is refused too, and kept for its writer, with the reason.
    response = rita.post(
        f"{BASE}/versjon/3/kommentar/",
        {"section": section.pk, "text": "For sent?"},
        follow=True,
    )
    html = response.content.decode()
    assert FROZEN_FOR_REVIEW in html and ">For sent?</textarea>" in html
    assert v3.strategy.versions.count() == 3
    assert [(s.pk, s.order, s.heading, s.body) for s in v3.sections.all()] == before
    assert list(Comment.objects.filter(section__version=v3)) == [comment]
    comment.refresh_from_db()
    assert not comment.is_resolved
    v3.refresh_from_db()
    assert v3.is_public and v3.status == VersionStatus.ADOPTED
    with pytest.raises(NotAllowed):
        adoption.version_adopt(
            version=v3, by=None, **{**DECISION, "meeting_date": None}
        )


def test_adoption_marks_the_plans_milestone_done_in_the_audit_log(
    versions, mipr, as_user
):
    from mipr.models import AuditEntry
    from timeline.models import Deliverable, Status

    milestone = mipr.milestones.get(deliverable=Deliverable.STRATEGY)
    cancelled = mipr.milestones.create(
        who="Representantskapet",
        what="Avlyst ekstramøte",
        start_year=2025,
        start_week=50,
        end_year=2025,
        end_week=50,
        deliverable=Deliverable.STRATEGY,
        status=Status.CANCELLED,
    )
    as_user("sekretariat").post(f"{BASE}/versjon/2/vedta/", DECISION)
    milestone.refresh_from_db()
    cancelled.refresh_from_db()
    assert (milestone.status, milestone.version) == (Status.DONE, 2)
    assert cancelled.status == Status.CANCELLED  # left as it was
    entry = AuditEntry.objects.get(
        model="timeline.milestone", object_id=str(milestone.pk), action="changed"
    )
    assert entry.actor == "sekretariat"
    assert entry.changes == {"status": ["planned", "done"]}


def test_the_secretariat_makes_a_version_public_and_private_again(versions, as_user):
    anonymous, sara = Client(), as_user("sekretariat")
    url = f"{BASE}/versjon/2/"
    assert outcome(anonymous.get(url)) == "login"
    sara.post(f"{BASE}/versjon/2/offentlig/", {"public": "1", **YES})
    assert anonymous.get(url).status_code == 200
    sara.post(f"{BASE}/versjon/2/offentlig/", {"public": "0"})
    assert outcome(anonymous.get(url)) == "login"


# --- Comments -------------------------------------------------------------------


def test_a_council_member_cannot_comment_on_an_unpublished_version(versions, as_user):
    section = versions[2].sections.first()
    response = as_user("radsmedlem").post(
        f"{BASE}/versjon/3/kommentar/", {"section": section.pk, "text": "Hei"}
    )
    assert response.status_code == 404
    assert not section.comments.exists()


def test_a_reply_to_a_reply_joins_the_thread(versions, people, as_user):
    v2 = versions[1]
    section, other = v2.sections.all()[:2]
    url = f"{BASE}/versjon/2/kommentar/"
    rita, sara = as_user("radsmedlem"), as_user("sekretariat")
    response = rita.post(url, {"section": section.pk, "text": "Hva med kultur?"})
    thread = section.comments.get()
    assert response["Location"] == f"{BASE}/versjon/2/#comment-{thread.pk}"
    sara.post(url, {"section": section.pk, "parent": thread.pk, "text": "Godt poeng."})
    reply = section.comments.get(text="Godt poeng.")
    assert reply.parent == thread
    rita.post(url, {"section": section.pk, "parent": reply.pk, "text": "Takk!"})
    assert section.comments.get(text="Takk!").parent == thread

    html = rita.get(f"{BASE}/versjon/2/").content.decode()
    thread_html = html.split(f'id="comment-{thread.pk}"', 1)[1]
    assert thread_html.index("Godt poeng.") < thread_html.index("Takk!")
    assert html.count(f'name="parent" value="{thread.pk}"') == 1
    assert f'name="parent" value="{reply.pk}"' not in html  # no reply to a reply

    # A parent from another section is not found.
    response = rita.post(url, {"section": other.pk, "parent": thread.pk, "text": "X"})
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        review.comment_add(
            section=other, author=people["radsmedlem"], text="X", parent=thread
        )
    assert Comment.objects.filter(section__version=v2).count() == 3


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Skriv en kommentar."),
        ("  \n  ", "Skriv en kommentar."),
        ("x" * (review.COMMENT_MAX + 1), "Kommentaren er for lang: maks 10000 tegn."),
    ],
    ids=["empty", "blank", "huge"],
)
def test_empty_and_huge_comments_get_a_message(versions, as_user, text, message):
    section = versions[1].sections.first()
    response = as_user("radsmedlem").post(
        f"{BASE}/versjon/2/kommentar/",
        {"section": section.pk, "text": text},
        follow=True,
    )
    # Said on the page: a message, or (for a text to keep) above the kept text.
    assert message in response.content.decode()
    assert not section.comments.exists()


def test_a_comment_of_the_longest_length_is_saved(versions, as_user):
    section = versions[1].sections.first()
    response = as_user("radsmedlem").post(
        f"{BASE}/versjon/2/kommentar/",
        {"section": section.pk, "text": "x" * review.COMMENT_MAX},
        follow=True,
    )
    assert "Kommentaren din er lagret." in messages_in(response)
    assert section.comments.count() == 1


def test_the_secretariat_resolves_and_reopens_a_comment(versions, people, as_user):
    comment = Comment.objects.get(section__version=versions[0], resolved_at=None)
    sara = as_user("sekretariat")
    url = f"{BASE}/versjon/1/kommentar/{comment.pk}/lost/"
    response = sara.post(url, {"resolved": "1"})
    assert response["Location"] == f"{BASE}/versjon/1/#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.is_resolved and comment.resolved_by == people["sekretariat"]
    html = as_user("radsmedlem").get(f"{BASE}/versjon/1/").content.decode()
    assert html.count("Løst av Sara Sekretariat") == 2
    sara.post(url, {"resolved": "0"})
    comment.refresh_from_db()
    assert not comment.is_resolved and comment.resolved_by is None


# --- Finishing reading -------------------------------------------------------------


def test_a_council_member_finishes_reading_and_the_staff_see_it(
    versions, people, as_user
):
    rita = as_user("radsmedlem")
    readers = as_user("arbeidsgruppe").get(f"{BASE}/versjon/2/lesere/")
    assert "Ikke ennå" in readers.content.decode()
    response = rita.post(f"{BASE}/versjon/2/lest/", follow=True)
    assert "Takk! Sekretariatet ser nå at du er ferdig med å lese." in messages_in(
        response
    )
    assert (
        "Sekretariatet ser at du er ferdig med å lese denne versjonen. Takk!"
        in response.content.decode()
    )
    rita.post(f"{BASE}/versjon/2/lest/")
    assert Review.objects.filter(version=versions[1]).count() == 1
    html = as_user("arbeidsgruppe").get(f"{BASE}/versjon/2/lesere/").content.decode()
    assert re.search(r"Rita Rådsmedlem</td><td>Ja, ", html)
    assert "Ikke ennå" not in html
    with pytest.raises(ValidationError):
        review.review_finish(version=versions[2], user=people["radsmedlem"])


# --- Performance ----------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 500])
def test_the_reading_page_runs_a_constant_number_of_queries(
    versions, people, as_user, count, django_assert_max_num_queries
):
    v2 = versions[1]
    sections = list(v2.sections.all())
    rita, sara = people["radsmedlem"], people["sekretariat"]
    now = timezone.now()
    threads = Comment.objects.bulk_create(
        Comment(
            section=sections[n % len(sections)],
            author=rita,
            text=f"Kommentar {n}",
            resolved_by=sara if n % 3 == 0 else None,
            resolved_at=now if n % 3 == 0 else None,
        )
        for n in range(count * 4 // 5)
    )
    Comment.objects.bulk_create(
        Comment(section=t.section, parent=t, author=sara, text="Svar")
        for t in threads[: count - len(threads)]
    )
    client = as_user("radsmedlem")
    with django_assert_max_num_queries(15):
        response = client.get(f"{BASE}/versjon/2/")
    assert response.status_code == 200
    assert len(re.findall(r'id="comment-\d+"', response.content.decode())) == count


# --- The demo ---------------------------------------------------------------------


def test_the_demo_strategy_loads_once_with_two_versions_a_diff_and_comments(
    mipr, people, as_user
):
    def counts():
        return [
            model.objects.count()
            for model in (Strategy, Version, Section, SectionRevision, Comment)
        ]

    Strategy.objects.filter(process=mipr).delete()  # back after the test
    strategy = document_demo.load_strategy(mipr)
    before = counts()
    assert document_demo.load_strategy(mipr) == strategy
    assert counts() == before

    v1, v2 = strategy.versions.order_by("number")
    assert (v1.status, v2.status) == (VersionStatus.REVIEW, VersionStatus.REVIEW)
    assert v1.milestone is not None and v2.note
    comments = Comment.objects.filter(section__version__strategy=strategy)
    assert {c.author for c in comments} == {people["radsmedlem"]}
    assert [c.resolved_by for c in comments if c.is_resolved] == [people["sekretariat"]]
    assert comments.count() == 2

    rita = as_user("radsmedlem")
    html = rita.get(f"{BASE}/endringer/?fra=1&til=2").content.decode()
    assert html.count("diff-changed") == 2
    assert "<ins>" in html and "Beredskap" in html
    assert "felles næringsforum" in html
    html = rita.get(f"{BASE}/versjon/1/").content.decode()
    assert "Løst av Sara Sekretariat" in html
    assert "Savner et konkret tiltak for felles næringsforum." in html
    assert (
        "Hva som er endret siden versjon 1"
        in rita.get(f"{BASE}/versjon/2/").content.decode()
    )


def test_a_working_draft_cannot_be_made_public(versions, as_user):
    draft = versions[2]
    assert draft.status == VersionStatus.DRAFT
    response = as_user("sekretariat").post(
        f"{BASE}/versjon/3/offentlig/", {"public": "1", **YES}, follow=True
    )
    assert "Publiser versjonen til gjennomgang før du gjør den offentlig." in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert not draft.is_public
    assert Client().get(f"{BASE}/versjon/3/").status_code == 302


def test_a_refusal_page_says_why(versions, as_user):
    client = as_user("sekretariat")
    old = versions[1].sections.first()
    response = client.get(f"{BASE}/versjon/2/seksjon/{old.pk}/")
    assert response.status_code == 403
    assert "Bare den nyeste versjonen kan endres" in response.content.decode()


def test_the_secretariat_marks_a_version_as_presented(versions, as_user):
    url = f"{BASE}/versjon/2/presentert/"
    for persona in ("arbeidsgruppe", "radsmedlem", "other_secretariat"):
        assert as_user(persona).post(url).status_code == 404
    response = as_user("sekretariat").post(url, follow=True)
    assert "Versjonen er merket som presentert." in response.content.decode()
    versions[1].refresh_from_db()
    assert versions[1].status == VersionStatus.PRESENTED
    # Still readable and open to comments, as presented to the council.
    assert as_user("radsmedlem").get(f"{BASE}/versjon/2/").status_code == 200


def test_any_two_versions_can_be_compared_from_the_reading_page(versions, as_user):
    html = as_user("sekretariat").get(f"{BASE}/versjon/3/").content.decode()
    assert 'name="fra"' in html and 'name="til"' in html
    response = as_user("sekretariat").get(f"{BASE}/endringer/?fra=1&til=3")
    assert "Endringer fra versjon 1 til 3" in response.content.decode()
