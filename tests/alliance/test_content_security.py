"""The Content-Security-Policy: strict on every page, stricter on every download.

The policy allows no inline code, so the pages must have none: no `<script>` without a
`src`, no `<style>` element, no `on…=` handler (nor htmx's `hx-on`, which evaluates
code), no `javascript:` address and no `style=` attribute. The template sources are
scanned, every branch included, and every page of the permission matrix is fetched and
scanned as rendered.
"""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse

from tests.downloads import assert_private_download
from tests.workspace.test_permission_matrix import MATRIX, _url

PAGE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
DOWNLOAD_POLICY = "default-src 'none'; sandbox"
ADDRESS_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}


class InlineCodeFinder(HTMLParser):
    """Collect every piece of inline script or style in an HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            if not dict(attrs).get("src"):
                self.found.append("<script> without src")
            self._in_script = True
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            address = (value or "").strip().lower()
            if name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"{name}= handler on <{tag}>")
            elif name == "style":
                self.found.append(f"style= attribute on <{tag}>")
            elif name in ADDRESS_ATTRIBUTES and address.startswith("javascript:"):
                self.found.append(f"javascript: address in {name}= on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append("code inside <script>")


def directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def _template_files():
    """Every template of the project (its own folder, not installed packages')."""
    folders = [Path(folder) for folder in engines["django"].engine.dirs]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_the_finder_finds_each_kind_of_inline_code():
    html = (
        '<script>alert(1)</script><script src="/static/a.js"></script><style></style>'
        '<a href=" JavaScript:x()">a</a><p style="color:red" onclick="x()">p</p>'
        '<button hx-on:click="x()">b</button><script src="/static/b.js"></script>'
    )

    assert inline_code(html) == [
        "<script> without src",
        "code inside <script>",
        "<style> element",
        "javascript: address in href= on <a>",
        "style= attribute on <p>",
        "onclick= handler on <p>",
        "hx-on:click= handler on <button>",
    ]


def test_no_template_has_inline_code():
    templates = _template_files()
    assert len(templates) > 50, "the templates were not found"

    found = {
        str(path.relative_to(settings.BASE_DIR)): problems
        for path in templates
        if (problems := inline_code(path.read_text()))
    }

    assert found == {}


@pytest.mark.parametrize("role", ["anonymous", "staff", "city-helsinki"])
def test_every_page_has_the_policy_and_no_inline_code(world, as_role, role):
    client = as_role(role)
    found = {}
    pages = 0
    for name, (args, _expected) in sorted(MATRIX.items()):
        response = client.get(_url(name, args, world))
        if response.status_code != 200 or not response["Content-Type"].startswith(
            "text/html"
        ):
            continue
        pages += 1
        assert directives(response["Content-Security-Policy"]) == PAGE_POLICY, name
        if problems := inline_code(response.content.decode()):
            found[name] = problems

    assert pages >= (5 if role == "anonymous" else 40)
    assert found == {}


def test_the_page_policy_allows_no_inline_or_evaluated_script(client):
    response = client.get(reverse("login"))

    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_htmx_is_told_not_to_inject_styles_or_evaluate(client):
    html = client.get(reverse("login")).content.decode()

    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html


def test_a_stored_file_is_a_sandboxed_download(world, as_role):
    client = as_role("city-helsinki")
    url = reverse(
        "theme_proposals:proposal_attachment_download",
        args=[world.helsinki_draft.pk, world.helsinki_draft_attachment.pk],
    )

    content = assert_private_download(client.get(url), filename="liite.pdf")

    assert content.startswith(b"%PDF")


def test_a_built_file_is_a_sandboxed_download(world, as_role):
    client = as_role("staff")
    url = reverse("monitoring:indicator_export", args=["indicators", "csv"])

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Security-Policy"] == DOWNLOAD_POLICY
    assert response["Cache-Control"] == "private, no-store"
