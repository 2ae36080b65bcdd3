"""The monitoring charts as SVG images, and a city's overview page.

A chart is permission-checked like the page that shows it (anonymous users are sent
to sign in, a user without a role gets 403, what does not exist is 404), built anew
from the data and answered by alliance.charts.svg_response: drawn once per content
key, with an ETag, and kept by the browser for good under the address with that key.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alliance.charts import svg_response
from members.models import Organisation
from monitoring import charts, permissions, selectors
from monitoring.views import _visible_indicator


@login_required
@require_safe
def indicator_chart(request, pk, kind):
    indicator = _visible_indicator(request, pk)
    if kind not in charts.indicator_chart_kinds(indicator):
        raise Http404
    overview = selectors.indicator_overview(indicator=indicator)
    return svg_response(request, charts.indicator_chart(overview=overview, kind=kind))


def _visible_city(request, slug) -> Organisation:
    if not permissions.can_view_monitoring(request.user):
        raise PermissionDenied
    try:
        city = selectors.city_get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_city_overview(request.user, city):
        raise Http404
    return city


@login_required
@require_safe
def city_chart(request, city):
    city = _visible_city(request, city)
    items = selectors.city_progress(city=city)
    return svg_response(request, charts.city_overview_chart(city=city, items=items))


@login_required
def city_overview(request, city):
    city = _visible_city(request, city)
    items = selectors.city_progress(city=city)
    chart = charts.city_overview_chart(city=city, items=items)
    return render(
        request,
        "monitoring/city_overview.html",
        {
            "city": city,
            "items": items,
            "chart": chart,
            "chart_url": charts.city_chart_url(city, chart),
        },
    )
