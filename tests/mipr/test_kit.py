"""The shared kit every app uses: domain errors, stale edits, ordering, cached
fragments, spreadsheet cells and hooks."""

import csv
import io
import re

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory
from openpyxl import load_workbook

from mipr import conflicts, fragments, spreadsheets
from mipr.errors import Conflict, DomainErrorMiddleware, NotAllowed, NotFound
from mipr.hooks import Hook
from mipr.ordering import MoveForm

# --- Domain errors -----------------------------------------------------------------


def _page_for(error):
    request = RequestFactory().get("/")
    request.user = None
    middleware = DomainErrorMiddleware(lambda request: None)
    return middleware.process_exception(request, error)


def test_a_refusal_becomes_a_403_page_with_the_reason():
    response = _page_for(NotAllowed("Versjonen er vedtatt og låst."))
    assert response.status_code == 403
    assert "Versjonen er vedtatt og låst." in response.content.decode()


def test_a_conflict_becomes_a_409_page_with_the_reason():
    response = _page_for(Conflict("Noen andre lagret først."))
    assert response.status_code == 409
    assert "Noen andre lagret først." in response.content.decode()


def test_not_found_says_nothing_about_what_exists():
    response = _page_for(NotFound("Finding 17 belongs to prosess X"))
    assert response.status_code == 404
    assert "prosess X" not in response.content.decode()


def test_other_exceptions_are_left_to_django():
    assert _page_for(ValueError("x")) is None


def test_a_domain_error_without_words_has_a_default_reason():
    assert str(NotAllowed().message) == "Dette er ikke tillatt."


# --- Stale edits ---------------------------------------------------------------------


class _Thing:
    def __init__(self, version):
        self.version = version


class _TitleForm(forms.Form):
    title = forms.CharField()
    version = forms.IntegerField()


def test_check_version_raises_stale_with_what_is_saved():
    current = _Thing(4)
    conflicts.check_version(current, 4)
    with pytest.raises(conflicts.Stale) as stale:
        conflicts.check_version(current, 3)
    assert stale.value.current is current
    assert stale.value.status == 409


def test_rebind_keeps_the_users_text_and_takes_the_saved_version():
    from django.http import QueryDict

    posted = QueryDict(mutable=True)
    posted.update({"title": "Min tekst", "version": "3"})
    form = conflicts.rebind(_TitleForm, posted, conflicts.Stale(_Thing(4)))
    assert form.is_bound and form.is_valid()
    assert form.cleaned_data == {"title": "Min tekst", "version": 4}
    assert posted["version"] == "3"  # the request's own data is left alone


@pytest.mark.django_db
def test_saved_rows_name_fields_for_people_and_show_choices():
    from tests.timeline.factories import MilestoneFactory

    milestone = MilestoneFactory(what="Workshop", status="done", notes="")
    rows = conflicts.saved_rows(milestone, ["what", "status", ("Når", "weeks_label")])
    assert rows == [
        ("Innhold", "Workshop"),
        ("Status", "ferdig"),
        ("Når", milestone.weeks_label),
    ]


# --- Ordering ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, step", [({"direction": "up"}, -1), ({"direction": "down"}, 1)]
)
def test_the_move_form_reads_up_and_down(data, step):
    form = MoveForm(data)
    assert form.is_valid() and form.step == step


@pytest.mark.parametrize("data", [{}, {"direction": "sideways"}, {"direction": ""}])
def test_the_move_form_refuses_anything_else(data):
    assert not MoveForm(data).is_valid()


# --- Cached fragments -----------------------------------------------------------------


def test_cached_many_renders_only_what_the_cache_does_not_have():
    cache.clear()
    rendered = []

    def render(missing):
        rendered.append(sorted(missing))
        return {name: f"<p>{name}</p>" for name in missing}

    states = {"a": ("a", 1), "b": ("b", 1)}
    first = fragments.cached_many("test", states, render, seconds=60)
    again = fragments.cached_many("test", states, render, seconds=60)
    changed = fragments.cached_many(
        "test", {"a": ("a", 2), "b": ("b", 1)}, render, seconds=60
    )
    assert first == again == {"a": "<p>a</p>", "b": "<p>b</p>"}
    assert changed == first
    assert rendered == [["a", "b"], ["a"]]  # a changed state renders anew


def test_shared_html_gets_each_readers_own_csrf_token():
    request = RequestFactory().get("/")
    html = f'<input name="csrfmiddlewaretoken" value="{fragments.csrf_placeholder()}">'
    personal = fragments.with_csrf_token(html, request)
    assert fragments.csrf_placeholder() not in personal
    assert request.META["CSRF_COOKIE"]  # the token was issued for this reader


# --- Spreadsheet cells ----------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_csv_cell_that_looks_like_a_formula_is_written_as_text(text):
    assert spreadsheets.escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Tillit og samarbeid", "", 3, None, "1 = 1"])
def test_other_csv_cells_are_written_as_they_are(value):
    assert spreadsheets.escape_cell(value) == value


def test_the_csv_is_utf8_with_a_bom_and_semicolons():
    text = spreadsheets.csv_text(["Hva", "Når"], [["Æøå", '=CMD("x")']])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows == [["Hva", "Når"], ["Æøå", '\'=CMD("x")']]


def test_an_xlsx_keeps_every_text_as_a_string_cell():
    data = spreadsheets.xlsx_bytes(
        title="Et ark med et langt navn som Excel ikke godtar i sin helhet",
        header=["A", "B"],
        rows=[[FORMULAS[0], 7]],
        widths=(10, 5),
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert len(sheet.title) == 31
    cell, number = sheet["A2"], sheet["B2"]
    assert (cell.value, cell.data_type) == (FORMULAS[0], "s")
    assert (number.value, number.data_type) == (7, "n")
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


# --- Hooks ----------------------------------------------------------------------------


def test_a_hook_gives_every_registered_result_in_order_and_registers_once():
    hook = Hook("test")

    @hook.register
    def first(*, n):
        return n

    def second(*, n):
        return n * 2

    hook.register(second)
    hook.register(first)
    assert hook.results(n=3) == [3, 6]


# --- mipr.confirm: ask once --------------------------------------------------------


def _confirmation(**kwargs):
    from mipr.confirm import Confirmation

    return Confirmation(
        question="Lukke workshopen?",
        consequences=["Gruppene kan ikke lenger skrive."],
        button="Ja, lukk",
        back_url="/workshop/1/",
        **kwargs,
    )


def test_an_unconfirmed_post_is_asked_with_its_own_fields(rf):
    from mipr import confirm

    request = rf.post(
        "/workshop/1/status/",
        {"status": "closed", "tag": ["a", "b"], "csrfmiddlewaretoken": "x"},
    )
    request.user = AnonymousUser()
    response = confirm.ask_once(request, _confirmation(state="open"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lukke workshopen?" in html and "Ja, lukk" in html
    fields = re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', html)
    assert ("status", "closed") in fields
    assert ("tag", "a") in fields and ("tag", "b") in fields
    assert ("confirmed", "1") in fields and ("confirmed_state", "open") in fields
    assert ("csrfmiddlewaretoken", "x") not in fields


def test_a_confirmed_post_of_the_present_state_goes_ahead(rf):
    from mipr import confirm

    confirmation = _confirmation(state="open")
    for data in (
        {"confirmed": "1", "confirmed_state": "open"},
        {"confirmed": "1"},  # a script that does not know the state
    ):
        assert confirm.ask_once(rf.post("/x/", data), confirmation) is None


def test_a_confirmed_post_of_another_state_goes_back_with_a_message(rf):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from mipr import confirm

    request = rf.post("/x/", {"confirmed": "1", "confirmed_state": "draft"})
    request.session = {}
    request._messages = FallbackStorage(request)
    response = confirm.ask_once(
        request, _confirmation(state="closed", stale="Allerede lukket.")
    )
    assert (response.status_code, response["Location"]) == (302, "/workshop/1/")
    assert [str(m) for m in request._messages] == ["Allerede lukket."]


def test_a_refused_action_is_not_done_even_when_confirmed(rf):
    from mipr import confirm

    with pytest.raises(NotAllowed, match="Kan ikke"):
        confirm.ask_once(
            rf.post("/x/", {"confirmed": "1"}), _confirmation(refused="Kan ikke.")
        )
