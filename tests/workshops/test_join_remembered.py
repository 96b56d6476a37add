"""/delta/ remembers the groups joined in this browser (its session)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import join, join_form
from workshops import services
from workshops.models import WorkshopStatus

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    return response.content.decode().split("<main", 1)[1]


def test_a_participant_who_joined_is_offered_to_continue_and_another_group(
    client, groups
):
    join(client, groups[3], "Irene")
    html = _main(client.get("/delta/"))
    assert f'href="/delta/gruppe/{groups[3].pk}/"' in html
    assert "Fortsett i Gruppe 3" in html
    assert "som <strong>Irene</strong>" in html
    # The join form is still there, for another group.
    assert "Bli med i en annen gruppe" in html
    assert 'name="code"' in html and 'name="skjema"' in html


def test_the_join_form_still_works_for_another_group_after_joining(client, groups):
    join(client, groups[3], "Irene")
    response = client.post("/delta/", join_form(client, groups[4].code, "Irene"))
    assert response.status_code == 302
    assert response["Location"] == f"/delta/gruppe/{groups[4].pk}/"
    html = _main(client.get("/delta/"))
    # Both are offered, the group joined last first.
    assert html.index("Fortsett i Gruppe 4") < html.index("Fortsett i Gruppe 3")


def test_a_first_visit_offers_only_the_form_and_makes_no_session(client, workshop):
    html = _main(client.get("/delta/"))
    assert "Fortsett i" not in html
    assert "Bli med i en annen gruppe" not in html
    assert not client.cookies.get("sessionid")


def test_a_new_code_is_said_instead_of_offering_to_continue(client, groups):
    join(client, groups[3], "Irene")
    services.group_regenerate_code(group=groups[3])
    html = _main(client.get("/delta/"))
    assert "Fortsett i Gruppe 3" not in html
    assert f'href="/delta/gruppe/{groups[3].pk}/"' not in html
    assert "Gruppe 3 har fått en ny kode" in html
    # The new code is not revealed.
    groups[3].refresh_from_db()
    assert groups[3].code not in html


def test_a_closed_workshop_is_said_and_its_answers_can_still_be_read(
    client, workshop, groups
):
    join(client, groups[3], "Irene")
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    html = _main(client.get("/delta/"))
    assert "Fortsett i Gruppe 3" not in html
    assert "Workshopen er avsluttet, så Gruppe 3 kan ikke skrive mer" in html
    assert "Les svarene til Gruppe 3" in html
    assert client.get(f"/delta/gruppe/{groups[3].pk}/").status_code == 200


def test_a_workshop_set_back_to_draft_is_said(client, workshop, groups):
    join(client, groups[3], "Irene")
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.DRAFT)
    html = _main(client.get("/delta/"))
    assert "Fortsett i Gruppe 3" not in html
    assert "Workshopen er ikke åpen nå" in html


def test_a_deleted_group_is_left_out_and_the_page_still_works(client, groups):
    join(client, groups[3], "Irene")
    join(client, groups[5], "Irene")
    groups[5].delete()
    response = client.get("/delta/")
    assert response.status_code == 200
    html = _main(response)
    assert "Gruppe 5" not in html
    assert "Fortsett i Gruppe 3" in html


def test_a_damaged_session_entry_is_ignored(client, groups):
    from workshops.access import SESSION_KEY

    join(client, groups[3], "Irene")
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "abc": "x", "999999": None}
    session.save()
    response = client.get("/delta/")
    assert response.status_code == 200
    assert "Fortsett i Gruppe 3" in _main(response)


def test_the_remembered_groups_cost_one_query_however_many(client, groups):
    for number in (1, 2, 3, 4):
        join(client, groups[number], "Irene")
    with CaptureQueriesContext(connection) as queries:
        html = _main(client.get("/delta/"))
    assert len(re.findall("Fortsett i Gruppe", html)) == 4
    # The session and the groups with their workshops: one query each.
    group_queries = [
        q for q in queries.captured_queries if "workshops_group" in q["sql"]
    ]
    assert len(group_queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert len(queries.captured_queries) <= 3
