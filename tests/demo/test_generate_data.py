import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from demo import generated as loaddata
from findings.models import Finding, ItemTag
from mipr.models import Membership, Process
from strategy.models import (
    Comment,
    Section,
    SectionItem,
    SectionRevision,
    Version,
    VersionStatus,
)
from timeline.models import Milestone
from workshops.models import Answer, Group, Question, Workshop

pytestmark = pytest.mark.django_db

SMALL = {
    "processes": 3,
    "groups": 14,
    "answers": 130,
    "comments": 90,
    "milestones": 40,
}


def generate(capsys=None, **options):
    arguments = [
        f"--{name}" if value is True else f"--{name}={value}"
        for name, value in {**SMALL, **options}.items()
    ]
    call_command("generate_load_data", *arguments)
    return capsys.readouterr().out if capsys else ""


def snapshot() -> dict:
    """The generated content, without primary keys and automatic timestamps."""
    processes = loaddata.generated_processes()
    return {
        "processes": list(processes.order_by("slug").values_list("slug", "name")),
        "users": list(
            get_user_model()
            .objects.filter(username__startswith=loaddata.SLUG_PREFIX)
            .order_by("username")
            .values_list("username", "first_name", "last_name")
        ),
        "milestones": list(
            Milestone.objects.filter(process__in=processes)
            .order_by("process__slug", "order")
            .values_list("uid", "who", "what", "start_week", "end_week", "status")
        ),
        "codes": list(
            Group.objects.filter(workshop__process__in=processes)
            .order_by("workshop__process__slug", "number")
            .values_list("code", "members")
        ),
        "answers": list(
            Answer.objects.filter(question__workshop__process__in=processes)
            .order_by("question__workshop__process__slug", "question__number", "group")
            .values_list("content", "edited_by", "version", "submitted_by")
        ),
        "tags": list(
            ItemTag.objects.filter(finding__process__in=processes)
            .order_by("pk")
            .values_list("finding__title", "answer__group__number", "slot")
        ),
        "sections": list(
            Section.objects.filter(version__strategy__process__in=processes)
            .order_by("version__strategy__process__slug", "version__number", "order")
            .values_list("key", "heading", "body", "revision")
        ),
        "comments": list(
            Comment.objects.filter(section__version__strategy__process__in=processes)
            .order_by("pk")
            .values_list("section__heading", "author__username", "text", "parent__text")
        ),
    }


def test_it_creates_the_sizes_asked_for_across_all_apps(settings, capsys):
    settings.DEBUG = True
    out = generate(capsys)
    processes = loaddata.generated_processes()
    assert processes.count() == 3
    assert Milestone.objects.filter(process__in=processes).count() == 40
    assert Group.objects.filter(workshop__process__in=processes).count() == 14
    answers = Answer.objects.filter(question__workshop__process__in=processes)
    assert answers.count() == 130
    comments = Comment.objects.filter(section__version__strategy__process__in=processes)
    assert comments.count() == 90
    assert comments.exclude(parent=None).exists()
    # Every answer holds text in the question's shape, and every process has
    # what the pages show: members in each role, findings with tagged items, a
    # strategy in three versions whose sections cite items and keep a history.
    for answer in answers.select_related("question")[:50]:
        assert answer.question.fit_content(answer.content) == answer.content
        assert answer.question.filled_slots(answer.content)
        if answer.is_submitted:
            assert answer.question.missing_for_submission(answer.content) == []
    for process in processes:
        assert set(process.memberships.values_list("role", flat=True)) == {
            "sekretariat",
            "arbeidsgruppe",
            "radsmedlem",
        }
        assert ItemTag.objects.filter(finding__process=process).exists()
        versions = Version.objects.filter(strategy__process=process)
        assert sorted(versions.values_list("number", flat=True)) == [1, 2, 3]
        assert SectionItem.objects.filter(
            section__version__strategy__process=process
        ).exists()
        assert SectionRevision.objects.filter(
            section__version__strategy__process=process
        ).exists()
    assert "Answer" in out and "130" in out


def test_the_newest_process_has_a_draft_and_a_version_with_all_the_comments(settings):
    settings.DEBUG = True
    generate(comments=600, processes=2)
    described = loaddata.describe()
    newest = Process.objects.get(slug=described["slug"])
    assert newest.year == max(
        loaddata.generated_processes().values_list("year", flat=True)
    )
    versions = {v.number: v for v in Version.objects.filter(strategy__process=newest)}
    assert versions[2].status == VersionStatus.REVIEW
    assert versions[3].status == VersionStatus.DRAFT
    assert described["version"] == 2
    assert described["version_comments"] == 500
    assert Comment.objects.filter(section__version=versions[2]).count() == 500
    assert described["sizes"] == {**SMALL, "comments": 600, "processes": 2}
    # It offers the benchmark the groups whose answer to question 1 is still
    # open (a submitted answer's page is read-only), and all of them.
    workshop = Workshop.objects.get(pk=described["workshop"])
    open_groups = {
        group.pk
        for group in workshop.groups.all()
        if not Answer.objects.filter(
            group=group, question__number=1, submitted_at__isnull=False
        ).exists()
    }
    assert 0 < len(open_groups) < workshop.groups.count()
    assert {g["id"] for g in described["groups"]} == open_groups
    # The users it names log in with the published demo password.
    for username in described["users"].values():
        user = get_user_model().objects.get(username=username)
        assert user.check_password(loaddata.DEMO_PASSWORD)
        assert Membership.objects.filter(user=user, process=newest).exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(settings):
    settings.DEBUG = True
    generate(seed=5)
    first = snapshot()
    generate(seed=5)
    assert snapshot() == first
    generate(seed=6)
    other = snapshot()
    assert other["answers"] != first["answers"]
    assert other["codes"] != first["codes"]
    assert other["processes"] == first["processes"]  # the names do not change


def test_a_second_run_replaces_the_first_and_leaves_other_data_alone(
    settings, capsys, demo_process
):
    settings.DEBUG = True
    generate()
    counts = [
        model.objects.count()
        for model in (Process, Membership, Answer, Question, Finding, Comment)
    ]
    out = generate(capsys)
    assert "Replaced 3 generated processes" in out
    assert [
        model.objects.count()
        for model in (Process, Membership, Answer, Question, Finding, Comment)
    ] == counts
    assert Process.objects.filter(pk=demo_process.pk).exists()
    assert get_user_model().objects.filter(username="sekretariat").exists()


def test_it_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        generate()
    assert not loaddata.generated_processes().exists()
    generate(force=True)
    assert loaddata.generated_processes().count() == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"processes": 0}, "--processes must be at least 1"),
        ({"answers": -1}, "--answers cannot be negative"),
        ({"groups": 2, "processes": 3}, "at least one group in each process"),
    ],
)
def test_impossible_sizes_are_refused_with_a_reason(settings, options, message):
    settings.DEBUG = True
    with pytest.raises(CommandError, match=message):
        generate(**options)
    assert not loaddata.generated_processes().exists()


def test_no_answers_and_no_comments_is_a_valid_small_run(settings):
    settings.DEBUG = True
    generate(answers=0, comments=0, groups=0, milestones=0, processes=1)
    described = loaddata.describe()
    assert described["sizes"] == {
        "processes": 1,
        "groups": 0,
        "answers": 0,
        "comments": 0,
        "milestones": 0,
    }
    assert described["workshop"] is None
