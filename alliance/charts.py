"""The project's one chart module: matplotlib figures as SVG (pages, PDF), PNG (Word)
and JPEG (the progress report's PDF).

Every chart is a `Chart`: a title, a text alternative (`description`) and a drawing,
rendered on demand by `svg()`, `png(dpi=150)` or `jpeg(dpi=150)`. Charts are drawn with
matplotlib's object API (`matplotlib.figure.Figure`, never pyplot, whose global figure
manager is not thread-safe) on the Agg canvas, with fonts that ship with matplotlib
(DejaVu Sans), so rendering needs no network and no display. The output is
deterministic: equal input gives equal bytes (`svg.hashsalt` fixed, no dates or versions
in the metadata), so a chart's bytes can be cached by their input's hash.

Text in the SVG stays text (`svg.fonttype` "none"), so that labels can be searched in
the page and read back from a PDF. The SVG carries `<title>` and `<desc>` as its
first children. A matplotlib SVG uses `style` attributes, which a strict
Content-Security-Policy refuses inline: pages show charts as
`<img src="….svg" alt="…">`, never inline.

Colours are the Okabe–Ito palette (told apart with the common colour-vision
deficiencies), and series differ by marker and line style as well, never by colour
alone.

Charts in pages: `svg_response(request, chart)` answers a chart view with the SVG,
cached by the chart's key (a hash of everything drawn), with an ETag.

Charts in PDF documents: the template writes `<img src="chart:<key>" alt="…">` and the
renderer is given the charts by key, `render_pdf(name, context, charts={key: chart})`;
`alliance.pdf.StaticFilesFetcher` serves a `chart:` URL as the registered chart's SVG
(`fetcher.add_chart(key, chart)`, where `chart` is a `Chart` or SVG bytes already
drawn, e.g. from a cache) and refuses any other `chart:` key, like any other URL.

The charts:
- `timeline_chart(rows)`: measures as bars grouped by theme, with milestone markers
  (the proposal's schedule section).
- `series_chart(...)` and `small_multiples(...)`: values over time with a baseline, a
  target and the expected path between them (monitoring builds its indicator charts
  on these).
- `progress_chart(...)`: horizontal bars of the share of the way from the baseline to
  the target, against the share expected by now (a city's overview).
"""

import contextlib
import datetime
import functools
import hashlib
import io
import math
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

import matplotlib
import PIL.Image
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import TICKDOWN, TICKLEFT, Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from alliance.numbers import with_minus_sign

# Okabe & Ito (2008), "Color Universal Design": distinguishable with deuteranopia,
# protanopia and tritanopia. Black first, for the main series.
PALETTE = (
    "#000000",
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")
TEXT = "#1b1b1b"
GRID = "#c8cdd3"
MUTED = "#5a5a5a"
TARGET = "#1a7f37"

# rcParams for every chart, set once for the process (_configure_matplotlib).
RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.edgecolor": TEXT,
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "text.color": TEXT,
    "svg.fonttype": "none",
    "svg.hashsalt": "allianssi",
    "svg.image_inline": True,
    "path.simplify": True,
    "axes.unicode_minus": True,
}
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
# matplotlib's default resolution, at which a figure is laid out before it is saved.
FIGURE_DPI = 100
# zlib's fastest level: a PDF renderer recompresses the image anyway.
PNG_COMPRESSION = 1
JPEG_QUALITY = 95
# 4:4:4: colour kept at full resolution, so thin coloured lines keep their colour.
JPEG_SUBSAMPLING_NONE = 0

# Raise when the drawing code changes, so that cached charts are drawn anew.
DRAWING_VERSION = 5

_KEY = re.compile(r"[0-9a-f]{32}")

# One chart at a time: matplotlib's font and text caches are shared.
_draw_lock = threading.Lock()


@functools.cache
def _configure_matplotlib() -> None:
    # The project draws with matplotlib here only, so the settings are set once for
    # the process rather than copied and restored for each chart (a third of the
    # time of a small chart).
    with _draw_lock:
        matplotlib.rcParams.update(RC)


@functools.cache
def _figure() -> Figure:
    # One figure, cleared for each chart, with its Agg canvas: the canvas keeps its
    # renderer, and with it the sizes of the texts measured, from one chart to the
    # next (a report draws a hundred charts of the same size and legend). Used only
    # under _draw_lock.
    figure = Figure()
    FigureCanvasAgg(figure)
    return figure


@functools.cache
def _kept_axes(figure: Figure) -> Axes:
    # Axes kept for the one figure and cleared for each chart that draws on them, as
    # the figure is: making new axes (their spines, axes and patch) and collecting
    # the old ones took a tenth of a series chart's drawing. Used only under
    # _draw_lock.
    return Axes(figure, (0, 0, 1, 1))


@dataclass(frozen=True)
class Chart:
    """A figure with its title and text alternative, drawn when rendered."""

    title: str
    description: str
    draw: Callable[[Figure], None] = field(repr=False, compare=False)
    width: float = 6.4  # inches
    height: float = 3.2
    language: str | None = field(default=None, repr=False)
    # A hash of everything drawn: equal keys, equal bytes (see svg_cached).
    key: str = ""
    # "constrained", or None where the drawing places its axes itself.
    layout: str | None = "constrained"

    def svg(self) -> bytes:
        """Return the chart as SVG, with <title> and <desc> first."""
        buffer = io.BytesIO()
        with self._drawn() as figure:
            figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
        return _add_title(buffer.getvalue(), self.title, self.description)

    def png(self, dpi: int = 150) -> bytes:
        """Return the chart as PNG at `dpi` dots per inch.

        Opaque (RGB) and quickly compressed: a PDF renderer decodes the image and
        compresses it again, and keeps an alpha channel as a second image.
        """
        return self._raster(dpi, format="png", compress_level=PNG_COMPRESSION)

    def jpeg(self, dpi: int = 150) -> bytes:
        """Return the chart as JPEG at `dpi` dots per inch, for a PDF of many charts.

        WeasyPrint embeds a JPEG as it is, where it decodes a PNG and compresses it
        again (a quarter of the cost of a chart in a report). At this quality and
        without chroma subsampling, lines, markers and text print as sharp as a PNG's.
        """
        return self._raster(
            dpi,
            format="jpeg",
            quality=JPEG_QUALITY,
            subsampling=JPEG_SUBSAMPLING_NONE,
        )

    def _raster(self, dpi: int, **encoding) -> bytes:
        buffer = io.BytesIO()
        with self._drawn() as figure:
            figure.dpi = dpi
            figure.canvas.draw()
            size = figure.canvas.get_width_height(physical=True)
            pixels = figure.canvas.buffer_rgba()
            image = PIL.Image.frombuffer("RGBA", size, pixels, "raw", "RGBA", 0, 1)
            image.convert("RGB").save(buffer, dpi=(dpi, dpi), **encoding)
        return buffer.getvalue()

    @contextlib.contextmanager
    def _drawn(self) -> Iterator[Figure]:
        """Yield the process's one figure with this chart drawn on it."""
        _configure_matplotlib()
        with (
            _draw_lock,
            translation.override(self.language or translation.get_language()),
        ):
            figure = _figure()
            # Figure.clear() clears each axes before dropping it, which costs as
            # much as making new axes; these are dropped unseen.
            for axes in tuple(figure.axes):
                figure.delaxes(axes)
            figure.clear()
            figure.set_size_inches(self.width, self.height)
            figure.dpi = FIGURE_DPI
            figure.set_layout_engine(self.layout)
            self.draw(figure)
            yield figure


def svg_cached(chart: Chart, *, timeout: int = 7 * 24 * 3600) -> bytes:
    """Return the chart's SVG from Django's cache, drawing it once per key."""
    if not chart.key:
        return chart.svg()
    cache_key = f"alliance.charts:svg:{chart.key}"
    svg = cache.get(cache_key)
    if svg is None:
        svg = chart.svg()
        cache.set(cache_key, svg, timeout)
    return svg


def svg_response(request, chart: Chart) -> HttpResponse:
    """Answer with the chart's SVG, cached by its key.

    The page links to the chart with `?v=<key>`: an address whose key is the chart's
    own may be kept for good (it names that content), any other is revalidated by
    its ETag. A `v` that is no key at all is refused (400).
    """
    requested = request.GET.get("v", "")
    if requested and not _KEY.fullmatch(requested):
        return HttpResponseBadRequest("v")
    etag = f'"{chart.key}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(svg_cached(chart), content_type="image/svg+xml")
    response["ETag"] = etag
    response["Cache-Control"] = (
        "private, max-age=31536000, immutable"
        if requested == chart.key
        else "private, no-cache"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the SVG may style itself and do nothing else.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    return response


def _chart(
    kind: str,
    inputs,
    *,
    title: str,
    description: str,
    draw: Callable[[Figure], None],
    width: float = 6.4,
    height: float = 3.2,
    layout: str | None = "constrained",
) -> Chart:
    """Return a Chart in the active language, keyed by what it draws."""
    language = translation.get_language()
    drawn = (kind, language, title, description, width, height, layout, inputs)
    fingerprint = repr((DRAWING_VERSION, matplotlib.__version__, *drawn))
    return Chart(
        title=title,
        description=description,
        draw=draw,
        width=width,
        height=height,
        language=language,
        layout=layout,
        key=hashlib.sha256(fingerprint.encode()).hexdigest()[:32],
    )


def _add_title(svg: bytes, title: str, description: str) -> bytes:
    # matplotlib writes no <title>: insert it, and <desc>, as the root's first children.
    start = svg.index(b"<svg")
    end = svg.index(b">", start) + 1
    head = svg[:end].replace(b"<svg ", b'<svg role="img" ', 1)
    inserted = (
        f"\n <title>{escape(title)}</title>\n <desc>{escape(description)}</desc>"
    ).encode()
    return head + inserted + svg[end:]


# Formatting


def format_date(day: datetime.date) -> str:
    """Return 31.8.2023, as the project shows dates."""
    return f"{day.day}.{day.month}.{day.year}"


def format_number(value: float | Decimal | None) -> str:
    """Return a number as the active language writes it (1 234,5 in Finnish, −5)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        number = value.normalize()
    else:
        # The shortest decimal that reads back as the float, without trailing zeros.
        number = Decimal(repr(round(float(value), 6))).normalize()
    places = max(0, -number.as_tuple().exponent)
    return with_minus_sign(
        number_format(number, decimal_pos=places, force_grouping=True)
    )


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _parse_date(value) -> datetime.date | None:
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _pale(colour: str) -> str:
    """Return the colour mixed with two parts of white."""
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return "#" + "".join(f"{(part + 2 * 255) // 3:02x}" for part in (red, green, blue))


def _no_data(figure: Figure, message: str) -> None:
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", color=MUTED, wrap=True)


def _fixed_ticks(axes, axis: str, positions, labels, *, grid: bool = False) -> None:
    """Mark and label the x or y axis at fixed positions with a few plain artists.

    Drawn as matplotlib draws an axis' ticks (the same sizes, pads and colours), but
    as one line of markers, one of grid lines and a text per label: an axis' own
    tick is five artists set up anew for each chart, some 30 % of a series chart's
    drawing.
    """
    rc = matplotlib.rcParams
    size = rc[f"{axis}tick.major.size"]
    pad = size + rc[f"{axis}tick.major.pad"]
    if axis == "x":
        axes.set_xticks([])
        transform = axes.get_xaxis_transform()
        text_transform, va, ha = axes.get_xaxis_text1_transform(pad)
        marker, grid_x, grid_y = TICKDOWN, None, None
        at = [(position, 0) for position in positions]
    else:
        axes.set_yticks([])
        transform = axes.get_yaxis_transform()
        text_transform, va, ha = axes.get_yaxis_text1_transform(pad)
        marker = TICKLEFT
        at = [(0, position) for position in positions]
        grid_x = [x for _position in positions for x in (0, 1, math.nan)]
        grid_y = [y for position in positions for y in (position, position, math.nan)]
    if grid and positions:
        axes.add_artist(
            Line2D(
                grid_y if axis == "x" else grid_x,
                grid_x if axis == "x" else grid_y,
                transform=transform,
                color=GRID,
                linewidth=0.8,
                zorder=0.5,
            )
        )
    axes.add_artist(
        Line2D(
            [x for x, _y in at],
            [y for _x, y in at],
            transform=transform,
            linestyle="none",
            marker=marker,
            markersize=size,
            markeredgewidth=rc[f"{axis}tick.major.width"],
            color=TEXT,
            clip_on=False,
        )
    )
    for (x, y), label in zip(at, labels, strict=True):
        axes.text(
            x,
            y,
            label,
            transform=text_transform,
            va=va,
            ha=ha,
            fontsize=rc[f"{axis}tick.labelsize"],
            color=TEXT,
            clip_on=False,
        )


def _date_ticks(
    axes,
    start: datetime.date,
    end: datetime.date,
    *,
    labels: int = 8,
    fixed: bool = False,
) -> None:
    """Set the x axis to start..end with years as labels and quarters as minor ticks.

    Fixed positions: matplotlib's date locators cost more than the rest of a chart.
    With `fixed`, the years are marked by _fixed_ticks rather than the axis' ticks.
    """
    axes.set_xlim(mdates.date2num(start), mdates.date2num(end))
    years = [
        year
        for year in range(start.year, end.year + 1)
        if start <= datetime.date(year, 1, 1) <= end
    ]
    stride = max(1, math.ceil(len(years) / labels))
    shown = years[::stride]
    positions = [mdates.date2num(datetime.date(year, 1, 1)) for year in shown]
    if fixed:
        _fixed_ticks(axes, "x", positions, [str(year) for year in shown])
    else:
        axes.set_xticks(positions, [str(year) for year in shown])
    if end.year - start.year <= 12:
        quarters = [
            datetime.date(year, month, 1)
            for year in range(start.year, end.year + 1)
            for month in (1, 4, 7, 10)
        ]
        # The quarters' marks as one line of tick-shaped markers, drawn as matplotlib
        # draws a minor tick: an axis tick apiece (two lines, a grid line and two
        # labels built for each) took a third of the time of a chart.
        shown_quarters = [day for day in quarters if start <= day <= end]
        axes.add_artist(
            Line2D(
                mdates.date2num(shown_quarters),
                [0] * len(shown_quarters),
                transform=axes.get_xaxis_transform(),
                linestyle="none",
                marker=TICKDOWN,
                markersize=matplotlib.rcParams["xtick.minor.size"],
                markeredgewidth=matplotlib.rcParams["xtick.minor.width"],
                color=TEXT,
                clip_on=False,
            )
        )


# The timeline of the measures (proposal, schedule section)


@dataclass(frozen=True)
class _TimelineRow:
    label: str
    group: str
    start: datetime.date | None
    end: datetime.date | None
    milestones: tuple[datetime.date, ...]


def timeline_chart(rows: Sequence[dict]) -> Chart:
    """Return the measures' timeline: bars grouped by theme, with milestone markers.

    `rows` are the proposal snapshot's "timeline" entries: {"label", "start", "end",
    "group", "milestones"} with ISO dates. A row without an end runs open to the right
    edge; a row without a start shows only its milestones.
    """
    parsed = [
        _TimelineRow(
            label=str(row.get("label") or ""),
            group=str(row.get("group") or ""),
            start=_parse_date(row.get("start")),
            end=_parse_date(row.get("end")),
            milestones=tuple(
                sorted(
                    day
                    for day in map(_parse_date, row.get("milestones") or ())
                    if day is not None
                )
            ),
        )
        for row in rows
    ]
    groups: dict[str, list[_TimelineRow]] = {}
    for row in parsed:
        groups.setdefault(row.group, []).append(row)
    days = [
        day
        for row in parsed
        for day in (row.start, row.end, *row.milestones)
        if day is not None
    ]
    title = _("Timeline of the measures")
    if not days:
        return _chart(
            "timeline",
            (),
            title=title,
            description=_("No measure has a schedule yet."),
            draw=lambda figure: _no_data(figure, _("No measure has a schedule yet.")),
            height=1.2,
        )
    first, last = min(days), max(days)
    # Room on the right for open bars and the last marker.
    margin = datetime.timedelta(days=max(30, (last - first).days // 20))
    left, right = first - margin, last + margin
    lines = len(parsed) + len(groups)
    no_end = _("from %(start)s, no end date")
    no_start = _("schedule not decided")
    labels = {
        "milestones": _("Milestone"),
        "open": _("No end date"),
    }
    description = _timeline_description(groups, no_start=no_start, no_end=no_end)

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        ticks, tick_labels, tick_bold = [], [], []
        y = 0
        open_bars = False
        for index, (group, members) in enumerate(groups.items()):
            colour = PALETTE[1 + index % (len(PALETTE) - 2)]
            ticks.append(y)
            tick_labels.append(_shorten(group, 48) if group else "—")
            tick_bold.append(True)
            y += 1
            for row in members:
                ticks.append(y)
                tick_labels.append(_shorten(row.label, 48))
                tick_bold.append(False)
                if row.start is not None:
                    end = row.end or right
                    open_bars |= row.end is None
                    start = mdates.date2num(row.start)
                    # An open bar is pale, with a dashed edge and an arrow at the
                    # edge (not a hatch: PDF renderers draw SVG patterns badly).
                    axes.barh(
                        y,
                        mdates.date2num(end) - start,
                        left=start,
                        height=0.6,
                        facecolor=_pale(colour) if row.end is None else colour,
                        edgecolor=colour,
                        linewidth=1.0,
                        linestyle="--" if row.end is None else "-",
                    )
                    if row.end is None:
                        axes.plot(
                            [mdates.date2num(end)],
                            [y],
                            linestyle="none",
                            marker=">",
                            markersize=7,
                            color=colour,
                            clip_on=False,
                        )
                if row.milestones:
                    axes.plot(
                        [mdates.date2num(day) for day in row.milestones],
                        [y] * len(row.milestones),
                        linestyle="none",
                        marker="D",
                        markersize=5,
                        markerfacecolor="#ffffff",
                        markeredgecolor=TEXT,
                        markeredgewidth=1.2,
                    )
                y += 1
        axes.set_ylim(y - 0.5, -0.7)
        axes.set_yticks(ticks, tick_labels)
        for label, bold in zip(axes.get_yticklabels(), tick_bold, strict=True):
            if bold:
                label.set_fontweight("bold")
        axes.tick_params(axis="y", length=0)
        _date_ticks(axes, left, right)
        axes.grid(axis="x", which="major", color=GRID, linewidth=0.8)
        axes.set_axisbelow(True)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                markerfacecolor="#ffffff",
                markeredgecolor=TEXT,
                label=labels["milestones"],
            )
        ]
        if open_bars:
            handles.append(
                Patch(
                    facecolor=_pale(MUTED),
                    edgecolor=MUTED,
                    linestyle="--",
                    label=labels["open"],
                )
            )
        axes.legend(
            handles=handles,
            loc="upper right",
            frameon=False,
            fontsize=8,
            ncols=len(handles),
            bbox_to_anchor=(1, 1.12),
        )

    return _chart(
        "timeline",
        tuple(parsed),
        title=title,
        description=description,
        draw=draw,
        height=min(18.0, 1.0 + 0.26 * lines),
    )


def _timeline_description(groups, *, no_start: str, no_end: str) -> str:
    parts = []
    for group, members in groups.items():
        items = []
        for row in members:
            if row.start is None:
                span = no_start
            elif row.end is None:
                span = no_end % {"start": format_date(row.start)}
            else:
                span = f"{format_date(row.start)}–{format_date(row.end)}"
            text = f"{row.label} {span}"
            if row.milestones:
                text += " (" + _("milestones") + " "
                text += ", ".join(format_date(day) for day in row.milestones) + ")"
            items.append(text)
        parts.append(f"{group}: " + "; ".join(items) + "." if group else "")
    count = sum(len(members) for members in groups.values())
    head = _("Measures: %(count)s, themes: %(groups)s.") % {
        "count": count,
        "groups": len(groups),
    }
    return " ".join([head, *[part for part in parts if part]])


# Values over time: baseline, target and the expected path (monitoring)


@dataclass(frozen=True)
class Series:
    """A line of values by date: one city's or the national values."""

    label: str
    points: Sequence[tuple[datetime.date, float]]
    emphasis: bool = False


@dataclass(frozen=True)
class Reference:
    """An indicator's baseline and target: the expected path runs between them."""

    baseline_date: datetime.date
    baseline_value: float
    target_date: datetime.date
    target_value: float


@dataclass(frozen=True)
class Panel:
    """One plot of a chart: its series against a reference."""

    title: str
    series: Sequence[Series]
    reference: Reference | None = None
    unit: str = ""


def _series_range(panel: Panel) -> tuple[datetime.date, datetime.date] | None:
    days = [day for series in panel.series for day, _value in series.points]
    if panel.reference is not None:
        days += [panel.reference.baseline_date, panel.reference.target_date]
    return (min(days), max(days)) if days else None


def _draw_panel(
    axes,
    panel: Panel,
    *,
    span,
    texts: dict,
    style_of: Callable,
    years: int = 8,
    fixed_ticks: bool = False,
) -> None:
    if panel.title:
        axes.set_title(_shorten(panel.title, 40), loc="left", fontsize=8.5)
    reference = panel.reference
    if reference is not None:
        baseline = mdates.date2num(reference.baseline_date)
        target = mdates.date2num(reference.target_date)
        axes.plot(
            [baseline, target],
            [reference.baseline_value, reference.target_value],
            color=MUTED,
            linestyle=(0, (5, 3)),
            linewidth=1.3,
            label=texts["path"],
        )
        axes.plot(
            [baseline],
            [reference.baseline_value],
            linestyle="none",
            marker="o",
            markersize=6,
            markerfacecolor="#ffffff",
            markeredgecolor=MUTED,
            markeredgewidth=1.5,
            label=texts["baseline"],
        )
        axes.plot(
            [target],
            [reference.target_value],
            linestyle="none",
            marker="s",
            markersize=6,
            color=TARGET,
            label=texts["target"],
        )
    for series in panel.series:
        if not series.points:
            continue
        colour, marker, linestyle = style_of(series)
        dense = len(series.points) > 12
        axes.plot(
            # One date2num per series: it costs as much for one date as for many.
            mdates.date2num([day for day, _value in series.points]),
            [value for _day, value in series.points],
            color=colour,
            marker=marker,
            markersize=(4 if series.emphasis else 3) * (0.7 if dense else 1),
            linestyle=linestyle,
            linewidth=2.2 if series.emphasis else 1.2,
            label=_shorten(series.label, 28),
            zorder=3 if series.emphasis else 2,
        )
    if not any(series.points for series in panel.series):
        axes.text(
            0.5,
            0.5,
            texts["no_values"],
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=MUTED,
            fontsize=8,
        )
    start, end = span
    pad = datetime.timedelta(days=max(20, (end - start).days // 25))
    _date_ticks(axes, start - pad, end + pad, labels=years, fixed=fixed_ticks)
    locator = MaxNLocator(nbins=5)
    if fixed_ticks:
        # The limits the axis would take, fixed, and the ticks its locator would set.
        low, high = axes.get_ylim()
        axes.set_ylim(low, high)
        values = [
            value for value in locator.tick_values(low, high) if low <= value <= high
        ]
        _fixed_ticks(
            axes, "y", values, [format_number(value) for value in values], grid=True
        )
    else:
        axes.yaxis.set_major_locator(locator)
        axes.yaxis.set_major_formatter(
            FuncFormatter(lambda value, _pos: format_number(value))
        )
        axes.grid(axis="y", color=GRID, linewidth=0.8)
        axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _style_map(labels: Sequence[str]) -> Callable[[Series], tuple[str, str, object]]:
    """Give each series label one colour, marker and line style for every panel."""
    styles = {}
    # Black is the emphasised series' own; the others take the palette after it.
    colours = PALETTE[1:]
    for index, label in enumerate(dict.fromkeys(labels)):
        styles[label] = (
            colours[index % len(colours)],
            MARKERS[(index + 1) % len(MARKERS)],
            LINESTYLES[(index // len(colours)) % len(LINESTYLES)],
        )

    def style_of(series: Series):
        if series.emphasis:
            return PALETTE[0], "o", "-"
        return styles[series.label]

    return style_of


def _panel_texts() -> dict:
    return {
        "path": _("Expected path"),
        "baseline": _("Baseline"),
        "target": _("Target"),
        "no_values": _("No values yet"),
    }


# Fixed margins, in inches: constrained layout would double the drawing time, and
# these charts are drawn a hundred at a time for a report.
_LEFT, _RIGHT_LEGEND, _RIGHT, _TOP, _BOTTOM = 0.8, 1.8, 0.15, 0.2, 0.35
_YLABEL_EDGE = 0.05
_UNIT_RISE = 0.07  # inches above the axes


# The legend's metrics, as matplotlib's legend sets them (in points and font sizes).
_LEGEND_FONTSIZE = 7
_LEGEND_ROW = 1.55  # font sizes from one entry to the next
_LEGEND_HANDLE = 2.0  # font sizes of line before the label
_LEGEND_GAP = 0.8
_POINT = 1 / 72  # inches


def _legend_column(figure: Figure, axes, *, left: float, top: float) -> None:
    """Draw the axes' legend as a column of entries from (left, top), in inches.

    Each entry a line and a text placed where matplotlib's legend would place them:
    its legend measured every label five times over to lay out its boxes (a third
    of a report chart's profile, a sixth of its time).
    """
    size = _LEGEND_FONTSIZE * _POINT
    handle_end = left + 0.4 * size + _LEGEND_HANDLE * size
    y = top - 0.4 * size - 0.6 * size
    for handle, name in zip(*axes.get_legend_handles_labels(), strict=True):
        sample = Line2D(
            [left + 0.4 * size, (left + 0.4 * size + handle_end) / 2, handle_end],
            [y, y, y],
        )
        sample.update_from(handle)
        # The marker once, mid-line, as the legend shows it.
        sample.set_markevery([1])
        sample.set_transform(figure.dpi_scale_trans)
        # update_from copied the plot's clipping to its axes too.
        sample.set_clip_on(False)
        figure.add_artist(sample)
        figure.text(
            handle_end + _LEGEND_GAP * size,
            y,
            name,
            transform=figure.dpi_scale_trans,
            fontsize=_LEGEND_FONTSIZE,
            va="center_baseline",
        )
        y -= _LEGEND_ROW * size


def series_chart(*, title: str, description: str, panel: Panel) -> Chart:
    """Return values over time with the baseline, the target and the path between."""
    span = _series_range(panel)
    if span is None:
        return _chart(
            "series",
            panel,
            title=title,
            description=description,
            draw=lambda figure: _no_data(figure, _("No values yet")),
            height=1.2,
        )
    texts = _panel_texts()
    style_of = _style_map([s.label for s in panel.series if not s.emphasis])
    width, height = 6.4, 3.2

    def draw(figure: Figure) -> None:
        left, right = _LEFT / width, 1 - _RIGHT_LEGEND / width
        bottom, top = _BOTTOM / height, 1 - _TOP / height
        axes = figure.add_axes(_kept_axes(figure))
        axes.clear()
        axes.set_position((left, bottom, right - left, top - bottom))
        _draw_panel(
            axes, panel, span=span, texts=texts, style_of=style_of, fixed_ticks=True
        )
        if panel.unit:
            # Above the axis, from the figure's edge: beside it, a long tick label
            # such as 8 000 000 would run into it, as the axes keep a fixed place.
            figure.text(
                _YLABEL_EDGE / width,
                top + _UNIT_RISE / height,
                _shorten(panel.unit, 24),
                ha="left",
                va="bottom",
                fontsize=matplotlib.rcParams["axes.labelsize"],
                color=TEXT,
            )
        _legend_column(figure, axes, left=(right + 0.01) * width, top=top * height)

    return _chart(
        "series",
        panel,
        title=title,
        description=description,
        draw=draw,
        width=width,
        height=height,
        layout=None,
    )


def small_multiples(
    *, title: str, description: str, panels: Sequence[Panel], columns: int = 3
) -> Chart:
    """Return one small plot per panel on shared axes (e.g. one per city)."""
    spans = [span for span in map(_series_range, panels) if span is not None]
    if not spans:
        return _chart(
            "small_multiples",
            (tuple(panels), columns),
            title=title,
            description=description,
            draw=lambda figure: _no_data(figure, _("No values yet")),
            height=1.2,
        )
    span = (min(start for start, _end in spans), max(end for _start, end in spans))
    columns = max(1, min(columns, len(panels)))
    rows = math.ceil(len(panels) / columns)
    texts = _panel_texts()
    style_of = _style_map([s.label for p in panels for s in p.series if not s.emphasis])
    width = 6.4 if columns > 1 else 4.0
    legend_height = 0.45
    height = _TOP + 0.15 + 1.9 * rows + _BOTTOM + legend_height

    def draw(figure: Figure) -> None:
        grid = figure.subplots(
            rows,
            columns,
            sharex=True,
            sharey=True,
            squeeze=False,
            gridspec_kw={
                "left": _LEFT / width,
                "right": 1 - _RIGHT / width,
                "bottom": (_BOTTOM + legend_height) / height,
                "top": 1 - (_TOP + 0.15) / height,
                "hspace": 0.45,
                "wspace": 0.22,
            },
        )
        for index, axes in enumerate(grid.flat):
            if index >= len(panels):
                axes.set_axis_off()
                # The plot above it ends its column: it shows the years.
                if index - columns >= 0:
                    grid.flat[index - columns].xaxis.set_tick_params(labelbottom=True)
                continue
            _draw_panel(
                axes,
                panels[index],
                span=span,
                texts=texts,
                style_of=style_of,
                years=4 if columns > 1 else 8,
            )
            axes.tick_params(labelsize=7)
            if index % columns == 0 and panels[index].unit:
                axes.set_ylabel(_shorten(panels[index].unit, 24))
        # After all are drawn: setting a shared axis' locator shows its labels again.
        for index, axes in enumerate(grid.flat):
            if index % columns:
                axes.tick_params(labelleft=False)
        handles, names = grid.flat[0].get_legend_handles_labels()
        if handles:
            figure.legend(
                handles,
                names,
                loc="lower center",
                bbox_to_anchor=(0.5, 0.02 / height),
                frameon=False,
                fontsize=7,
                ncols=min(len(handles), 5),
            )

    return _chart(
        "small_multiples",
        (tuple(panels), columns),
        title=title,
        description=description,
        draw=draw,
        width=width,
        height=height,
        layout=None,
    )


# Progress towards the targets (a city's overview)


@dataclass(frozen=True)
class ProgressBar:
    """The share of the way from the baseline to the target, and the share expected."""

    label: str
    share: float | None
    expected: float | None = None


def progress_chart(
    *, title: str, description: str, bars: Sequence[ProgressBar]
) -> Chart:
    """Return bars of progress (0 % baseline, 100 % target) and the expected share."""
    if not bars:
        return _chart(
            "progress",
            tuple(bars),
            title=title,
            description=description,
            draw=lambda figure: _no_data(figure, _("No indicators")),
            height=1.2,
        )
    texts = {
        "progress": _("Progress towards the target"),
        "expected": _("Expected by now"),
        "target": _("Target"),
        "no_values": _("no values"),
    }
    shares = [bar.share for bar in bars if bar.share is not None]
    shares += [bar.expected for bar in bars if bar.expected is not None]
    low = min([0.0, *shares])
    high = max([1.0, *shares])

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        positions = list(range(len(bars)))
        for y, bar in zip(positions, bars, strict=True):
            if bar.share is None:
                axes.text(
                    0.01, y, texts["no_values"], va="center", color=MUTED, fontsize=8
                )
                continue
            axes.barh(y, bar.share, height=0.6, color=PALETTE[1])
        expected = [
            (bar.expected, y)
            for y, bar in zip(positions, bars, strict=True)
            if bar.expected is not None
        ]
        if expected:
            axes.plot(
                [share for share, _y in expected],
                [y for _share, y in expected],
                linestyle="none",
                marker="|",
                markersize=14,
                markeredgewidth=2.2,
                color=PALETTE[2],
                label=texts["expected"],
            )
        axes.barh([], [], color=PALETTE[1], label=texts["progress"])
        axes.set_yticks(positions, [_shorten(bar.label, 48) for bar in bars])
        axes.set_ylim(len(bars) - 0.5, -0.5)
        axes.set_xlim(low - 0.05, high + 0.05)
        axes.axvline(0, color=TEXT, linewidth=0.8)
        axes.axvline(
            1,
            color=TARGET,
            linewidth=1.2,
            linestyle=(0, (4, 2)),
            label=texts["target"],
        )
        axes.xaxis.set_major_formatter(
            FuncFormatter(lambda value, _pos: format_number(round(value * 100)) + " %")
        )
        axes.grid(axis="x", color=GRID, linewidth=0.8)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.legend(loc="outside lower center", frameon=False, fontsize=7, ncols=3)

    return _chart(
        "progress",
        tuple(bars),
        title=title,
        description=description,
        draw=draw,
        height=min(18.0, 1.2 + 0.3 * len(bars)),
    )
