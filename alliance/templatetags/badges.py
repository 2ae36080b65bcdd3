"""Badges in any page: `{% load badges %}`.

- `{% status_badge status %}`: a choices member as a badge, with its label.
- `{% status_badge meeting.status meeting.get_status_display %}`: a stored value with
  its label.

The badge's class is `status--<value>`; site.css gives the good, the pending and the
bad values their colours.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def status_badge(status, label=None):
    """Render a status as a badge with the class `status--<value>`."""
    value = getattr(status, "value", status)
    if label is None:
        label = getattr(status, "label", status)
    return format_html('<span class="badge status--{}">{}</span>', value, label)
