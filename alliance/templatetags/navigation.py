from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str, *, exact: bool = False) -> str:
    """A navigation link, marked `aria-current="page"` within its part of the site.

    `exact` marks it only on its own address (the front page is the start of every
    address, so it would otherwise be current everywhere).
    """
    url = reverse(url_name)
    request = context.get("request")
    path = request.path if request is not None else ""
    current = path == url if exact else path.startswith(url)
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)
