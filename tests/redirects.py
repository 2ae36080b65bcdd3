"""`next` values that lead off the site, and the check that a response stays on it."""

from urllib.parse import urlsplit

HOSTILE_NEXTS = [
    "https://evil.example/",
    "//evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    "http://testserver@evil.example/",
]


def _on_site(target: str) -> bool:
    # Browsers read a backslash as a slash, so "/\host" is "//host".
    normalised = target.replace("\\", "/")
    parts = urlsplit(normalised)
    return not parts.scheme and not parts.netloc and normalised.startswith("/")


def assert_stays_on_site(response) -> None:
    """Fail if the response sends the browser, or htmx, to another site."""
    for header in ("Location", "HX-Redirect"):
        target = response.headers.get(header)
        assert target is None or _on_site(target), f"{header}: {target}"
