"""Requests refused before any view reads them, and headers that depend on who asked."""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connection
from django.http import Http404
from django.shortcuts import render

from alliance.validators import has_control_characters


class ControlCharactersRefusedMiddleware:
    """Answer 404 to a path and 400 to a query with control characters in it.

    No address of the site and no parameter of a link has them; passed on, NUL makes
    PostgreSQL refuse the query with an error. Form fields refuse them with a message
    at the field (`alliance.forms`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request.path):
            raise Http404
        if any(
            has_control_characters(name)
            or any(has_control_characters(value) for value in values)
            for name, values in request.GET.lists()
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """Keep what a signed-in user sees out of every cache, the browser's included.

    A page for a signed-in user may show what only they may see, and should not come
    back from the browser's history after they sign out. A response that states its own
    caching (a download, a chart addressed by its content) keeps it. Static files never
    get here: WhiteNoise answers them first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class QueryCountHeaderMiddleware:
    """Tell in an X-Query-Count header how many SQL queries the request ran.

    For the benchmark, which reaches the app through gunicorn and cannot count them
    itself; on only when BENCH_QUERY_COUNT is set, since it tells outsiders about
    the app's insides.
    """

    def __init__(self, get_response):
        if not settings.BENCH_QUERY_COUNT:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
