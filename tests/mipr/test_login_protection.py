"""Log-in lockout (django-axes), sessions, password rules and security headers."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from tests.helpers import PRODUCTION_ENV, run_python

pytestmark = pytest.mark.django_db

PASSWORD = "riktig-hemmelig-passord"  # the factory's
VENUE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
LOCKED_OUT = "For mange mislykkede innlogginger"


@pytest.fixture
def client_factory():
    return Client


def log_in(client, username, password=PASSWORD, address=VENUE, **headers):
    return client.post(
        "/logg-inn/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail_until_locked(client, username, address=VENUE, **headers):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "feil-passord", address, **headers)


def is_logged_in(client):
    return "_auth_user_id" in client.session


# --- Lockout -----------------------------------------------------------------


def test_repeated_failures_lock_the_user_out_with_a_norwegian_message(client):
    UserFactory(username="kari")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "kari", "feil-passord")
        assert response.status_code == 200
        assert LOCKED_OUT not in response.content.decode()

    response = log_in(client, "kari", "feil-passord")
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_OUT in html
    assert "Vent 15 minutter" in html
    assert 'name="username"' in html  # still the log-in page, not a bare error

    # Even the right password is refused while locked out.
    response = log_in(client, "kari")
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_lockout_ends_after_the_cool_off(client):
    UserFactory(username="kari")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail_until_locked(client, "kari")
        clock.shift(timedelta(minutes=14))
        assert log_in(client, "kari").status_code == 429
        clock.shift(timedelta(minutes=2))
        response = log_in(client, "kari")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_success_before_the_limit_forgets_earlier_failures(client):
    UserFactory(username="kari")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "kari", "feil-passord")
    assert log_in(client, "kari").status_code == 302
    client.post("/logg-ut/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "kari", "feil-passord")
    assert log_in(client, "kari").status_code == 302


def test_a_room_behind_one_address_keeps_working_while_one_is_locked_out(
    client_factory,
):
    UserFactory(username="kari")
    fail_until_locked(client_factory(), "kari")

    others = [UserFactory(username=f"medlem{n}") for n in range(25)]
    for user in others:
        visitor = client_factory()
        assert log_in(visitor, user.username).status_code == 302
        assert is_logged_in(visitor)
    assert log_in(client_factory(), "kari").status_code == 429


def test_a_huge_user_name_is_counted_and_locked_out_not_an_error(client):
    # Found by CI on PostgreSQL: the failure log refused a 10,000-character name.
    huge = "x" * 10_000
    statuses = [
        log_in(client, huge, "feil-passord").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses == [200] * (limit - 1) + [429, 429]


def test_the_locked_user_can_still_log_in_from_another_address(client):
    # Keyed on user name plus address: a stranger cannot lock a member out.
    UserFactory(username="kari")
    fail_until_locked(client, "kari", address=ELSEWHERE)
    assert log_in(client, "kari", address=VENUE).status_code == 302


def test_a_forwarded_for_header_is_not_trusted_by_default(client):
    # Otherwise a script could dodge the lockout with a new header each time.
    UserFactory(username="kari")
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "kari", "feil-passord", HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}")
    response = log_in(client, "kari", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_the_proxy_header_counts_when_configured(client, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    UserFactory(username="kari")
    proxy = "10.0.0.1"
    # The proxy appends the address it saw: the rightmost entry counts, and
    # whatever the client wrote before it does not.
    fail_until_locked(
        client, "kari", address=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {VENUE}"
    )
    locked = log_in(
        client, "kari", address=proxy, HTTP_X_FORWARDED_FOR=f"5.6.7.8, {VENUE}"
    )
    assert locked.status_code == 429
    elsewhere = log_in(client, "kari", address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert elsewhere.status_code == 302


def test_a_malformed_proxy_header_falls_back_to_the_connection_address(
    client, settings
):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    UserFactory(username="kari")
    fail_until_locked(client, "kari", HTTP_X_FORWARDED_FOR="not-an-address")
    response = log_in(client, "kari", HTTP_X_FORWARDED_FOR="<script>")
    assert response.status_code == 429


def test_the_workshop_join_limit_uses_the_same_client_address(rf, settings):
    from mipr.security import client_ip

    request = rf.get("/", REMOTE_ADDR=VENUE, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert client_ip(request) == VENUE
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_ip(request) == ELSEWHERE


# --- Sessions ----------------------------------------------------------------


def test_logging_in_issues_a_new_session_id(client):
    UserFactory(username="kari")
    client.get("/delta/")  # an anonymous session exists before the log-in
    before = client.session.session_key
    assert before
    log_in(client, "kari")
    assert is_logged_in(client)
    assert client.session.session_key != before


def test_an_idle_session_is_signed_out(client):
    UserFactory(username="kari")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "kari")
        assert client.get("/passord/").status_code == 200
        clock.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
        response = client.get("/passord/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")


def test_a_session_in_use_stays_signed_in_past_the_idle_limit(client):
    UserFactory(username="kari")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "kari")
        for _ in range(4):  # 4 × 50 minutes: well past the 120-minute limit
            clock.shift(timedelta(minutes=50))
            assert client.get("/passord/").status_code == 200


def test_session_cookies_are_secure_and_http_only_in_production():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_AGE]))"
    )
    result = run_python(code, env=PRODUCTION_ENV, drop={"REDIS_URL", "DATABASE_URL"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[true, true, true, 7200]"


# --- Passwords ---------------------------------------------------------------


@pytest.mark.parametrize(
    "password, message",
    [
        ("kort1", "for kort"),
        ("password123", "for vanlig"),
        ("qwertyuiop12", "for vanlig"),
    ],
)
def test_short_and_common_passwords_are_refused_in_norwegian(password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(message in text for text in refused.value.messages)


def test_a_long_uncommon_password_is_accepted():
    validate_password("fjordbåt-hestehov-2029")


# --- Headers -----------------------------------------------------------------


def test_pages_send_a_strict_content_security_policy_and_the_other_headers(client):
    response = client.get("/")
    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_script_or_style():
    # The policy above would block them: this finds them before a browser does.
    from tests.helpers import ROOT

    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "pdf" in path.parts:  # rendered by WeasyPrint, never served
            continue
        text = path.read_text()
        lowered = text.lower()
        for marker in (" style=", "<style", " onclick=", " onload=", " onchange="):
            if marker in lowered:
                offenders.append(f"{path.name}: {marker.strip()}")
        for chunk in lowered.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            if "src=" not in head and "application/json" not in head:
                offenders.append(f"{path.name}: inline <script>")
    assert offenders == []


# --- Password spraying: many names from one address -------------------------------

SPRAYER = "192.0.2.44"


def spray(names, address=SPRAYER):
    for name in names:
        log_in(Client(), name, "sommer2025", address)


def test_failures_over_many_names_stop_log_ins_from_that_address(client, settings):
    UserFactory(username="kari")
    spray([f"navn{n}" for n in range(settings.LOGIN_ADDRESS_NAME_LIMIT)])
    response = log_in(client, "kari", address=SPRAYER)
    assert response.status_code == 429
    assert "fra dette nettverket" in response.content.decode()
    assert not is_logged_in(client)
    # Elsewhere, the same member logs in as usual.
    assert log_in(Client(), "kari", address=ELSEWHERE).status_code == 302


def test_a_browser_that_logged_in_before_still_gets_in_at_the_venue(settings):
    UserFactory(username="kari")
    UserFactory(username="per")
    known = Client()
    assert log_in(known, "kari", address=SPRAYER).status_code == 302
    known.post("/logg-ut/")
    spray([f"navn{n}" for n in range(settings.LOGIN_ADDRESS_NAME_LIMIT)])
    # Kari's browser is known; another person's laptop in the room is not.
    assert log_in(known, "per", address=SPRAYER).status_code == 302
    assert log_in(Client(), "per", address=SPRAYER).status_code == 429


def test_one_persons_typos_count_as_one_name(settings):
    UserFactory(username="kari")
    for _ in range(4):  # under the per-name lockout
        log_in(Client(), "Kari", "feil", SPRAYER)
        log_in(Client(), "kari", "feil", SPRAYER)
    assert log_in(Client(), "kari", address=SPRAYER).status_code == 302


def test_the_address_may_log_in_again_after_the_cool_off(settings):
    UserFactory(username="kari")
    spray([f"navn{n}" for n in range(settings.LOGIN_ADDRESS_NAME_LIMIT)])
    assert log_in(Client(), "kari", address=SPRAYER).status_code == 429
    from django.core.cache import cache

    from mipr.security import _names_key

    cache.delete(_names_key(SPRAYER))  # what the cool-off's expiry does
    assert log_in(Client(), "kari", address=SPRAYER).status_code == 302


def test_the_admins_log_in_is_refused_to_a_spraying_address_too(settings):
    UserFactory(username="drift", is_staff=True, is_superuser=True)
    spray([f"navn{n}" for n in range(settings.LOGIN_ADDRESS_NAME_LIMIT)])
    client = Client()
    client.post(
        "/admin/login/",
        {"username": "drift", "password": PASSWORD},
        REMOTE_ADDR=SPRAYER,
    )
    assert not is_logged_in(client)


def test_a_forged_known_browser_cookie_does_not_count(client, settings):
    UserFactory(username="kari")
    spray([f"navn{n}" for n in range(settings.LOGIN_ADDRESS_NAME_LIMIT)])
    client.cookies["mipr_kjent"] = "1:forfalsket"
    assert log_in(client, "kari", address=SPRAYER).status_code == 429
