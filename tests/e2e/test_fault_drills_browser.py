"""Fault drill (issue 8): the server dies while a participant writes.

The app runs in gunicorn, as in production, and is killed with SIGKILL: no
response, no goodbye. It reads the test's data only when the data is committed
in a database both can open, so the drill needs PostgreSQL.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests import workers

pytestmark = pytest.mark.django_db(transaction=True)

NOT_SAVED = "Ikke lagret – prøver igjen"
SAVED = re.compile(r"^Lagret \d{2}:\d{2}$")


@pytest.fixture
def workshop(mipr_plan):
    from demo import workshop as demo

    return demo.load(mipr_plan)


@pytest.fixture
def postgresql():
    workers.require_postgresql()


@pytest.fixture
def server(postgresql, workshop, tmp_path):
    server = workers.AppServer(log_dir=tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def participant(browser, server):
    """A participant's browser, on the gunicorn server instead of the live server."""
    context = browser.new_context(base_url=server.url, locale="nb-NO")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _saved_text(group, question) -> str | None:
    from workshops.models import Answer

    answer = Answer.objects.filter(group=group, question=question).first()
    return question.fit_content(answer.content)[0]["text"] if answer else None


def _kept_in_browser(page, group, question) -> dict | None:
    """What answer.js keeps in localStorage until the server has it."""
    raw = page.evaluate(
        "key => localStorage.getItem(key)", f"mipr-answer-{group.pk}-{question.pk}"
    )
    return json.loads(raw) if raw else None


def test_text_typed_while_the_server_is_dead_is_kept_and_sent_when_it_is_back(
    server, participant, workshop, tmp_path
):
    group = workshop.groups.get(number=2)
    question = workshop.questions.get(number=4)
    page = participant
    page.goto("/delta/")
    page.locator("#id_code").fill(group.code)
    page.locator("#id_name").fill("Ingrid")
    page.locator("[name=join]").click()
    page.wait_for_url(f"**/delta/gruppe/{group.pk}/")
    page.goto(f"/delta/gruppe/{group.pk}/{question.number}/")
    field = page.locator('textarea[data-slot="0"][data-key="text"]')
    state = page.locator("#save-state")
    text = "Felles beredskap når strømmen går"

    with workers.logs_on_failure(tmp_path, "server"):
        # Killed just before the typing, so that the autosave (0.8 s after
        # typing stops) surely meets a dead server: killed just after, a busy
        # machine could let the save through first.
        server.kill()
        field.fill(text)
        expect(state).to_have_text(NOT_SAVED)
        expect(state).to_have_attribute("data-state", "error")
        expect(field).to_have_value(text)
        assert _kept_in_browser(page, group, question)["content"][0]["text"] == text
        assert _saved_text(group, question) != text

        server.start()  # the same port; nobody touches the page
        expect(state).to_have_attribute("data-state", "saved", timeout=20_000)
        expect(state).to_have_text(SAVED)
        expect(field).to_have_value(text)
        # «Lagret» comes with the server's answer, after its commit.
        assert _saved_text(group, question) == text
        assert _kept_in_browser(page, group, question) is None
