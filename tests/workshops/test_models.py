import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from workshops import services
from workshops.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_TEXT,
    Answer,
    Group,
    Question,
    ShapeKind,
    Workshop,
    new_group_code,
    normalise_code,
)

pytestmark = pytest.mark.django_db


def test_demo_has_the_seeds_four_questions_verbatim_with_their_shapes(workshop):
    questions = list(workshop.questions.all())
    assert [q.title for q in questions[:3]] == [
        "Store samfunnsutfordringer",
        "Samarbeid med næringslivet",
        "Samarbeid mellom kommunene",
    ]
    assert "Hvilke tre konkrete samfunnsutfordringer bør MIPR prioritere" in (
        questions[0].prompt
    )
    assert questions[2].prompt.endswith("Nevnt tre konkrete tiltak.")
    for question in questions[:3]:
        assert question.kind == ShapeKind.ITEMS
        assert [slot.label for slot in question.slots] == ["1", "2", "3"]
    parts = questions[3]
    assert parts.kind == ShapeKind.PARTS
    assert [slot.label for slot in parts.slots] == ["A", "B"]
    assert parts.slots[1].prompt.startswith("Hvilke tiltak bør prioriteres")


def test_demo_has_the_five_groups_with_the_members_the_seed_lists(workshop):
    groups = list(workshop.groups.all())
    assert [g.name for g in groups] == [f"Gruppe {n}" for n in range(1, 6)]
    assert groups[0].members == "Simen, Ivar, Kjerstin F. og Marianne B."
    assert groups[4].members == "Vibeke R., Michael, Kjersti A, Vibeke A. og Yngvar"
    assert Answer.objects.filter(group__workshop=workshop).count() == 3


def test_demo_workshop_fulfils_the_week_15_milestone(workshop):
    assert workshop.milestone.what == "Workshop"
    assert workshop.milestone.start_week == 15
    assert workshop.is_open


def test_load_mipr_demo_prints_each_groups_code_and_keeps_them(settings, capsys):
    settings.DEBUG = True
    call_command("load_mipr_demo")
    first = re.findall(r"^Gruppe (\d): ([A-Z0-9]+)$", capsys.readouterr().out, re.M)
    assert [n for n, _code in first] == ["1", "2", "3", "4", "5"]
    call_command("load_mipr_demo")
    second = re.findall(r"^Gruppe (\d): ([A-Z0-9]+)$", capsys.readouterr().out, re.M)
    assert second == first
    assert Workshop.objects.count() == 1
    assert Group.objects.count() == 5


def test_codes_are_easy_to_type_and_have_over_a_billion_possibilities():
    assert len(CODE_ALPHABET) ** CODE_LENGTH >= 10**9
    assert not set("0O1IL") & set(CODE_ALPHABET)
    codes = {new_group_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)


def test_typed_codes_are_normalised():
    assert normalise_code(" pw2-fn4s ") == "PW2FN4S"


def test_regenerating_a_code_replaces_the_old_one(workshop):
    group = workshop.groups.first()
    old = group.code
    new = services.group_regenerate_code(group=group)
    group.refresh_from_db()
    assert group.code == new != old
    assert not Group.objects.filter(code=old).exists()


def _items(count=3):
    return Question(
        number=1, title="T", prompt="P", kind=ShapeKind.ITEMS, item_count=count
    )


def test_answer_content_is_normalised_to_the_shape_and_kept_as_typed():
    question = _items()
    cleaned = question.clean_content([{"text": "  Tillit ", "why": "fordi\r\nså"}])
    assert cleaned == [
        {"text": "  Tillit ", "why": "fordi\nså"},
        {"text": "", "why": ""},
        {"text": "", "why": ""},
    ]


@pytest.mark.parametrize(
    "content",
    [
        "tekst",
        {"text": "x"},
        [{"text": "x"}] * 4,
        [{"text": "x", "html": "<b>"}],
        [{"text": 3}],
        ["x"],
    ],
    ids=[
        "string",
        "dict",
        "too-many-slots",
        "unknown-key",
        "number",
        "list-of-strings",
    ],
)
def test_tampered_answer_content_is_refused(content):
    with pytest.raises(
        ValidationError, match="Svaret passer ikke til dette spørsmålet"
    ):
        _items().clean_content(content)


def test_over_long_text_is_refused_with_a_message_naming_the_item():
    with pytest.raises(ValidationError) as refused:
        _items().clean_content([{"text": "ok"}, {"text": "x" * (MAX_TEXT + 1)}])
    # Grouped digits, as Norwegians write them: «5 001» with a no-break space.
    assert refused.value.messages == [
        "Teksten i punkt 2 er for lang: den har 5\xa0001 tegn, og grensen er 5\xa0000."
    ]
    assert _items().clean_content([{"text": "x" * MAX_TEXT}])[0]["text"]


@pytest.mark.parametrize(
    ("kind", "key", "expected"),
    [
        ("items", "why", "Begrunnelsen i punkt 1 er for lang: den har 6\xa0000 tegn"),
        ("parts", "text", "Teksten i del A er for lang: den har 6\xa0000 tegn"),
        ("parts", "why", "Begrunnelsen i del A er for lang: den har 6\xa0000 tegn"),
    ],
)
def test_an_over_long_text_says_which_text_of_which_slot(kind, key, expected):
    question = (
        _items()
        if kind == "items"
        else Question(kind=ShapeKind.PARTS, parts=[{"label": "A", "prompt": ""}])
    )
    _cleaned, errors = question.parse_content([{key: "x" * 6000}])
    assert errors[0] == expected + ", og grensen er 5\xa0000."


def test_a_refused_slot_is_reported_and_the_others_are_kept():
    cleaned, errors = _items().parse_content(
        [
            {"text": "ok", "why": "fordi"},
            {"text": "x" * (MAX_TEXT + 1)},
            {"why": "a\x00"},
        ]
    )
    assert cleaned[0] == {"text": "ok", "why": "fordi"}
    assert cleaned[1] == cleaned[2] == {"text": "", "why": ""}
    assert set(errors) == {1, 2}
    assert "for lang" in errors[1]


def test_stored_content_is_fitted_to_a_changed_shape():
    stored = [{"text": "a", "why": "b"}, {"text": 5}, "junk", {"text": "d"}]
    assert _items(3).fit_content(stored) == [
        {"text": "a", "why": "b"},
        {"text": "", "why": ""},
        {"text": "", "why": ""},
    ]
    assert _items(1).fit_content(None) == [{"text": "", "why": ""}]


def test_null_characters_are_refused():
    with pytest.raises(ValidationError):
        _items().clean_content([{"text": "a\x00b"}])


def test_submission_requires_what_the_shape_requires():
    question = _items(2)
    content = question.clean_content(
        [{"text": "Tillit", "why": "  "}, {"text": " ", "why": ""}]
    )
    assert question.missing_for_submission(content) == [
        "1: begrunnelsen mangler",
        "2: teksten mangler",
    ]
    done = question.clean_content(
        [{"text": "a", "why": "b"}, {"text": "c", "why": "d"}]
    )
    assert question.missing_for_submission(done) == []


def test_a_question_asks_for_1_to_10_items_or_labelled_parts():
    with pytest.raises(ValidationError):
        Question(number=1, title="T", kind=ShapeKind.ITEMS, item_count=0).clean()
    with pytest.raises(ValidationError):
        Question(number=1, title="T", kind=ShapeKind.ITEMS, item_count=11).clean()
    with pytest.raises(ValidationError):
        Question(number=1, title="T", kind=ShapeKind.PARTS, parts=[]).clean()
    with pytest.raises(ValidationError):
        Question(
            number=1, title="T", kind=ShapeKind.PARTS, parts=[{"label": "A"}] * 2
        ).clean()
    Question(number=1, title="T", kind=ShapeKind.PARTS, parts=[{"label": "A"}]).clean()
