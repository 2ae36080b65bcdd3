"""Hostile input for the fuzz tests: the values, the site's forms, and its routes.

The routes come from the URLconf and the concrete URLs from a crawl of the example
data, so that a page or form added later is fuzzed without a line written for it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.html
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from hypothesis import strategies as st

# What a user may paste or a script may send: each must come back escaped in a page
# and as written in a document, an e-mail or a calendar.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}} {% now 'Y' %}",
    "'; DROP TABLE x;--",
    "Tampere \u202eevil.exe\u202c raportti",
    "Kaupunkien 🏙️ yhteistyö 👩‍💻",
    "Työllisyyspalvelujen" * 6,
    "R&D <b>bold</b> & 'quoted' \"double\"",
    "Åbo–Turku ÄÖ “lainaus” ‘x’",
]

IMPOSSIBLE_DATES = [
    "2023-02-30",
    "30.2.2023",
    "2023-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "-1-01-01",
    "31.12.99999",
    "2023-W53",
]

HUGE_NUMBERS = [
    str(10**30),
    str(-(10**30)),
    "9" * 400,
    "1e309",
    "-1e-400",
    "NaN",
    "Infinity",
    "0x7fffffffffffffff",
    "1,5e20",
]

control_characters = st.text(
    alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1
)
very_long_strings = st.builds(
    lambda text, times: (text or "x") * times,
    st.text(min_size=1, max_size=5),
    st.integers(min_value=300, max_value=20_000),
)

hostile_text = st.one_of(
    st.text(),
    control_characters,
    very_long_strings,
    st.sampled_from(PAYLOADS),
    st.sampled_from(HUGE_NUMBERS),
    st.integers().map(str),
    st.floats().map(str),
    st.sampled_from(IMPOSSIBLE_DATES),
    st.dates(
        min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)
    ).map(datetime.date.isoformat),
)


@dataclass
class FormField:
    name: str
    kind: str
    shown: list[str]
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: list[FormField]


def fields_of(form_element) -> list[FormField]:
    """Return the named fields of a parsed form, as a browser would send them."""
    grouped: dict[str, FormField] = {}
    for element in form_element.iter("input", "select", "textarea", "button"):
        name = element.get("name")
        if not name:
            continue
        if element.tag == "select":
            kind = "select"
            options = [o.get("value", o.text_content()) for o in element.iter("option")]
            shown = [
                o.get("value", o.text_content())
                for o in element.iter("option")
                if o.get("selected") is not None
            ]
            if not shown and options and element.get("multiple") is None:
                shown = options[:1]
        elif element.tag == "textarea":
            kind, options, shown = "text", [], [element.text or ""]
        elif element.tag == "button":
            kind, options, shown = "button", [], [element.get("value", "")]
        else:
            kind = (element.get("type") or "text").lower()
            if kind in {"submit", "reset", "image"}:
                kind = "button"
            value = element.get("value", "on" if kind == "checkbox" else "")
            options = [value]
            checked = element.get("checked") is not None
            shown = [value] if kind not in {"checkbox", "radio"} or checked else []
        known = grouped.setdefault(name, FormField(name, kind, [], []))
        known.shown.extend(shown)
        known.options.extend(options)
    return list(grouped.values())


def forms_on(content: bytes, url: str) -> list[Form]:
    """Return every form of a page, its action resolved against the page's URL."""
    document = lxml.html.document_fromstring(
        content, base_url=f"http://testserver{url}"
    )
    found = []
    for element in document.forms:
        action = urlsplit(element.action or f"http://testserver{url}")
        path = action.path + (f"?{action.query}" if action.query else "")
        found.append(Form((element.method or "GET").upper(), path, fields_of(element)))
    return found


def links_on(content: bytes, url: str) -> list[str]:
    """Return the same-site paths a page links to, queries kept."""
    document = lxml.html.document_fromstring(
        content, base_url=f"http://testserver{url}"
    )
    document.make_links_absolute()
    links = [
        link
        for element, attribute, link, _pos in document.iterlinks()
        if (element.tag, attribute)
        in {("a", "href"), ("form", "action"), ("img", "src")}
    ]
    # A fragment that htmx loads into the page is reached from it too.
    links += [
        urljoin(f"http://testserver{url}", element.get("hx-get"))
        for element in document.xpath("//*[@hx-get]")
    ]
    paths = []
    for link in links:
        parts = urlsplit(link)
        if parts.netloc == "testserver":
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def routes(resolver=None, namespace="", converters=None) -> dict[str, dict]:
    """Return every route of the app by name, with the converters of its arguments.

    The admin is left out: it is Django's own, and for superusers only.
    """
    found = {}
    converters = converters or {}
    for entry in (resolver or get_resolver()).url_patterns:
        own = {**converters, **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.update(routes(entry, inner, own))
        elif isinstance(entry, URLPattern) and entry.name:
            found[f"{namespace}{entry.name}"] = own
    return found


def route_arguments(converters: dict):
    """A strategy for a route's arguments: anything its converters let through."""
    return st.fixed_dictionaries(
        {
            name: st.from_regex(converter.regex, fullmatch=True)
            for name, converter in converters.items()
        }
    )


def route_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return None if match.namespace == "admin" else match.view_name


@dataclass
class Target:
    """What the crawl found of one route: a URL, who may open it, its forms."""

    url: str | None = None
    role: str | None = None
    query_names: set[str] = field(default_factory=set)
    forms: list[tuple[str, Form]] = field(default_factory=list)


def crawl(clients: dict, start: list[str], visits_per_route: int = 2) -> dict:
    """Walk the site as each role, from `start`; return a `Target` per route name.

    Each route is opened at most `visits_per_route` times per role, enough to reach
    the pages that appear only for a row in another state.
    """
    targets: dict[str, Target] = defaultdict(Target)
    for role, client in clients.items():
        visited: dict[str, int] = defaultdict(int)
        seen: set[str] = set()
        queue = list(start)
        while queue:
            url = queue.pop(0)
            path = urlsplit(url).path
            name = route_of(path)
            if name is None or path in seen:
                continue
            seen.add(path)
            target = targets[name]
            target.query_names.update(parse_qs(urlsplit(url).query))
            if visited[name] >= visits_per_route:
                continue
            visited[name] += 1
            response = client.get(path)
            if response.status_code < 400 and target.url is None:
                target.url, target.role = path, role
            if response.status_code != 200:
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            for form in forms_on(response.content, path):
                form_route = route_of(form.action)
                if form_route is None:
                    continue
                known = targets[form_route]
                if not any(
                    f.action == form.action and f.method == form.method
                    for _r, f in known.forms
                ):
                    known.forms.append((role, form))
                if form.method == "GET":
                    known.query_names.update(f.name for f in form.fields)
                    queue.append(form.action)
            queue.extend(links_on(response.content, path))
    return dict(targets)


def field_values(form_field: FormField):
    """A strategy for what may arrive for one field: as shown, or anything at all."""
    if form_field.name == "csrfmiddlewaretoken":
        return st.just(form_field.shown)
    if form_field.kind == "file":
        return st.one_of(
            st.just([]),
            st.builds(
                lambda name, content: [SimpleUploadedFile(name or "x", content)],
                hostile_text.filter(lambda name: "\x00" not in name),
                st.binary(max_size=64),
            ),
        )
    honest = st.sampled_from(form_field.options) if form_field.options else st.nothing()
    return st.one_of(
        st.just(form_field.shown),
        honest.map(lambda value: [value]),
        st.lists(hostile_text, min_size=1, max_size=2),
        st.just([]),
    )


def form_data(form: Form):
    """A strategy for the data of one post of `form`, omitted fields left out."""
    return st.fixed_dictionaries({f.name: field_values(f) for f in form.fields}).map(
        lambda data: {name: values for name, values in data.items() if values}
    )


def query_data(names: set[str]):
    """A strategy for a query string: the page's own parameters and a few common."""
    names = sorted(names | {"next", "page", "q", "sort", "lang"})
    return st.dictionaries(st.sampled_from(names), st.lists(hostile_text, max_size=2))


def row_counts() -> dict[str, int]:
    """Count the rows of every model of the app, history included (edits add to it).

    One query for all the tables: the fuzz counts before and after every refused post.
    """
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "alliance",
            "members",
            "themes",
            "theme_proposals",
            "monitoring",
            "meetings",
            "secretariat",
            "guardian",
        }
    ]
    quote = connection.ops.quote_name
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}
