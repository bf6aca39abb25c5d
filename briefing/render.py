"""Render: the brief as HTML (Jinja2), PDF (WeasyPrint), Markdown and JSON, written atomically.

Article text is untrusted: templates autoescape and use ``StrictUndefined``. WeasyPrint gets a URL
fetcher that serves only files of the template folders, so a brief never reaches the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from importlib.metadata import version as _version
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse

import jinja2
from markupsafe import Markup

from briefing import __version__
from briefing.analyse.actors import index_actors
from briefing.assemble import outlet_of
from briefing.errors import RenderError
from briefing.models import Actor, Brief, OpenIssue, Story

logger = logging.getLogger(__name__)

BUILTIN_TEMPLATES = Path(str(files("briefing.templates")))
MAX_ACTORS_SHOWN = 12  # per story in the PDF/HTML; brief.json and the index of actors have them all
# The PDF's lists that grow with the day are capped (brief.html and brief.json have them all; a line in the PDF says
# how many more): the index of actors keeps the actors of most stories, "Also reported" the best-ranked stories.
MAX_INDEX_PDF = 150
MAX_MORE_PDF = 40
DIGEST_FILE = "brief.digest.json"  # beside the outputs: what each file was rendered from (``write_brief``)
MAX_TITLE_CHARS = 300  # a displayed title or headline is cut (at a word) beyond this
LINK_SCHEMES = ("http", "https")  # other URLs (javascript:, file:, data:) are shown as text, never as links
# Characters that Markdown or the HTML inside it would read as markup, escaped in brief.md.
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>&|~"})


def link_url(url: str | None) -> str:
    """``url`` if it may become a link (an absolute http or https URL), else the empty string."""
    if not url:
        return ""
    try:
        parsed = urlparse(url.strip())
    except ValueError:
        return ""
    return url.strip() if parsed.scheme.lower() in LINK_SCHEMES and parsed.netloc else ""


def markdown_text(value: Any) -> Any:
    """Any value put into brief.md, as literal text: whitespace collapsed, Markdown and HTML characters escaped."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return " ".join(value.split()).translate(_MARKDOWN_SPECIAL)


def markdown_url(url: str | None) -> Markup:
    """A link destination for brief.md: an http(s) URL with the characters that would end it percent-encoded."""
    return Markup(quote(link_url(url), safe=":/?#@!$&'*+,;=%~-._"))


def display_title(title: str) -> str:
    """A title as shown: at most ``MAX_TITLE_CHARS`` characters, cut at a word with "…"."""
    title = " ".join(title.split())
    if len(title) <= MAX_TITLE_CHARS:
        return title
    return title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def template_dirs(user_dir: Path | None = None) -> list[Path]:
    """The folders searched for templates: the user's first, then the built-in one."""
    return [d for d in (user_dir, BUILTIN_TEMPLATES) if d is not None]


def environment(
    user_dir: Path | None = None, *, autoescape: bool = True, markdown: bool = False
) -> jinja2.Environment:
    """The templates' environment; ``markdown`` escapes every value as Markdown text (``markdown_text``)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(user_dir)]),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=markdown_text if markdown else None,
    )
    env.filters["longdate"] = lambda d: f"{d:%A} {d.day} {d:%B %Y}"
    env.filters["when"] = when
    env.filters["shortdate"] = short_date
    env.filters["link_url"] = link_url
    env.filters["markdown_url"] = markdown_url
    return env


def short_date(iso: str) -> str:
    """An ISO date as the desk's sections show it: "Fri 1 Aug 2008"."""
    day = date.fromisoformat(iso)
    return f"{day:%a} {day.day} {day:%b %Y}"


def when(iso: str | None) -> str:
    """An ISO time as the reader wants it: the date, and the time only when there is one."""
    if not iso:
        return ""
    value = datetime.fromisoformat(iso)
    return value.strftime("%-d %b %Y") if (value.hour, value.minute) == (0, 0) else value.strftime("%-d %b %Y %H:%M %Z").strip()


# ---- the brief as plain data (brief.json, and the context of every template) ----


def _actor(a: Actor) -> dict[str, Any]:
    return {"name": a.name, "type": a.type, "role": a.role, "aliases": list(a.aliases), "mentions": a.mentions}


def _issue(i: OpenIssue) -> dict[str, Any]:
    return {"topic": i.topic, "question": i.question, "evidence": i.evidence, "status": i.status}


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def story_sources(story: Story) -> list[dict[str, Any]]:
    """The sources of a story: the ones assemble recorded, else one per analysed article."""
    listed = story.sources or [
        {"outlet": a.article.outlet, "name": a.article.source, "title": a.article.title, "url": a.article.url,
         "published": _iso(a.article.published)}
        for a in story.analyses
    ]
    return [{**s, "outlet": outlet_of(s), "title": display_title(s.get("title") or "")} for s in listed]


def story_facts(story: Story) -> list[dict[str, Any]]:
    """The story's key facts with their outlets and corroboration (``facts`` in brief.json); one per key fact.

    ``outlets`` counts the outlets whose articles state the fact, ``independent`` the reports among them
    that are not near-copies of one another, ``attributed_to`` who the sentence says asserts it (or null).
    """
    if story.facts:
        return [{"text": f.text, "outlet": f.outlet, "url": f.url, "outlets": f.outlets, "independent": f.independent,
                 "attributed_to": f.attributed_to} for f in story.facts]
    outlet = outlet_of(story_sources(story)[0]) if story.sources or story.analyses else ""
    return [{"text": text, "outlet": outlet, "url": None, "outlets": 1, "independent": 1, "attributed_to": None}
            for text in story.key_facts]


def story_discrepancies(story: Story) -> list[dict[str, Any]]:
    """Where the story's articles give different numbers for the same thing (``discrepancies`` in brief.json)."""
    return [
        {"about": d.about,
         "claims": [{"text": c.text, "outlet": c.outlet, "url": c.url, "value": c.value} for c in d.claims]}
        for d in story.discrepancies
    ]


def story_related(story: Story) -> list[dict[str, Any]]:
    """Reports grouped with the story whose evidence for its event is weak (``related`` in brief.json): their
    headline, outlet and URL; their facts are not among the story's."""
    return [{"headline": display_title(r.get("headline") or ""), "outlet": r.get("outlet") or "", "url": r.get("url")}
            for r in story.related]


def brief_data(brief: Brief) -> dict[str, Any]:
    """The brief as JSON-ready data, in the shape DESIGN.md gives for ``brief.json``."""
    return {
        "title": brief.title,
        "date": brief.date.isoformat(),
        "generated": brief.generated.isoformat(timespec="seconds"),
        "top_lines": list(brief.top_lines),
        "stories": [
            {
                "id": s.id,
                "headline": display_title(s.headline),
                "status": s.status,
                "continuing_since": _iso(s.continuing_since),
                "score": s.score,
                "key_facts": list(s.key_facts),
                "new_facts": list(s.new_facts),
                "new_since": _iso(s.new_since),
                "facts": story_facts(s),
                "discrepancies": story_discrepancies(s),
                "open_issues": [_issue(i) for i in s.open_issues],
                "actors": [_actor(a) for a in s.actors],
                "sources": story_sources(s),
                "related": story_related(s),
            }
            for s in brief.stories
        ],
        "more_stories": [
            {"id": s.id, "headline": display_title(s.headline), "sources": story_sources(s)} for s in brief.more_stories
        ],
        "excluded": [{"source": e.source, "item": e.item, "error": e.error} for e in brief.excluded],
        **desk_data(brief),
    }


def desk_data(brief: Brief) -> dict[str, Any]:
    """The desk's keys of brief.json: ``watchlist``, ``calendar`` and ``gone_quiet`` (DESIGN.md "JSON brief")."""
    return {
        "watchlist": [{"item": w.item, "kind": w.kind, "stories": list(w.stories), "matched": list(w.matched)}
                      for w in brief.watchlist],
        "calendar": [
            {"date": e.date.isoformat(), "what": e.what, "story": e.story, "outlet": e.outlet, "url": e.url,
             "when": e.when, "issues": [{"topic": i.topic, "question": i.question} for i in e.issues]}
            for e in brief.calendar
        ],
        "gone_quiet": [{"story": q.story, "headline": display_title(q.headline), "last_reported": q.last_reported.isoformat()}
                       for q in brief.gone_quiet],
    }


def actor_index(brief: Brief) -> list[dict[str, Any]]:
    """Actors across the day's stories, aliases merged: name, type, role and the stories (by number) they appear in."""
    merged = index_actors([story.actors for story in brief.stories])
    entries = [
        {"name": a.name, "type": a.type, "role": a.role, "stories": [n + 1 for n in numbers]} for a, numbers in merged
    ]
    return sorted(entries, key=lambda e: e["name"].lower())


def print_index(entries: list[dict[str, Any]], cap: int = MAX_INDEX_PDF) -> list[dict[str, Any]]:
    """The index of actors as the PDF shows it: the ``cap`` entries of most stories (ties by name), by name."""
    if len(entries) <= cap:
        return entries
    kept = sorted(entries, key=lambda e: (-len(e["stories"]), e["name"].lower()))[:cap]
    return sorted(kept, key=lambda e: e["name"].lower())


def issue_table(brief: Brief) -> list[dict[str, Any]]:
    """The day's open issues with their story, new first, then carried over, then resolved."""
    order = {"new": 0, "carried_over": 1, "resolved": 2}
    rows = [
        {**_issue(issue), "story": number, "headline": story.headline}
        for number, story in enumerate(brief.stories, start=1)
        for issue in story.open_issues
    ]
    return sorted(rows, key=lambda r: (order[r["status"]], r["story"]))


def context(brief: Brief) -> dict[str, Any]:
    """What every template gets; built once per brief (``write_brief``) and shared by the formats."""
    data = brief_data(brief)
    index = actor_index(brief)
    return {
        "brief": data,
        "date": brief.date,
        "generated": brief.generated,
        "actor_index": index,
        "print_index": print_index(index),  # the PDF's (``for_print``) index of actors
        "max_more_pdf": MAX_MORE_PDF,  # the PDF's "Also reported" stories
        "issue_table": issue_table(brief),
        "counts": {
            "stories": len(brief.stories),
            "articles": sum(len(s.analyses) for s in brief.stories + brief.more_stories),
            "sources": len({src["outlet"] for s in data["stories"] for src in s["sources"]}),
            "open_issues": sum(len(s.open_issues) for s in brief.stories),
        },
        "generator": f"briefing {__version__}",
        "max_actors": MAX_ACTORS_SHOWN,
        "story_numbers": {s.id: n for n, s in enumerate(brief.stories, start=1)},  # the desk's sections link stories
        "headlines": {s.id: display_title(s.headline) for s in brief.stories + brief.more_stories},
    }


# ---- formats ----


# Each renderer takes the brief's ``context`` when the caller has it (``write_brief`` builds it once for all formats).


def render_html(
    brief: Brief, user_dir: Path | None = None, *, for_print: bool = False, ctx: dict[str, Any] | None = None
) -> str:
    """brief.html; ``for_print`` is the PDF's HTML (source URLs shown, the growing lists capped)."""
    values = ctx if ctx is not None else context(brief)
    return environment(user_dir).get_template("brief.html").render(**values, for_print=for_print)


def render_markdown(brief: Brief, user_dir: Path | None = None, *, ctx: dict[str, Any] | None = None) -> str:
    values = ctx if ctx is not None else context(brief)
    return environment(user_dir, autoescape=False, markdown=True).get_template("brief.md").render(**values)


def render_json(brief: Brief, user_dir: Path | None = None, *, ctx: dict[str, Any] | None = None) -> str:
    data = ctx["brief"] if ctx is not None else brief_data(brief)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _restricted_fetcher(allowed: list[Path]):  # type: ignore[no-untyped-def]
    """A WeasyPrint URL fetcher that serves only files inside ``allowed`` folders."""
    from weasyprint.urls import URLFetcher

    roots = [d.resolve() for d in allowed]

    class TemplateOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
            if path is None or not any(path.is_relative_to(r) for r in roots):
                raise ValueError(f"refusing to fetch {url}: briefs load only their template assets")
            return super().fetch(url, headers)

    return TemplateOnlyFetcher()


def render_pdf(brief: Brief, user_dir: Path | None = None, *, ctx: dict[str, Any] | None = None) -> bytes:
    """Render the brief to PDF bytes. Raises ``RenderError`` when WeasyPrint fails."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # pango or fonts missing on the machine
        raise RenderError(f"WeasyPrint cannot start ({exc}); install pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0") from exc
    html = render_html(brief, user_dir, for_print=True, ctx=ctx)
    dirs = template_dirs(user_dir)
    try:
        document = HTML(string=html, base_url=dirs[-1].as_uri() + "/", url_fetcher=_restricted_fetcher(dirs))
        return document.write_pdf(pdf_variant=None)  # type: ignore[no-any-return]
    except Exception as exc:  # WeasyPrint raises many types; the brief must fail with one clear error
        raise RenderError(f"PDF rendering failed: {exc}") from exc


RENDERERS: dict[str, tuple[str, Callable[..., str | bytes]]] = {  # called as (brief, user_dir, ctx=...)
    "html": ("brief.html", render_html),
    "pdf": ("brief.pdf", render_pdf),
    "md": ("brief.md", render_markdown),
    "json": ("brief.json", render_json),
}


def _umask() -> int:
    """The process's umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a file so that readers see the old version or the new one, never half of it. The file gets the
    permissions a plain open() would give it (mkstemp's are 0600: a web server could not serve the brief)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_digest(ctx: dict[str, Any], user_dir: Path | None = None) -> str:
    """A hash of what the files of a brief are rendered from: its data without the time it was generated, every
    file of the template folders (fonts too), this module and the versions of briefing and WeasyPrint."""
    digest = hashlib.sha256()
    data = {**ctx, "generated": None, "brief": {**ctx["brief"], "generated": None}}
    digest.update(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
    digest.update(f"\0{__version__}\0{_version('weasyprint')}\0".encode())
    digest.update(Path(__file__).read_bytes())
    for folder in template_dirs(user_dir):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"\0{path.relative_to(folder)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stored_digests(day_dir: Path) -> dict[str, str]:
    """The digest each format's file was rendered from, as ``write_brief`` recorded it (none if unreadable)."""
    try:
        stored = json.loads((day_dir / DIGEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in stored.items() if isinstance(v, str)} if isinstance(stored, dict) else {}


def write_brief(brief: Brief, out_dir: Path, formats: list[str], user_dir: Path | None = None) -> dict[str, Path]:
    """Render ``brief`` in each format into ``out_dir/YYYY-MM-DD/``; return the paths written by format.

    A format whose file is there and was rendered from the same data and templates (``render_digest``, recorded in
    ``DIGEST_FILE``) is kept as it is: a rebuild of an unchanged day renders nothing. A format about to be
    rendered is struck from the record first, so a build cut short never leaves a file the record vouches for
    wrongly.
    """
    day_dir = out_dir / brief.date.isoformat()
    ctx = context(brief)
    digest = render_digest(ctx, user_dir)
    stored = _stored_digests(day_dir)
    todo = [f for f in formats if stored.get(f) != digest or not (day_dir / RENDERERS[f][0]).is_file()]
    if any(f in stored for f in todo):
        write_atomic(day_dir / DIGEST_FILE, json.dumps({k: v for k, v in stored.items() if k not in todo}) + "\n")
    written: dict[str, Path] = {}
    for fmt in formats:
        filename, renderer = RENDERERS[fmt]
        written[fmt] = day_dir / filename
        if fmt not in todo:
            logger.info("unchanged, kept %s", day_dir / filename)
            continue
        try:
            content = renderer(brief, user_dir, ctx=ctx)
        except jinja2.TemplateError as exc:
            raise RenderError(f"template error in {fmt} output: {exc}") from exc
        write_atomic(day_dir / filename, content)
        logger.info("wrote %s", day_dir / filename)
    if todo:
        record = {k: v for k, v in _stored_digests(day_dir).items() if k not in todo} | dict.fromkeys(todo, digest)
        write_atomic(day_dir / DIGEST_FILE, json.dumps(record, sort_keys=True) + "\n")
    return written
