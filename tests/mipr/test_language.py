import pytest

pytestmark = pytest.mark.django_db


def test_bokmal_is_the_default_language(client):
    html = client.get("/logg-inn/").content.decode()
    assert '<html lang="nb">' in html
    assert "Hopp til hovedinnholdet" in html


def test_language_switch_keeps_the_user_on_the_same_page(client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/logg-inn/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/logg-inn/"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html

    response = client.post(
        "/i18n/setlang/", {"language": "nb", "next": "/"}, follow=True
    )
    assert '<html lang="nb">' in response.content.decode()


def test_unknown_language_is_ignored(client):
    response = client.post(
        "/i18n/setlang/", {"language": "xx", "next": "/"}, follow=True
    )
    assert '<html lang="nb">' in response.content.decode()


def test_dates_are_formatted_the_norwegian_way():
    import datetime

    from django.utils import formats, translation

    with translation.override("nb"):
        assert formats.date_format(datetime.date(2025, 4, 11)) == "11. april 2025"


def test_an_english_browser_still_gets_bokmal_until_the_user_switches(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nb">' in response.content.decode()
    assert response["Content-Language"] == "nb"


def test_a_request_in_english_leaves_the_thread_in_its_own_language(client):
    """The language cookie counts for its request only: what runs afterwards
    in the same thread (a test, a task in-process) is not left in English."""
    from django.conf import settings
    from django.utils import translation

    before = translation.get_language()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert translation.get_language() == before
