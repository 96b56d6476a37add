import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.helpers import require
from workshops import services
from workshops.models import MAX_TEXT, Answer, WorkshopStatus

pytestmark = pytest.mark.django_db

EMPTY = {"text": "", "why": ""}


def slot(text, why=""):
    return {"text": text, "why": why}


def save(group, question, content, version, base=None, editor="Simen"):
    return services.answer_save(
        group=group,
        question=question,
        content=content,
        version=version,
        base=base,
        editor=editor,
    )


def stored(group, question):
    return Answer.objects.get(group=group, question=question)


# --- merge_slots, the rule itself ----------------------------------------------


def test_merge_takes_each_slot_from_the_side_that_changed_it():
    base = [slot("a"), slot("b"), slot("c")]
    mine = [slot("a2"), slot("b"), slot("c")]
    theirs = [slot("a"), slot("b2"), slot("c")]
    assert services.merge_slots(base=base, mine=mine, theirs=theirs) == (
        [slot("a2"), slot("b2"), slot("c")],
        [],
    )


def test_merge_reports_a_slot_both_changed_differently_and_keeps_theirs():
    base = [slot("a"), slot("b")]
    mine = [slot("mine"), slot("b")]
    theirs = [slot("theirs"), slot("b")]
    assert services.merge_slots(base=base, mine=mine, theirs=theirs) == (
        [slot("theirs"), slot("b")],
        [0],
    )


def test_merge_of_the_same_change_on_both_sides_is_no_conflict():
    base = [slot("a")]
    both = [slot("a", "fordi")]
    assert services.merge_slots(base=base, mine=both, theirs=both) == (both, [])


def test_merge_without_a_base_treats_every_difference_as_a_conflict():
    mine = [slot("x"), slot("same")]
    theirs = [slot("y"), slot("same")]
    assert services.merge_slots(base=None, mine=mine, theirs=theirs) == (
        theirs,
        [0],
    )


# --- answer_save -----------------------------------------------------------------


def test_first_save_creates_the_answer_at_version_1(groups, questions):
    group, question = groups[5], questions[1]
    result = save(group, question, [slot("Tillit", "fordi")], version=0)
    assert result.outcome == "saved"
    answer = stored(group, question)
    assert answer.version == 1
    assert answer.content == [slot("Tillit", "fordi"), EMPTY, EMPTY]
    assert answer.edited_by == "Simen"
    assert answer.edited_at is not None


def test_saving_what_is_already_saved_does_not_bump_the_version(groups, questions):
    group, question = groups[5], questions[1]
    save(group, question, [slot("Tillit")], version=0)
    result = save(group, question, [slot("Tillit")], version=1, editor="Ivar")
    assert result.outcome == "saved"
    assert stored(group, question).version == 1
    assert stored(group, question).edited_by == "Simen"


def test_a_save_after_someone_elses_merges_changes_in_different_items(
    groups, questions
):
    group, question = groups[5], questions[1]
    save(group, question, [slot("a"), slot("b")], version=0)
    base = stored(group, question).content
    # Ivar saves item 2; Simen's page still has version 1 and changes item 1.
    save(group, question, [slot("a"), slot("b fra Ivar")], 1, base, "Ivar")
    result = save(group, question, [slot("a fra Simen"), slot("b")], 1, base)
    assert result.outcome == "merged"
    assert result.conflicts == []
    answer = stored(group, question)
    assert answer.content[:2] == [slot("a fra Simen"), slot("b fra Ivar")]
    assert answer.version == 3


def test_two_changes_to_the_same_item_keep_the_saved_one_and_report_the_other(
    groups, questions
):
    group, question = groups[5], questions[1]
    save(group, question, [slot("a"), slot("b")], version=0)
    base = stored(group, question).content
    save(group, question, [slot("Ivars tekst"), slot("b")], 1, base, "Ivar")
    result = save(group, question, [slot("Simens tekst"), slot("b2")], 1, base)
    assert result.outcome == "conflict"
    [conflict] = result.conflicts
    assert (conflict.index, conflict.label, conflict.by) == (0, "1", "Ivar")
    assert conflict.theirs == slot("Ivars tekst")
    # Ivar's text is not overwritten; Simen's other change is saved.
    assert stored(group, question).content[:2] == [slot("Ivars tekst"), slot("b2")]


def test_choosing_to_keep_ones_own_text_saves_it_with_the_current_version(
    groups, questions
):
    group, question = groups[5], questions[1]
    save(group, question, [slot("a")], version=0)
    base = stored(group, question).content
    save(group, question, [slot("Ivars tekst")], 1, base, "Ivar")
    current = stored(group, question)
    result = save(group, question, [slot("Simens tekst")], current.version)
    assert result.outcome == "saved"
    assert stored(group, question).content[0] == slot("Simens tekst")


def test_a_stale_autosave_never_overwrites_newer_text(groups, questions):
    group, question = groups[5], questions[1]
    save(group, question, [slot("gammel")], version=0)
    old_base = stored(group, question).content
    save(group, question, [slot("ny")], 1, old_base, "Ivar")
    # A delayed request from Simen's page, which never touched the item.
    result = save(group, question, old_base, 1, old_base)
    assert result.outcome == "merged"
    assert stored(group, question).content[0] == slot("ny")


def test_a_version_from_the_future_is_refused_and_changes_nothing(groups, questions):
    group, question = groups[5], questions[1]
    save(group, question, [slot("a")], version=0)
    with pytest.raises(ValidationError):
        save(group, question, [slot("b")], version=7)
    with pytest.raises(ValidationError):
        save(group, question, [slot("b")], version="1")
    assert stored(group, question).content[0] == slot("a")


def test_an_over_long_item_is_refused_and_the_other_items_are_saved(groups, questions):
    group, question = groups[5], questions[1]
    save(group, question, [slot("a"), slot("b")], version=0)
    result = save(group, question, [slot("x" * (MAX_TEXT + 1)), slot("b2")], 1)
    assert list(result.errors) == [0]
    assert "Teksten i punkt 1 er for lang: den har 5\xa0001 tegn" in result.errors[0]
    assert stored(group, question).content[:2] == [slot("a"), slot("b2")]


def test_content_that_does_not_fit_the_shape_changes_nothing(groups, questions):
    group, question = groups[5], questions[1]
    with pytest.raises(ValidationError):
        save(group, question, [slot("a")] * 4, version=0)
    with pytest.raises(ValidationError):
        save(group, question, {"text": "a"}, version=0)
    assert not Answer.objects.filter(group=group, question=question).exists()


def test_a_closed_workshop_is_read_only(workshop, groups, questions):
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    with pytest.raises(services.AnswerLocked, match="lukket"):
        save(groups[1], questions[1], [slot("a")], version=1)
    assert stored(groups[1], questions[1]).content[0]["text"] == "Lav arbeidsdeltakelse"


def test_a_submitted_answer_cannot_be_changed_until_taken_back(groups, questions):
    group, question = groups[5], questions[1]
    save(group, question, [slot("a", "1"), slot("b", "2"), slot("c", "3")], 0)
    services.answer_submit(group=group, question=question, editor="Ivar")
    answer = stored(group, question)
    assert answer.is_submitted and answer.submitted_by == "Ivar"
    with pytest.raises(services.AnswerLocked, match="levert"):
        save(group, question, [slot("z")], version=1)
    services.answer_withdraw(group=group, question=question)
    assert not stored(group, question).is_submitted
    save(group, question, [slot("z", "1"), slot("b", "2"), slot("c", "3")], 1)
    assert stored(group, question).content[0] == slot("z", "1")


def test_submitting_requires_what_the_shape_requires(groups, questions):
    group, question = groups[5], questions[4]
    save(group, question, [slot("Boliger", "fordi"), slot("Næring", "")], 0)
    with pytest.raises(ValidationError) as error:
        services.answer_submit(group=group, question=question, editor="Simen")
    assert error.value.messages == ["B: begrunnelsen mangler"]
    assert not stored(group, question).is_submitted


def test_an_answer_cannot_join_a_group_and_a_question_of_different_workshops(
    groups, questions
):
    from tests.workshops.factories import WorkshopFactory

    foreign = WorkshopFactory().questions.create(number=1, title="T", prompt="P")
    with pytest.raises(ValueError):
        save(groups[1], foreign, [slot("a")], version=0)
    assert not Answer.objects.filter(question=foreign).exists()


def test_opening_a_workshop_needs_questions_and_groups():
    from tests.workshops.factories import WorkshopFactory

    workshop = WorkshopFactory()
    with pytest.raises(ValidationError, match="minst ett spørsmål"):
        services.workshop_set_status(workshop=workshop, status=WorkshopStatus.OPEN)
    with pytest.raises(ValidationError):
        services.workshop_set_status(workshop=workshop, status="exploded")
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.DRAFT


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_different_items_are_both_kept(groups, questions):
    require(
        connection.vendor == "postgresql",
        "row locks need PostgreSQL (set DATABASE_URL)",
    )
    group, question = groups[5], questions[1]
    save(group, question, [slot("a"), slot("b"), slot("c")], version=0)
    base = stored(group, question).content
    barrier = threading.Barrier(3)
    failures = []

    def participant(index, name):
        mine = [dict(s) for s in base]
        mine[index] = slot(f"{name} skrev dette")
        try:
            barrier.wait()
            save(group, question, mine, 1, base, name)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=participant, args=(i, name))
        for i, name in enumerate(["Simen", "Ivar", "Kjerstin"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    answer = stored(group, question)
    assert [s["text"] for s in answer.content] == [
        "Simen skrev dette",
        "Ivar skrev dette",
        "Kjerstin skrev dette",
    ]
    assert answer.version == 4
