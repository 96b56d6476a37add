import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_unknown_url_gets_the_portals_404_page(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Fant ikke siden" in html
    assert "MIPR strategiportal" in html


def test_403_and_500_pages_are_in_the_portals_look():
    request = RequestFactory().get("/")
    forbidden = defaults.permission_denied(request, PermissionDenied())
    assert forbidden.status_code == 403
    assert "Ingen tilgang" in forbidden.content.decode()
    error = defaults.server_error(request)
    assert error.status_code == 500
    assert "Noe gikk galt" in error.content.decode()
    assert "MIPR strategiportal" in error.content.decode()


def test_expired_csrf_token_gets_a_norwegian_explanation(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/logg-inn/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Skjemaet er utløpt" in response.content.decode()
