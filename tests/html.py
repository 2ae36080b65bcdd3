"""Reading the pages the tests get back."""

from html.parser import HTMLParser


class RowCounter(HTMLParser):
    """Count the elements marked `data-row="<kind>"`, and the history entries."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        self.count = 0
        self._open = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.kind == "history":
            parent = self._open[-1] if self._open else None
            in_history = any(
                name == "section" and "history" in classes.split()
                for name, classes in self._open
            )
            if tag == "li" and in_history and parent and parent[0] == "ol":
                self.count += 1
        elif attributes.get("data-row") == self.kind:
            self.count += 1
        if tag not in {"br", "img", "input", "meta", "link", "hr"}:
            self._open.append((tag, attributes.get("class") or ""))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break


def rendered_rows(response, kind) -> int:
    """Return how many rows of `kind` the page shows ("history": its entries)."""
    counter = RowCounter(kind)
    counter.feed(response.content.decode())
    return counter.count
