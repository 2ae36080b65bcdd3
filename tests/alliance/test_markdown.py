import pytest
from django.template import Context, Template

from alliance.markdown import is_safe_link, markdown_html, markdown_tokens


def test_the_subset_renders_as_html():
    html = markdown_html(
        "Teksti **lihava** ja *kursiivi* [linkki](https://valtioneuvosto.fi).\n\n"
        "- yksi\n- kaksi\n\n3. kolmas\n4. neljäs\n\n"
        "| Kaupunki | Arvo |\n|---|--:|\n| Oulu | 7 |\n"
    )
    assert "<strong>lihava</strong>" in html
    assert "<em>kursiivi</em>" in html
    link = '<a href="https://valtioneuvosto.fi" rel="noopener noreferrer nofollow">'
    assert link in html
    assert "<ul>\n<li>yksi</li>" in html
    assert '<ol start="3">' in html
    assert "<th>Kaupunki</th>" in html and "<td>Oulu</td>" in html
    # Column alignment would be a style attribute, which the CSP refuses.
    assert "style" not in html


def test_headings_are_demoted_below_the_section():
    assert markdown_html("# Otsikko", section_level=2) == "<h3>Otsikko</h3>\n"
    assert markdown_html("###### Syvä", section_level=2) == "<h6>Syvä</h6>\n"
    tokens = markdown_tokens("## Alaotsikko", section_level=1)
    assert tokens[0].tag == "h3"


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<b>lihava</b>",
    ],
)
def test_html_typed_in_shows_as_text(typed):
    html = markdown_html(typed)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "[x](file:///etc/passwd)",
    ],
)
def test_only_http_https_and_mailto_links_become_links(link):
    assert "<a " not in markdown_html(link)


def test_mailto_links_are_kept():
    assert is_safe_link("mailto:kirjaamo@tem.fi")
    assert '<a href="mailto:kirjaamo@tem.fi"' in markdown_html(
        "[kirjaamo](mailto:kirjaamo@tem.fi)"
    )


@pytest.mark.parametrize(
    "typed",
    ["`koodi`", "> lainaus", "![kuva](https://x.fi/k.png)", "    sisennetty", "***"],
)
def test_syntax_beyond_the_subset_stays_plain_text(typed):
    html = markdown_html(typed)
    for tag in ("<code", "<blockquote", "<img", "<pre", "<hr"):
        assert tag not in html


def test_the_template_filter_renders_below_the_given_level():
    rendered = Template("{% load markdown %}{{ text|markdown:2 }}").render(
        Context({"text": "# Otsikko\n\n<script>x</script>"})
    )
    assert "<h3>Otsikko</h3>" in rendered
    assert "&lt;script&gt;" in rendered


def test_a_long_hostile_input_is_parsed_in_linear_time():
    # Nested emphasis and brackets are the classic quadratic cases.
    text = "*[" * 20000 + "a" + "]*" * 20000
    assert markdown_html(text)
