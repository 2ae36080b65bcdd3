"""Without Chromium the browser tests say which package to install, and fail in CI."""

import pytest

from tests.e2e import browser


@pytest.fixture
def without_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")


def test_a_missing_chromium_skips_naming_the_debian_package(
    without_chromium, monkeypatch
):
    monkeypatch.delenv("ALLIANSSI_REQUIRE_E2E", raising=False)
    with pytest.raises(pytest.skip.Exception, match="package chromium"):
        browser.skip_without_chromium()


def test_a_missing_chromium_fails_where_browser_tests_are_required(
    without_chromium, monkeypatch
):
    monkeypatch.setenv("ALLIANSSI_REQUIRE_E2E", "1")
    with pytest.raises(pytest.fail.Exception, match="package chromium"):
        browser.skip_without_chromium()
