"""The shared cache: Redis from CACHE_URL, a key prefix per test run, a safe clear()."""

import os
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from alliance.cache import RedisCache
from tests.alliance.test_settings import _run


@pytest.fixture
def redis_url():
    url = os.environ.get("CACHE_URL") or os.environ.get("CELERY_BROKER_URL")
    if not url:
        if os.environ.get("ALLIANSSI_REQUIRE_BROKER_TESTS"):
            pytest.fail("Redis tests are required here, but no Redis is configured")
        pytest.skip("neither CACHE_URL nor CELERY_BROKER_URL names a Redis")
    return url


def test_tests_use_a_key_prefix_of_their_own_run_and_worker():
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")

    assert "test-" in prefix
    assert prefix.endswith("-" + worker)
    cache.set("greeting", "hei")
    assert cache.get("greeting") == "hei"


def test_clear_deletes_only_the_keys_of_its_own_prefix(redis_url):
    run = uuid.uuid4().hex
    ours = RedisCache(redis_url, {"KEY_PREFIX": f"ours-{run}[*]"})
    theirs = RedisCache(redis_url, {"KEY_PREFIX": f"theirs-{run}"})
    client = ours._cache.get_client(write=True)
    unprefixed = f"celery-like-{run}"
    client.set(unprefixed, b"queue")
    try:
        ours.set_many({"a": 1, "b": 2})
        theirs.set("a", 3)

        ours.clear()

        assert ours.get_many(["a", "b"]) == {}
        assert theirs.get("a") == 3
        assert client.get(unprefixed) == b"queue"
    finally:
        theirs.clear()
        client.delete(unprefixed)


def test_cache_url_selects_redis_and_its_absence_local_memory(tmp_path):
    script = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'alliance.settings';"
        "from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND'])"
    )
    command = ["-c", script]
    with_redis = _run(
        [sys.executable, *command],
        cwd=tmp_path,
        DEBUG="1",
        CACHE_URL="redis://127.0.0.1:6399/3",
    )
    without = _run([sys.executable, *command], cwd=tmp_path, DEBUG="1", CACHE_URL="")

    assert with_redis.stdout.strip() == "alliance.cache.RedisCache", with_redis.stderr
    assert without.stdout.strip() == (
        "django.core.cache.backends.locmem.LocMemCache"
    ), without.stderr
