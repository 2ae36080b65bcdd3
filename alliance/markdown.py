"""The project's one syntax for long texts: a small, safe subset of Markdown.

Paragraphs, headings, bullet and numbered lists, bold, italic, links (http, https,
mailto) and tables; nothing else is parsed, so anything else shows as typed. The
parser is markdown-it-py's CommonMark preset with raw HTML off and tables on; its HTML
is cleaned by nh3 with an allow-list of exactly those tags. The Word file is built from
the same token stream (`markdown_tokens`), never from the HTML.
"""

from functools import cache
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# Block and inline rules beyond the subset: with them off, their syntax is plain text.
_RULES_OFF = [
    "code",
    "fence",
    "blockquote",
    "hr",
    "html_block",
    "reference",
    "backticks",
    "image",
    "html_inline",
]

_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.disable(_RULES_OFF)
    parser.validateLink = is_safe_link
    return parser


def is_safe_link(url: str) -> bool:
    """A link may point only to http, https or mailto addresses."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in LINK_SCHEMES


def markdown_tokens(text: str, *, section_level: int = 1) -> list[Token]:
    """Parse `text`; its headings are demoted below a section at `section_level`.

    A '#' heading becomes level `section_level + 1`, and so on, never deeper than 6.
    """
    tokens = _parser().parse(text or "")
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = min(6, int(token.tag[1]) + section_level)
            token.tag = f"h{level}"
    return tokens


def markdown_html(text: str, *, section_level: int = 1) -> str:
    """Return `text` as clean HTML, headings demoted below `section_level`."""
    parser = _parser()
    html = parser.renderer.render(
        markdown_tokens(text, section_level=section_level), parser.options, {}
    )
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
