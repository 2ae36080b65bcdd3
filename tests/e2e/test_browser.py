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


def test_a_script_blocked_by_the_content_security_policy_fails_the_test(tmp_path):
    browser.skip_without_chromium()
    # Answered inside the browser, so no server is needed.
    address = "http://allianssi.invalid"
    page_with_inline_script = {
        "status": 200,
        "headers": {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": "script-src 'self'",
        },
        "body": "<!doctype html><title>t</title><script>document.title='x'</script>",
    }

    with (
        pytest.raises(AssertionError, match="Content-Security-Policy"),
        browser.visiting(address, tmp_path / "profile", keyboard_only=False) as visitor,
    ):
        visitor.page.route(
            f"{address}/**", lambda route: route.fulfill(**page_with_inline_script)
        )
        visitor.open("/")
        assert visitor.page.title() == "t"
