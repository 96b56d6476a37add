import json

from tests.helpers import PRODUCTION_ENV, run_python

HEALTHZ = (
    "import django; django.setup(); from django.test import Client; "
    "r = Client().get('/healthz', secure=True); "
    "print(r.status_code); print(r.content.decode())"
)


def _healthz_with(env: dict[str, str]) -> tuple[int, dict]:
    result = run_python(
        HEALTHZ,
        env={**PRODUCTION_ENV, "ALLOWED_HOSTS": "testserver", **env},
        drop={"REDIS_URL", "DATABASE_URL"},
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-2:]
    return int(status), json.loads(body)


def test_healthz_reports_ok_and_eager_tasks_without_a_broker(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_database_when_it_is_unreachable(tmp_path):
    status, body = _healthz_with(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere"}
    )
    assert status == 503
    assert body["status"] == "error"
    assert body["database"].startswith("unavailable")
    assert body["broker"] == "eager"


def test_healthz_answers_503_naming_the_broker_when_redis_is_unreachable(tmp_path):
    status, body = _healthz_with(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    assert status == 503
    assert body == {
        "status": "error",
        "database": "ok",
        "broker": body["broker"],
    }
    assert body["broker"].startswith("unavailable")


def test_healthz_is_reachable_over_plain_http_in_production(tmp_path):
    """Load balancers probe over http; the HTTPS redirect must not hide it."""
    result = run_python(
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/healthz').status_code, Client().get('/').status_code)",
        env={
            **PRODUCTION_ENV,
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        drop={"REDIS_URL"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]
