"""The archive of the briefs built: ``OUT/index.html`` (every brief, newest first, with its story count,
top lines, headlines linked to their permalinks and its files) and the Atom feed ``OUT/briefs.atom``.

Both are rebuilt after each build from the store's record of the briefs built (``Store.brief_summaries``),
keeping the briefs whose files lie in the output folder and still exist: a brief built into another ``--out``
folder, or whose files were deleted, is not listed. Links are relative to the output folder, so the folder
can be served or copied as it is. Both files are written atomically.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2

from briefing import __version__
from briefing.errors import RenderError
from briefing.render import environment, write_atomic
from briefing.store import Store

INDEX = "index.html"
FEED = "briefs.atom"
ATOM = "http://www.w3.org/2005/Atom"
FORMAT_ORDER = ("html", "pdf", "md", "json")
_SUFFIX = {".html": "html", ".pdf": "pdf", ".md": "md", ".json": "json"}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # characters XML 1.0 cannot carry


@dataclass(frozen=True)
class Entry:
    """One brief of the archive."""

    day: date
    title: str
    generated: datetime
    top_lines: tuple[str, ...]
    stories: tuple[dict[str, str], ...]  # {"id", "headline"} in the brief's order
    more_stories: int  # listed under "Also reported"
    files: dict[str, str]  # format → path relative to the output folder

    @property
    def page(self) -> str | None:
        """The brief to link to: its HTML, else its PDF, else whatever was written."""
        return next((self.files[f] for f in FORMAT_ORDER if f in self.files), None)


def archive_entries(store: Store, out_dir: Path) -> list[Entry]:
    """The briefs built whose files exist in ``out_dir``, newest first."""
    base = out_dir.resolve()
    entries = []
    for row in store.brief_summaries():
        files: dict[str, str] = {}
        for path in row["paths"]:
            full = Path(path).resolve()
            fmt = _SUFFIX.get(full.suffix)
            if fmt and full.is_relative_to(base) and full.is_file():
                files[fmt] = full.relative_to(base).as_posix()
        if not files:
            continue
        try:
            generated = datetime.fromisoformat(row["generated"] or row["built"])
        except ValueError:
            generated = datetime.fromisoformat(row["built"])
        entries.append(Entry(
            day=row["day"], title=row["title"] or "Daily Brief",
            generated=generated if generated.tzinfo else generated.replace(tzinfo=UTC),
            top_lines=tuple(row["top_lines"]), stories=tuple(s for s in row["stories"] if s.get("id")),
            more_stories=int(row["more_stories"]), files=dict(sorted(files.items(), key=lambda f: FORMAT_ORDER.index(f[0]))),
        ))
    return entries


def _clean(entry: Entry) -> Entry:
    """The entry without the control characters that neither XML nor HTML may carry (article text is untrusted)."""
    return replace(
        entry, title=_xml_text(entry.title), top_lines=tuple(_xml_text(line) for line in entry.top_lines),
        stories=tuple({k: _xml_text(str(v)) for k, v in s.items()} for s in entry.stories),
    )


def render_index(entries: Sequence[Entry], title: str, user_dir: Path | None = None) -> str:
    """The archive page (``templates/index.html``, or the user's own in ``templates_dir``)."""
    try:
        return environment(user_dir).get_template(INDEX).render(
            title=_xml_text(title), entries=[_clean(e) for e in entries], feed=FEED, generator=f"briefing {__version__}",
        )
    except jinja2.TemplateError as exc:
        raise RenderError(f"template error in {INDEX}: {exc}") from exc


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _feed_id(name: str) -> str:
    """A permanent id: the same brief title (and day) gives the same id on every rebuild."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'briefing:' + name)}"


def atom_feed(entries: Sequence[Entry], title: str) -> bytes:
    """The Atom feed of the briefs (RFC 4287): one entry per brief, its summary the brief's top lines."""
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _xml_text(v) for k, v in attrs.items()})
        if text is not None:
            element.text = _xml_text(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    add(feed, "title", title)
    add(feed, "id", _feed_id(title))
    newest = max((e.generated for e in entries), default=datetime(1970, 1, 1, tzinfo=UTC))
    add(feed, "updated", newest.isoformat(timespec="seconds"))
    add(feed, "link", rel="alternate", type="text/html", href=INDEX)
    author = add(feed, "author")
    add(author, "name", title)
    add(feed, "generator", "briefing", version=__version__)
    for e in entries:
        entry = add(feed, "entry")
        add(entry, "title", f"{e.title} — {e.day:%A} {e.day.day} {e.day:%B %Y}")
        add(entry, "id", _feed_id(f"{title}:{e.day.isoformat()}"))
        add(entry, "updated", e.generated.isoformat(timespec="seconds"))
        if e.page:
            add(entry, "link", rel="alternate", type="text/html" if e.page.endswith(".html") else "application/pdf",
                href=e.page)
        if "pdf" in e.files and e.page != e.files["pdf"]:
            add(entry, "link", rel="enclosure", type="application/pdf", href=e.files["pdf"])
        count = f"{len(e.stories)} {'story' if len(e.stories) == 1 else 'stories'}"
        add(entry, "summary", "\n".join(e.top_lines) or count, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def write_archive(store: Store, out_dir: Path, title: str, user_dir: Path | None = None) -> dict[str, Path]:
    """Rewrite ``out_dir/index.html`` and ``out_dir/briefs.atom`` from the briefs built; return their paths."""
    entries = archive_entries(store, out_dir)
    paths = {"index": out_dir / INDEX, "atom": out_dir / FEED}
    write_atomic(paths["index"], render_index(entries, title, user_dir))
    write_atomic(paths["atom"], atom_feed(entries, title))
    return paths
