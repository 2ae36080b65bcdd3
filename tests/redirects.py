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


HTMX = {"HTTP_HX_REQUEST": "true"}


def form_data(form) -> dict:
    """Return what a browser posts for `form` as the page shows it."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


def shown_form(response):
    """Return the form a page shows, or None for a page without one."""
    if response.status_code != 200 or response.context is None:
        return None
    return response.context.get("form")


def post_form_with_hostile_nexts(client, url, nexts) -> bool:
    """Post the form at `url` as shown, once per `next`, plainly and by htmx in turn.

    Each post starts from the page read anew, so that it carries the latest edit
    token. Return whether the page showed a form at all.
    """
    found = False
    for turn, hostile in enumerate(nexts):
        form = shown_form(client.get(url))
        found = found or form is not None
        data = form_data(form) if form is not None else {}
        response = client.post(
            url, {**data, "next": hostile}, **(HTMX if turn % 2 else {})
        )
        assert_stays_on_site(response)
    return found
