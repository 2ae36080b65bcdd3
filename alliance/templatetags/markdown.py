from django import template
from django.utils.safestring import mark_safe

from alliance.markdown import is_safe_link, markdown_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str, section_level: int = 1) -> str:
    """`{{ section.body|markdown:2 }}`: the text as clean HTML below an h2."""
    try:
        level = int(section_level)
    except (TypeError, ValueError):
        level = 1
    # Safe: markdown_html escapes raw HTML and cleans the result with an allow-list.
    return mark_safe(markdown_html(text, section_level=level))


@register.filter(name="is_safe_link")
def is_safe_link_filter(url: str) -> bool:
    """`{% if meeting.online_link|is_safe_link %}`: may the address be a link?"""
    return is_safe_link(url or "")
