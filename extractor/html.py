"""Plain text and metadata from a press-release web page.

:func:`html_to_text` is a pure function over markup: it parses with
BeautifulSoup's stdlib ``html.parser`` backend, drops page furniture
(scripts, navigation, headers, footers, cookie banners ...) and renders the
rest as text whose layout the sentence rules can use: a blank line between
blocks, one line per list item or table row, ``<br>`` as a line break.
"""
import datetime as _dt
import re
import warnings
from typing import Optional

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.builder import XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PreformattedString, Tag

# Elements whose content is never article text.
DROP_TAGS = frozenset(
    """
    script style noscript template nav header footer aside form button svg iframe
    head title meta link object embed canvas audio video map select textarea input
    """.split()
)
# Landmark roles equivalent to the dropped elements, plus menus and search boxes.
DROP_ROLES = frozenset(
    "navigation menu menubar menuitem banner contentinfo complementary search".split()
)
# Words of a class or id that mark navigation, menus, breadcrumbs, cookie
# banners and skip links ("main-nav", "breadcrumb", "cookieNotice", "skip-to-content").
_NOISE_WORDS = frozenset(
    """
    nav navs navi navbar navigation navmenu navlinks navlist
    menu menus menubar menuitem mainmenu submenu megamenu
    skip skiplink skiplinks skipnav skipto
    """.split()
)
_NOISE_PREFIXES = ("breadcrumb", "cookie")
# Never removed for their class, id or role: a theme that marks <body> or the
# article wrapper "menu-open" must not empty the page.
_PROTECTED = frozenset({"html", "body", "main", "article"})
_CONTENT = ("main", "article")

# Blocks are set off by a blank line; these by a single line break.
BLOCK_TAGS = frozenset(
    """
    address article blockquote body caption center details dialog div dl fieldset
    figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr html legend main
    menu ol p pre section summary table ul
    """.split()
)
LINE_TAGS = frozenset({"li", "dt", "dd", "tr", "thead", "tbody", "tfoot", "option"})
CELL_TAGS = frozenset({"td", "th"})

DATE_META = frozenset(
    {
        "date",
        "dc.date",
        "dc.date.issued",
        "dcterms.date",
        "dcterms.issued",
        "article:published_time",
        "pubdate",
        "datepublished",
    }
)
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?!\d)")
_SPACES = re.compile(r"\s+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


def iso_date(value: Optional[str]) -> Optional[str]:
    """The ISO date (``YYYY-MM-DD``) an ISO date or datetime string starts with.

    ``"2024-02-29T09:00:00+09:00"`` gives ``"2024-02-29"``; anything else,
    including impossible dates, gives ``None``.
    """
    if not value:
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    try:
        return _dt.date(*(int(group) for group in match.groups())).isoformat()
    except ValueError:
        return None


def html_to_text(markup: str) -> tuple[str, dict]:
    """The readable text of a web page and its metadata.

    Returns ``(text, meta)``. ``meta`` has ``"title"`` (the ``<title>``) and
    ``"release_date"`` (ISO date from a ``<meta name="date">``-like tag, else
    from the first ``<time datetime>`` in the kept content) when the page has
    them.
    """
    with warnings.catch_warnings():
        # Short markup that looks like a file name or URL, and XHTML, are
        # still HTML to read: bs4's advice warnings do not apply.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(markup, "html.parser")
    meta: dict = {}
    title = _title(soup)
    if title:
        meta["title"] = title
    writer = _Writer()
    time_date = _render(soup, writer)
    date = _meta_date(soup) or time_date
    if date:
        meta["release_date"] = date
    return writer.result(), meta


def _title(soup: BeautifulSoup) -> Optional[str]:
    tag = soup.head.find("title") if soup.head else None
    if tag is None:
        # An <svg> carries <title>s of its own: not the page's.
        tag = next((t for t in soup.find_all("title") if t.find_parent("svg") is None), None)
    if tag is None:
        return None
    return _SPACES.sub(" ", tag.get_text()).strip() or None


def _meta_date(soup: BeautifulSoup) -> Optional[str]:
    for tag in soup.find_all("meta"):
        key = tag.get("name") or tag.get("property") or tag.get("itemprop") or ""
        if key.strip().lower() in DATE_META:
            date = iso_date(tag.get("content"))
            if date:
                return date
    return None


def _is_noise(tag: Tag, *, in_content: bool) -> bool:
    name = tag.name
    if name in DROP_TAGS:
        # An article's own <header> holds its headline and date, not page furniture.
        return not (name == "header" and in_content)
    if name in _PROTECTED:
        return False
    words = set(str(tag.get("role") or "").lower().split())
    if words & DROP_ROLES:
        return tag.find(_CONTENT) is None
    labels = list(tag.get("class") or []) + [str(tag.get("id") or "")]
    for label in labels:
        for word in _WORD_SPLIT.split(_CAMEL.sub(r"\1 \2", label).lower()):
            if word in _NOISE_WORDS or word.startswith(_NOISE_PREFIXES):
                return tag.find(_CONTENT) is None
    return False


_EXIT = object()


def _render(soup: BeautifulSoup, writer: "_Writer") -> Optional[str]:
    """Write the kept text of ``soup``; return the first ``<time datetime>`` date in it."""
    time_date = None
    in_content = in_list = in_pre = 0
    # An explicit stack instead of recursion: scraped pages nest deeper than
    # Python's recursion limit.
    stack: list = [soup]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            _, tag = node
            name = tag.name
            in_content -= name in _CONTENT or tag.get("role") == "main"
            in_list -= name == "li"
            in_pre -= name == "pre"
            _break(tag, writer, in_list)
            continue
        if isinstance(node, NavigableString):
            if isinstance(node, PreformattedString):  # comments, doctype, CDATA
                continue
            if in_pre:
                for i, line in enumerate(str(node).split("\n")):
                    if i:
                        writer.newline()
                    writer.text(line)
            else:
                writer.text(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if node is not soup and _is_noise(node, in_content=in_content > 0):
            continue
        if name == "br":
            writer.newline()
            continue
        if name == "time" and time_date is None:
            time_date = iso_date(node.get("datetime"))
        _break(node, writer, in_list)
        if name in CELL_TAGS:
            writer.cell()
        in_content += name in _CONTENT or node.get("role") == "main"
        in_list += name == "li"
        in_pre += name == "pre"
        stack.append((_EXIT, node))
        stack.extend(reversed(node.contents))
    return time_date


def _break(tag: Tag, writer: "_Writer", in_list: int) -> None:
    if tag.name in LINE_TAGS or (tag.name in BLOCK_TAGS and in_list):
        writer.block(1)
    elif tag.name in BLOCK_TAGS:
        writer.block(2)


class _Writer:
    """Text with collapsed spaces and at most one blank line between blocks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = 0  # line breaks owed before the next text

    def text(self, value: str) -> None:
        value = _SPACES.sub(" ", value)
        if self.pending:
            value = value.lstrip(" ")
            if not value:
                return
            if self.parts:
                self._trim()
                self.parts.append("\n" * min(self.pending, 2))
            self.pending = 0
        elif not self.parts or self.parts[-1][-1] in " \t\n":
            value = value.lstrip(" ")
        if value:
            self.parts.append(value)

    def block(self, level: int) -> None:
        """A block boundary: breaks merge (``</p><p>`` is one blank line)."""
        self.pending = max(self.pending, level)

    def newline(self) -> None:
        """A ``<br>``: breaks add up (``<br><br>`` is a blank line)."""
        self.pending += 1

    def cell(self) -> None:
        if self.pending or not self.parts:
            return
        self._trim()
        if self.parts and not self.parts[-1].endswith(("\t", "\n")):
            self.parts.append("\t")

    def _trim(self) -> None:
        while self.parts:
            self.parts[-1] = self.parts[-1].rstrip(" ")
            if self.parts[-1]:
                return
            self.parts.pop()

    def result(self) -> str:
        self._trim()
        return "".join(self.parts).strip()
