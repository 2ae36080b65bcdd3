"""One page of a long list, and the query string that keeps its filters.

A page number that is not a number shows the first page, one past the end the last:
a link kept from a longer list still leads somewhere.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


@dataclass(frozen=True)
class Paged:
    page: Page
    query: str


def page_of(request, items, *, size: int = PAGE_SIZE) -> Paged:
    """Return the requested page of `items` and the request's other parameters."""
    page = Paginator(items, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return Paged(page=page, query=query.urlencode())
