"""Ten people save the same thing at the same moment: one wins, nine are told.

For each kind of edit with conflict detection (a strategy section, a workshop
answer, a milestone), ten threads load the object at the same version, wait at
a barrier, and save different text from that version at once, each through its
own database connection. Exactly one save wins; the other nine get a conflict
(mipr.conflicts.Stale for a section or a milestone, a "conflict" result for an
answer), never an error and never a silent overwrite: the stored text is the
winner's, and the history (or the version) grew by exactly one. Several
rounds, each from the new version.

The tests need real commits and a database that several connections share:
PostgreSQL (CI sets DATABASE_URL), or SQLite in a file. pytest-django's SQLite
test database is in memory, which threads cannot write at the same time, so
there the tests skip themselves and `test_the_same_on_sqlite` runs this module
again in a subprocess with a file database (tests/sqlite_file_settings.py). On
PostgreSQL that test runs the SQLite variant too, so CI covers both.
"""

import os
import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from mipr.conflicts import Stale
from strategy import writing
from strategy.models import Section, SectionRevision
from tests.factories import ProcessFactory, UserFactory
from tests.timeline.factories import MilestoneFactory
from tests.workshops.factories import GroupFactory, QuestionFactory, WorkshopFactory
from timeline import services as timeline_services
from timeline.models import Milestone
from workshops import services as workshop_services
from workshops.models import Answer, Group, Question, WorkshopStatus

THREADS = 10
ROUNDS = 3
IN_SUBPROCESS = "MIPR_TEST_SQLITE_FILE"


@pytest.fixture
def shared_database(transactional_db):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "threads cannot write one in-memory SQLite database at once; "
            "test_the_same_on_sqlite runs these tests on a SQLite file"
        )


@dataclass
class Round:
    """What each thread got back: "won", "conflict", or an error."""

    outcomes: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def winners(self) -> list[int]:
        return [n for n, outcome in self.outcomes.items() if outcome == "won"]

    @property
    def conflicts(self) -> list[int]:
        return [n for n, outcome in self.outcomes.items() if outcome == "conflict"]


def at_once(save) -> Round:
    """Run save(n) in THREADS threads released together; each its own connection.

    save(n) loads what it needs, calls `ready()` (the barrier), saves, and
    returns "won" or "conflict".
    """
    result = Round()
    barrier = threading.Barrier(THREADS, timeout=30)
    lock = threading.Lock()

    def run(n):
        try:
            outcome = save(n, barrier.wait)
            with lock:
                result.outcomes[n] = outcome
        except Exception:
            with lock:
                result.errors.append(f"thread {n}: {traceback.format_exc()}")
            barrier.abort()  # so that no thread waits for one that failed
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hangs"
    return result


def check_one_winner(result: Round) -> int:
    assert not result.errors, "\n".join(result.errors)
    assert len(result.winners) == 1, result.outcomes
    assert len(result.conflicts) == THREADS - 1, result.outcomes
    return result.winners[0]


def text_of(n: int, round_number: int) -> str:
    return f"Tekst fra person {n} i runde {round_number}"


def test_ten_saves_of_one_section_from_one_revision_one_wins(shared_database):
    sara = UserFactory(username="sara")
    strategy = writing.strategy_start(
        process=ProcessFactory(), title="Strategi", by=sara
    )
    section_id = strategy.versions.get().sections.get(order=1).pk
    for round_number in range(ROUNDS):
        start = Section.objects.get(pk=section_id)
        history = SectionRevision.objects.filter(section_id=section_id).count()

        def save(n, ready, start=start, round_number=round_number):
            section = Section.objects.get(pk=section_id)
            by = get_user_model().objects.get(pk=sara.pk)
            ready()
            try:
                writing.section_save(
                    section=section,
                    heading=start.heading,
                    body=text_of(n, round_number),
                    revision=start.revision,
                    by=by,
                )
            except Stale as stale:
                assert stale.current.revision == start.revision + 1
                return "conflict"
            return "won"

        winner = check_one_winner(at_once(save))
        saved = Section.objects.get(pk=section_id)
        assert saved.body == text_of(winner, round_number)
        assert saved.revision == start.revision + 1
        history_now = SectionRevision.objects.filter(section_id=section_id)
        assert history_now.count() == history + 1
        assert history_now.get(revision=saved.revision).body == saved.body


def test_ten_saves_of_one_answer_slot_from_one_version_one_wins(shared_database):
    workshop = WorkshopFactory(status=WorkshopStatus.OPEN)
    question = QuestionFactory(workshop=workshop, item_count=3)
    group = GroupFactory(workshop=workshop)
    # Round 0 starts before the answer exists: the first save creates it.
    for round_number in range(ROUNDS):
        existing = Answer.objects.filter(group=group, question=question).first()
        start_version = existing.version if existing else 0
        start_content = question.fit_content(existing.content if existing else [])

        def save(
            n, ready, start_version=start_version, start=start_content, r=round_number
        ):
            my_group = Group.objects.get(pk=group.pk)
            my_question = Question.objects.get(pk=question.pk)
            # Everyone changes the same slot (item 1), so nothing can merge.
            mine = [dict(slot) for slot in start]
            mine[0] = {"text": text_of(n, r), "why": f"fordi {n}"}
            ready()
            result = workshop_services.answer_save(
                group=my_group,
                question=my_question,
                content=mine,
                version=start_version,
                base=start,
                editor=f"Person {n}",
            )
            if result.outcome == "saved":
                return "won"
            assert result.outcome == "conflict", result.outcome
            assert [c.index for c in result.conflicts] == [0]
            # The other's text is kept, and what the loser sees is what is saved.
            assert result.content[0] != mine[0]
            return "conflict"

        winner = check_one_winner(at_once(save))
        saved = Answer.objects.get(group=group, question=question)
        assert saved.content[0] == {
            "text": text_of(winner, round_number),
            "why": f"fordi {winner}",
        }
        assert saved.content[1:] == start_content[1:]
        assert saved.edited_by == f"Person {winner}"
        assert saved.version == start_version + 1


def test_ten_saves_of_one_milestone_from_one_version_one_wins(shared_database):
    milestone_id = MilestoneFactory().pk
    for round_number in range(ROUNDS):
        start = Milestone.objects.get(pk=milestone_id)

        def save(n, ready, start=start, round_number=round_number):
            milestone = Milestone.objects.get(pk=milestone_id)
            ready()
            try:
                timeline_services.milestone_update(
                    milestone=milestone,
                    data={"what": text_of(n, round_number), "notes": f"av {n}"},
                    expected_version=start.version,
                )
            except Stale as stale:
                assert stale.current.version == start.version + 1
                return "conflict"
            return "won"

        winner = check_one_winner(at_once(save))
        saved = Milestone.objects.get(pk=milestone_id)
        assert saved.what == text_of(winner, round_number)
        assert saved.notes == f"av {winner}"
        assert saved.version == start.version + 1


@pytest.mark.skipif(
    IN_SUBPROCESS in os.environ, reason="this is the SQLite run already"
)
def test_the_same_on_sqlite(tmp_path):
    """The tests above, in a subprocess whose test database is a SQLite file."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env[IN_SUBPROCESS] = str(tmp_path / "test.sqlite3")
    root = Path(__file__).resolve().parent.parent
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            __file__,
            "--ds=tests.sqlite_file_settings",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rA",
            "-k",
            "not test_the_same_on_sqlite",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    # Passed, not skipped: the file database is shared by the threads.
    assert "3 passed" in output and "skipped" not in output, output
