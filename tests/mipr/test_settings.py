import ast
import re

import yaml

from tests.helpers import PRODUCTION_ENV, ROOT, run_manage, run_python


def test_missing_secret_key_in_production_stops_start_up_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_runs_without_a_secret_key():
    result = run_manage("check", env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_deploy_check_passes_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_when_https_is_switched_off():
    env = {**PRODUCTION_ENV, "HTTPS_ONLY": "0"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


def _settings_after(env: dict[str, str], names: list[str]) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: repr(getattr(settings, n, None)) for n in {names!r}}}))"
    )
    result = run_python(code, env=env, drop={"REDIS_URL", "DATABASE_URL"})
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_redis_tasks_run_in_process_and_the_database_is_sqlite_under_var():
    values = _settings_after(
        {"DEBUG": "1"}, ["CELERY_TASK_ALWAYS_EAGER", "DATABASES", "CACHES"]
    )
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "True"
    assert "sqlite3" in values["DATABASES"]
    assert "var/db.sqlite3" in values["DATABASES"]
    assert "LocMemCache" in values["CACHES"]


def test_redis_url_makes_redis_the_broker_and_the_cache():
    values = _settings_after(
        {**PRODUCTION_ENV, "REDIS_URL": "redis://cache.example:6379/2"},
        ["CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", "CACHES"],
    )
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "False"
    assert values["CELERY_BROKER_URL"] == "'redis://cache.example:6379/2'"
    assert "RedisCache" in values["CACHES"]


def test_smtp_is_used_when_an_email_host_is_given():
    values = _settings_after(
        {**PRODUCTION_ENV, "EMAIL_HOST": "smtp.example.no"}, ["EMAIL_BACKEND"]
    )
    assert "smtp" in values["EMAIL_BACKEND"]
    values = _settings_after(PRODUCTION_ENV, ["EMAIL_BACKEND"])
    assert "console" in values["EMAIL_BACKEND"]


def test_proxy_protocol_header_is_trusted_only_when_configured():
    names = ["SECURE_PROXY_SSL_HEADER"]
    assert _settings_after(PRODUCTION_ENV, names)["SECURE_PROXY_SSL_HEADER"] == "None"
    values = _settings_after(
        {**PRODUCTION_ENV, "PROXY_SSL_HEADER": "X-Forwarded-Proto"}, names
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"


def settings_env_names() -> set[str]:
    """Every environment variable name that mipr/settings.py reads."""
    tree = ast.parse((ROOT / "mipr" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and re.fullmatch(r"[A-Z][A-Z0-9_]+", node.args[0].value)
        ):
            func = ast.unparse(node.func)
            if func in {"os.environ.get", "env_bool", "env_list"}:
                names.add(node.args[0].value)
    return names


def test_settings_read_the_documented_variables():
    names = settings_env_names()
    assert {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
    } <= names
    assert {"CSRF_TRUSTED_ORIGINS", "EMAIL_HOST", "PROXY_SSL_HEADER"} <= names


def test_readme_documents_every_environment_variable():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in settings_env_names() if f"`{name}`" not in readme]
    assert missing == []


def test_docker_compose_runs_the_production_stack_on_the_settings_variables():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "db", "redis"} <= set(services)

    assert "gunicorn" in str(services["web"]["command"])
    assert "celery" in str(services["worker"]["command"])
    assert str(services["db"]["image"]).startswith("postgres:16")
    assert any("/var/lib/postgresql/data" in v for v in services["db"]["volumes"])
    assert "--appendonly yes" in str(services["redis"]["command"])
    assert services["redis"].get("volumes"), "the append-only file needs a volume"

    known = settings_env_names()
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        keys = (
            set(environment)
            if isinstance(environment, dict)
            else {item.split("=", 1)[0] for item in environment}
        )
        assert keys <= known, f"{name} sets variables settings.py never reads"
        assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= keys
    assert (ROOT / "Dockerfile").exists()
    assert "libpango" in (ROOT / "Dockerfile").read_text()
