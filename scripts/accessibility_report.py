"""Write docs/accessibility.md from the results the accessibility tests leave.

`make a11y-report` runs tests/e2e/test_accessibility.py, whose every page writes a line
to var/accessibility/results-*.jsonl, then this script: one row per page, one column
per language and width, the violations by impact or "no violations".
"""

import datetime
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.accessibility import (  # noqa: E402
    IMPACT_ORDER,
    LANGUAGES,
    PAGES,
    RESULTS_DIR,
    WCAG_TAGS,
    WIDTHS,
)

OUTPUT = ROOT / "docs" / "accessibility.md"


def _cell(result: dict | None) -> str:
    if result is None:
        return "–"
    counts = Counter(violation["impact"] for violation in result["violations"])
    if not counts:
        return "no violations"
    return ", ".join(
        f"{counts[impact]} {impact}" for impact in IMPACT_ORDER if counts[impact]
    )


def main() -> int:
    results = {}
    for path in sorted(RESULTS_DIR.glob("results-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            result = json.loads(line)
            results[result["page"], result["language"], result["width"]] = result
    if not results:
        print(f"No results under {RESULTS_DIR}: run the accessibility tests first.")
        return 1
    versions = sorted({r["axe"] for r in results.values() if r.get("axe")})
    day = max(r["at"] for r in results.values())[:10]
    columns = [(language, width) for language in LANGUAGES for width in WIDTHS]
    lines = [
        "# Accessibility test results",
        "",
        "Written by `make a11y-report` from the automated pass of "
        "`tests/e2e/test_accessibility.py`; do not edit by hand.",
        "",
        f"- Date: {datetime.date.fromisoformat(day):%-d.%-m.%Y}",
        f"- axe-core: {', '.join(versions) or 'unknown'} "
        f"(rules tagged {', '.join(WCAG_TAGS)}: WCAG 2.1 levels A and AA)",
        "- Data: the example data of `bootstrap_alliance --demo`, each page seen by "
        "the role named in brackets",
        "- The tests fail on any violation of impact serious or critical, on a page "
        "without exactly one `h1`, and on a hovered or focused button or link whose "
        "text contrast is below 4.5:1.",
        "- Each page is loaded once and checked at 1 280 px, then again after the "
        "window is narrowed to 375 px; – marks a page with no result at that width.",
        "",
        "| Page (role) | "
        + " | ".join(f"{language} {width} px" for language, width in columns)
        + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    details = []
    for page in PAGES:
        row = [f"{page.key} ({page.role})"]
        for language, width in columns:
            result = results.get((page.key, language, width))
            row.append(_cell(result))
            for violation in (result or {}).get("violations", []):
                details.append(
                    f"- {page.key}, {language}, {width} px: **{violation['impact']}** "
                    f"`{violation['id']}` — {violation['help']} "
                    f"({', '.join(f'`{t}`' for t in violation['targets'])})"
                )
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Violations", ""]
    lines += details or ["None of any impact."]
    lines += [
        "",
        "## Not covered by the automated pass",
        "",
        "Automated rules find a part of the WCAG failures only. Known limits are "
        "listed in the service's accessibility statement (`/accessibility/`): the "
        "PDF documents' passages in another language than the document's are "
        "announced in the document's language, the Word files and uploaded "
        "attachments are not checked, and nothing has yet been tested with a screen "
        "reader.",
        "",
    ]
    OUTPUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"Wrote {OUTPUT.relative_to(ROOT)} ({len(results)} page results).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
