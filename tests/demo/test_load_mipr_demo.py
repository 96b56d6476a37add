import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from mipr.models import Membership, Process, Role

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Process.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
    )


def test_demo_creates_miprs_process_and_the_three_demo_users(settings, capsys):
    settings.DEBUG = True
    call_command("load_mipr_demo")
    process = Process.objects.get(slug="mipr-2026-2029")
    assert process.council == "Mosseregionen interkommunalt politisk råd"
    assert (process.period_start, process.period_end, process.year) == (
        2026,
        2029,
        2025,
    )
    roles = dict(process.memberships.values_list("user__username", "role"))
    assert roles == {
        "sekretariat": Role.SECRETARIAT,
        "arbeidsgruppe": Role.WORKING_GROUP,
        "radsmedlem": Role.COUNCIL_MEMBER,
    }
    for username in roles:
        assert (
            get_user_model().objects.get(username=username).check_password("mipr-demo")
        )
    assert "mipr-demo" in capsys.readouterr().out


def test_running_the_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_mipr_demo")
    user = get_user_model().objects.get(username="sekretariat")
    user.set_password("endret-av-brukeren")
    user.save()
    before = _counts()
    call_command("load_mipr_demo")
    assert _counts() == before
    user.refresh_from_db()
    assert user.check_password("endret-av-brukeren")


def test_demo_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_mipr_demo")
    assert _counts() == (0, 0, 0)
    call_command("load_mipr_demo", force=True)
    assert Process.objects.filter(slug="mipr-2026-2029").exists()


def test_no_migration_creates_a_demo_user():
    # The test database is freshly migrated: migrations alone made it.
    assert not get_user_model().objects.exists()
