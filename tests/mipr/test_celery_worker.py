import os
import subprocess
import sys
import uuid

import pytest
import redis

from mipr import celery_app
from mipr.tasks import ping
from tests.helpers import ROOT, require


def _redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.mark.celery_worker
def test_a_real_worker_runs_a_task_sent_through_redis():
    url = os.environ.get("REDIS_URL", "")
    require(bool(url), "REDIS_URL is not set: the worker test needs Redis")
    require(_redis_answers(url), f"Redis does not answer at {url}")

    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mipr",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": url, "DEBUG": "0"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        result = ping.apply_async(args=["fra testen"], queue=queue, ignore_result=False)
        assert result.get(timeout=60) == "pong fra testen"
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "mipr.ping" in output
    assert "succeeded" in output


def test_tasks_run_in_process_without_a_broker():
    assert ping.delay("lokalt").get(timeout=1) == "pong lokalt"


def test_ping_task_is_acknowledged_late_and_rejected_on_worker_loss():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
