"""Publishing, making public, publishing the comments and adopting ask first
(strategy/confirmations.py): what will happen, who gets mail and who cannot,
and before adoption a checklist. A double click or a stale page does nothing."""

import pytest
from django.test import Client

from mipr.models import Role
from strategy import review, writing
from strategy.models import Comment, Version, VersionStatus
from tests.factories import MembershipFactory
from tests.helpers import confirmation_form
from tests.strategy.document.helpers import BASE

pytestmark = pytest.mark.django_db

DECISION = {
    "body": "Representantskapet",
    "meeting_date": "2025-06-12",
    "case_number": "12/25",
    "text": "Strategien vedtas.",
}


def page_of(response) -> str:
    return response.content.decode()


def fresh(version) -> Version:
    return Version.objects.get(pk=version.pk)


# --- Publishing for review --------------------------------------------------------


def test_publishing_says_who_gets_mail_and_who_cannot(
    versions, mipr, people, as_user, mailoutbox, django_capture_on_commit_callbacks
):
    rita = people["radsmedlem"]
    rita.email = "rita@example.no"
    rita.save(update_fields=["email"])
    MembershipFactory(
        process=mipr,
        role=Role.COUNCIL_MEMBER,
        user__first_name="Ola",
        user__last_name="Uten Adresse",
        user__email="",
    )
    sara = as_user("sekretariat")
    url = f"{BASE}/versjon/3/publiser/"

    html = page_of(sara.post(url, {"notify": "1"}))
    assert "Publisere versjon 3 til gjennomgang?" in html
    assert "Rådsmedlemmene i prosessen kan lese versjon 3 og kommentere" in html
    # Version 1 is replaced by 2 already; 2 is replaced now.
    assert (
        "Versjon 2 blir erstattet av versjon 3 og tar ikke imot flere kommentarer."
    ) in html
    assert "Versjonene" not in html
    assert "1 av 2 rådsmedlemmer får e-post med lenken." in html
    assert "1 har ingen e-postadresse og får ingenting: Ola Uten Adresse." in html
    assert "profilsiden" in html
    assert fresh(versions[2]).is_draft  # only asked

    fields = confirmation_form(html)
    assert fields["notify"] == "1"
    with django_capture_on_commit_callbacks(execute=True):
        response = sara.post(url, fields, follow=True)
    html = page_of(response)
    assert "Versjonen er publisert til gjennomgang." in html
    assert "E-post sendes til 1 rådsmedlem." in html
    assert (
        "1 rådsmedlem har ingen e-postadresse og har ikke fått beskjed: "
        "Ola Uten Adresse."
    ) in html
    assert [m.to for m in mailoutbox] == [["rita@example.no"]]

    # Pressed twice: no second publication, no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        response = sara.post(url, fields, follow=True)
    assert "Versjon 3 ble endret etter at du åpnet siden" in page_of(response)
    assert len(mailoutbox) == 1


def test_publishing_without_mail_says_so(versions, as_user):
    html = page_of(as_user("sekretariat").post(f"{BASE}/versjon/3/publiser/"))
    assert "Ingen får e-post: du har valgt å ikke sende." in html


def test_the_publish_question_costs_the_same_queries_for_many_members(
    versions, mipr, as_user, django_assert_max_num_queries
):
    for number in range(40):
        MembershipFactory(
            process=mipr,
            role=Role.COUNCIL_MEMBER,
            user__email="" if number % 2 else f"m{number}@example.no",
        )
    sara = as_user("sekretariat")
    with django_assert_max_num_queries(15):
        response = sara.post(f"{BASE}/versjon/3/publiser/", {"notify": "1"})
    assert "20 av 41 rådsmedlemmer får e-post" in page_of(response)


# --- Making public, publishing the comments ---------------------------------------


def test_making_a_version_public_asks_and_says_what_it_means(versions, as_user):
    sara = as_user("sekretariat")
    url = f"{BASE}/versjon/2/offentlig/"
    html = page_of(sara.post(url, {"public": "1"}))
    assert "Gjøre versjon 2 offentlig?" in html
    assert "Alle kan lese versjon 2 uten å logge inn, og laste den ned som PDF." in (
        html
    )
    assert "det som er lest eller lastet ned i mellomtiden, er ute" in html
    assert not fresh(versions[1]).is_public
    fields = confirmation_form(html)
    sara.post(url, fields)
    assert fresh(versions[1]).is_public
    response = sara.post(url, fields, follow=True)
    assert "Versjon 2 er allerede offentlig. Ingenting ble endret." in page_of(response)
    # Making it non-public again needs no question.
    sara.post(url, {"public": "0"})
    assert not fresh(versions[1]).is_public


def test_publishing_the_comments_asks_first(versions, as_user):
    sara = as_user("sekretariat")
    url = f"{BASE}/versjon/2/kommentarer-offentlige/"
    review.version_set_public(version=versions[1], public=True)
    html = page_of(sara.post(url, {"public": "1"}))
    assert "Publisere kommentarene til versjon 2?" in html
    assert "med skriverens rolle i stedet for navnet" in html
    assert fresh(versions[1]).comments_public_from is None
    sara.post(url, confirmation_form(html))
    assert fresh(versions[1]).comments_public_from is not None


# --- Adoption ------------------------------------------------------------------------


def test_adoption_shows_a_checklist_before_it_asks(versions, people, as_user):
    v2 = versions[1]
    empty = v2.sections.order_by("order")[1]
    empty.body = "  "
    empty.save(update_fields=["body"])
    review.comment_add(
        section=v2.sections.first(), author=people["radsmedlem"], text="Et innspill."
    )
    html = page_of(as_user("sekretariat").get(f"{BASE}/versjon/2/vedta/"))
    assert "Vedta versjon 2?" in html
    # The demo's sections 7 to 9 are empty headings too.
    assert f"Delene 2 «{empty.heading}», 7 «" in html and "» er tomme." in html
    assert "1 kommentar er ikke merket som behandlet." in html
    assert (
        "1 av 1 rådsmedlem har ikke merket versjonen som lest: Rita Rådsmedlem."
    ) in html
    assert "Det finnes et nyere arbeidsutkast (versjon 3)." in html
    assert "Versjon 2 blir låst for godt: ingen flere endringer eller kommentarer." in (
        html
    )
    assert "merket som erstattet" not in html  # version 1 is replaced already
    assert "Ja, vedta versjon 2" in html


def test_a_checklist_with_nothing_to_note_says_so(versions, people, as_user):
    v2 = versions[1]
    Comment.objects.filter(section__version=v2).delete()
    for section in v2.sections.all():
        if not section.body.strip():
            section.body = "Tekst."
            section.save(update_fields=["body"])
    review.review_finish(version=v2, user=people["radsmedlem"])
    Version.objects.filter(pk=versions[2].pk).delete()
    html = page_of(as_user("sekretariat").get(f"{BASE}/versjon/2/vedta/"))
    for line in (
        "Alle delene har tekst.",
        "Alle kommentarene er merket som behandlet.",
        "Alle rådsmedlemmene har merket versjonen som lest.",
        "Dette er den nyeste versjonen.",
    ):
        assert line in html
    assert "text-bg-warning" not in html


def test_adopting_from_the_page_once_and_never_from_a_stale_one(versions, as_user):
    sara = as_user("sekretariat")
    url = f"{BASE}/versjon/2/vedta/"
    html = page_of(sara.get(url))
    state = html.split('name="confirmed_state" value="', 1)[1].split('"', 1)[0]
    form = {**DECISION, "confirmed": "1", "confirmed_state": state}

    # Meanwhile someone makes version 4 out of 3: the page is stale.
    writing.version_new(previous=fresh(versions[2]), by=None)
    response = sara.post(url, form, follow=True)
    assert "Versjon 2 ble endret etter at du åpnet siden" in page_of(response)
    assert fresh(versions[1]).status == VersionStatus.REVIEW

    html = page_of(sara.get(url))
    state = html.split('name="confirmed_state" value="', 1)[1].split('"', 1)[0]
    form["confirmed_state"] = state
    response = sara.post(url, form, follow=True)
    assert "Versjonen er vedtatt, låst og offentlig." in page_of(response)
    assert fresh(versions[1]).is_frozen
    # Pressed twice: nothing more, and the page says what happened.
    response = sara.post(url, form, follow=True)
    assert "(den er nå «vedtatt»)" in page_of(response)
    assert fresh(versions[0]).superseded_by == 2


def test_only_the_newest_published_version_can_be_adopted(versions, as_user):
    sara = as_user("sekretariat")
    response = sara.get(f"{BASE}/versjon/1/vedta/")
    assert response.status_code == 403
    assert "Bare den nyeste versjonen kan vedtas: versjon 2 har erstattet denne." in (
        page_of(response)
    )
    response = sara.post(f"{BASE}/versjon/1/vedta/", {**DECISION, "confirmed": "1"})
    assert response.status_code == 403
    assert fresh(versions[0]).status == VersionStatus.REVIEW
    response = sara.get(f"{BASE}/versjon/3/vedta/")
    assert response.status_code == 403
    assert "Publiser versjonen til gjennomgang før den kan vedtas." in page_of(response)


def test_the_adopt_button_is_last_and_offered_only_where_it_may_be_used(
    versions, as_user
):
    sara = as_user("sekretariat")
    v2 = page_of(sara.get(f"{BASE}/versjon/2/"))
    panel = v2.split('id="manage-heading"', 1)[1].split("</section>", 1)[0]
    buttons = panel.split("btn ")
    assert "btn-outline-danger" in "btn " + buttons[-1]
    assert "Merk som vedtatt" in buttons[-1]
    assert "/vedta/" not in page_of(sara.get(f"{BASE}/versjon/3/"))
    assert "/vedta/" not in page_of(sara.get(f"{BASE}/versjon/1/"))


# --- The lifecycle on the pages ------------------------------------------------


def test_a_replaced_version_says_so_and_takes_no_more_comments(versions, as_user):
    rita = as_user("radsmedlem")
    html = page_of(rita.get(f"{BASE}/versjon/1/"))
    assert "Versjon 1 – erstattet av versjon 2" in html
    assert "Versjon 2 har erstattet denne versjonen." in html
    assert f'href="{BASE}/versjon/2/"' in html
    assert 'name="text"' not in html  # no comment form
    # Its comments stay readable.
    for comment in Comment.objects.filter(section__version=versions[0]):
        assert comment.text.split("\n")[0] in html

    # The list shows the newest first, each with its state.
    index = page_of(rita.get("/strategi/"))
    assert index.index("Versjon 2</a> – til gjennomgang") < index.index(
        "Versjon 1</a> – erstattet av versjon 2"
    )


def test_the_public_is_not_told_of_a_version_it_cannot_read(versions):
    html = page_of(Client().get(f"{BASE}/versjon/1/"))
    assert "erstattet" not in html
    assert "versjon/2/" not in html
    index = page_of(Client().get("/strategi/"))
    assert "Versjon 1</a> – til gjennomgang" in index


def test_the_secretariat_still_marks_comments_on_a_replaced_version(versions, as_user):
    comment = Comment.objects.filter(
        section__version=versions[0], resolved_at=None
    ).first()
    sara = as_user("sekretariat")
    html = page_of(sara.get(f"{BASE}/versjon/1/"))
    assert f"/versjon/1/kommentar/{comment.pk}/lost/" in html
    sara.post(f"{BASE}/versjon/1/kommentar/{comment.pk}/lost/", {"resolved": "1"})
    comment.refresh_from_db()
    assert comment.is_resolved


def test_adopting_a_revision_says_it_replaces_the_adopted_strategy(
    versions, people, as_user
):
    from strategy import adoption

    v2, v3 = versions[1], versions[2]
    adoption.version_adopt(
        version=fresh(v2),
        by=people["sekretariat"],
        **DECISION,
    )
    review.version_publish(version=fresh(v3), notify=False)
    html = page_of(as_user("sekretariat").get(f"{BASE}/versjon/3/vedta/"))
    assert "Versjon 2 blir merket som erstattet av versjon 3." in html
