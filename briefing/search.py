"""Search the archive: stored articles and the stories of the briefs built (SQLite FTS5, ranked by bm25),
each hit with its best matching sentence; a story's history, brief by brief; and the new articles that
mention the watchlist (``brief watch``).

A query is plain words (all must occur; "protests" finds "protest"), "quoted phrases", ``word*`` (a
prefix), ``OR`` between two terms, and ``-word`` or ``NOT word`` to exclude. Every term is quoted before it
reaches FTS5, so no input can be an FTS5 syntax error; what cannot be read (an unbalanced quote, an ``OR``
with nothing on one side, nothing to search for) is a ``QueryError`` with one clear line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from briefing.analyse.sentences import sentence_spans
from briefing.errors import ConfigError, QueryError
from briefing.models import Article, Excluded
from briefing.store import Store

if TYPE_CHECKING:
    from briefing.assemble.watch import WatchMatch
    from briefing.config import Config

MARKS = ("\x02", "\x03")  # around each matched word in the highlighted text from the store
_TOKEN = re.compile(r'\s*(?:(-?)"([^"]*)("?)|(\S+))')
_WORDISH = re.compile(r"\w")
_MARKED = re.compile("\x02([^\x03]*)\x03")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")  # a blank line, as in briefing.analyse.sentences
SHOWN_CHARS = 300  # a matching sentence printed (not in --json) is cut around its first match beyond this


@dataclass(frozen=True)
class _Term:
    text: str
    prefix: bool = False
    negated: bool = False

    def fts(self) -> str:
        return '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")


def fts_query(query: str) -> str:
    """The user's ``query`` as a safe FTS5 expression (see the module doc).

    Raises:
        QueryError: an unbalanced double quote, an ``OR`` without a term on each side, nothing to search for,
            or only excluded terms.
    """
    if query.count('"') % 2:
        raise QueryError(f'Unbalanced double quote in the query {query!r}: close the "quoted phrase" or drop the quote')
    groups: list[list[_Term]] = []  # OR-groups, all of which must match
    excluded: list[_Term] = []
    pending_or = pending_not = False
    for match in _TOKEN.finditer(query):
        minus, phrase, _, word = match.groups()
        if word == "AND":
            continue
        if word == "OR":
            if not groups or pending_or or pending_not:
                raise QueryError(f"OR needs a word or phrase on each side in the query {query!r}")
            pending_or = True
            continue
        if word == "NOT":
            pending_not = True
            continue
        if word is not None:
            minus, text, prefix = "", word, word.endswith("*")
            if word.startswith("-") and len(word) > 1:
                minus, text = "-", word[1:]
            text = text.rstrip("*") if prefix else text
        else:
            text, prefix = phrase, False
        if not _WORDISH.search(text or ""):
            continue  # punctuation alone ("-", "&", "!!!") finds nothing: ignored
        term = _Term(text, prefix, negated=bool(minus) or pending_not)
        if term.negated:
            if pending_or:
                raise QueryError(f"OR cannot join an excluded term in the query {query!r}")
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = pending_not = False
    if pending_or:
        raise QueryError(f"OR needs a word or phrase on each side in the query {query!r}")
    if pending_not:
        raise QueryError(f"NOT needs a word or phrase after it in the query {query!r}")
    if not groups:
        what = "only excluded terms" if excluded else "nothing to search for"
        raise QueryError(f'The query {query!r} has {what}: give a word or a "quoted phrase" to find')
    expression = " AND ".join(
        group[0].fts() if len(group) == 1 else "(" + " OR ".join(t.fts() for t in group) + ")" for group in groups
    )
    if excluded:
        expression = f"({expression}) NOT (" + " OR ".join(t.fts() for t in excluded) + ")"
    return expression


@dataclass(frozen=True)
class Hit:
    """One search result: a stored article or a story of a brief, with its best matching sentence."""

    kind: Literal["article", "story"]
    id: str  # the article's id (its URL or file), or the story's id
    day: date  # the day the article belongs to, or the day of the brief
    title: str  # the article's title, or the story's headline
    sentence: str  # the sentence (a key fact, an issue's question or evidence, a title) with the most matched words
    score: float  # bm25: lower is better
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    position: int | None = None  # the story's number in its brief (None: listed under "Also reported")
    link: str | None = None  # the story's permalink: the day's brief.html#story-ID
    matched: tuple[str, ...] = field(default=())  # the words that matched, as written in the sentence

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "day": self.day.isoformat(), "matched": list(self.matched)}


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without the match marks, and the (start, end) offsets of each matched word in it."""
    clean: list[str] = []
    spans: list[tuple[int, int]] = []
    length = last = 0
    for m in _MARKED.finditer(marked):
        before = marked[last:m.start()]
        clean.append(before)
        length += len(before)
        spans.append((length, length + len(m.group(1))))
        clean.append(m.group(1))
        length += len(m.group(1))
        last = m.end()
    clean.append(marked[last:])
    return "".join(clean), spans


def _best(candidates: Sequence[tuple[str, list[tuple[int, int]]]]) -> tuple[str, tuple[str, ...]]:
    """Of (sentence, match spans) pairs, the sentence with the most distinct matched words, then the most matches."""
    best, best_key = "", (0, 0)
    words: tuple[str, ...] = ()
    for sentence, spans in candidates:
        found = tuple(sentence[s:e] for s, e in spans)
        key = (len({w.lower() for w in found}), len(found))
        if key > best_key:
            best, best_key, words = sentence, key, found
    return best, tuple(dict.fromkeys(words))


def best_sentence(marked: str) -> tuple[str, tuple[str, ...]]:
    """The sentence of a highlighted text with the most matched words (verbatim), and those words."""
    text, spans = unmark(marked)
    if not spans:
        return "", ()
    candidates = []
    for first, last in _paragraphs(text):  # only the paragraphs with a match are split into sentences
        if not any(first <= s < last for s, _ in spans):
            continue
        for start, end in sentence_spans(text[first:last]):
            start, end = start + first, end + first
            inside = [(s - start, e - start) for s, e in spans if start <= s < end]
            if inside:
                candidates.append((text[start:end], inside))
    return _best(candidates)


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the paragraphs of ``text``, which no sentence crosses."""
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def best_line(*marked: str) -> tuple[str, tuple[str, ...]]:
    """The line (one sentence each) of highlighted texts with the most matched words, and those words."""
    candidates = [unmark(line) for text in marked for line in text.split("\n")]
    return _best([c for c in candidates if c[1]])


def search(store: Store, query: str, since: date | None = None, limit: int = 20,
           kinds: Sequence[str] = ("story", "article")) -> list[Hit]:
    """The ``limit`` best hits for ``query`` among stored articles and stories of briefs from ``since`` on.

    Articles and stories are ranked together by bm25 (lower first). Raises ``QueryError`` for a query that
    cannot be read.
    """
    match = fts_query(query)
    hits: list[Hit] = []
    if "article" in kinds:
        for row in store.search_articles(match, since, limit, MARKS):
            sentence, words = best_sentence(row["marked_text"])
            if not sentence:  # only the title matched
                sentence, words = best_line(row["marked_title"])
            hits.append(Hit("article", row["id"], date.fromisoformat(row["day"]), row["title"], sentence,
                            row["score"], row["outlet"], row["url"], row["published"], matched=words))
    if "story" in kinds:
        links: dict[str, str | None] = {}
        for row in store.search_stories(match, since, limit, MARKS):
            sentence, words = best_line(row["marked_facts"], row["marked_issues"])
            if not sentence:
                sentence, words = best_line(row["marked_headline"])
            if row["day"] not in links:
                html = [p for p in store.brief_paths(date.fromisoformat(row["day"])) if p.endswith(".html")]
                links[row["day"]] = html[0] if html else None
            link = f"{links[row['day']]}#story-{row['story_id']}" if links[row["day"]] else None
            hits.append(Hit("story", row["story_id"], date.fromisoformat(row["day"]), unmark(row["marked_headline"])[0],
                            sentence, row["score"], position=row["position"], link=link, matched=words))
    order = {"story": 0, "article": 1}
    return sorted(hits, key=lambda h: (h.score, order[h.kind], -h.day.toordinal(), h.id))[:limit]


def shown(sentence: str, words: Sequence[str], width: int = SHOWN_CHARS) -> str:
    """A sentence for the terminal: whole when short, else ``width`` characters around its first match."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= width:
        return sentence
    first = min((i for i in (sentence.find(w) for w in words) if i >= 0), default=0)
    start = max(0, min(first - width // 3, len(sentence) - width))
    cut = sentence[start:start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(sentence) else "")


def format_hit(hit: Hit) -> str:
    """Two lines: where the hit is (day, kind, id, title, outlet) and its matching sentence."""
    if hit.kind == "story":
        place = f"story {hit.position}" if hit.position else "also reported"
        head = f"{hit.day.isoformat()}  story {hit.id}  {hit.title}  ({place} of the brief)"
    else:
        head = f"{hit.day.isoformat()}  article  {hit.title}" + (f"  ({hit.outlet})" if hit.outlet else "")
    at = hit.link or hit.url or (hit.id if hit.kind == "article" else None)
    where = f"\n    {at}" if at else ""
    return f"{head}\n    {shown(hit.sentence, hit.matched)}{where}"


# ---- a story's history ----


@dataclass(frozen=True)
class Appearance:
    """A story as one brief had it."""

    day: date
    position: int | None  # its number in the brief (None: listed under "Also reported")
    story: dict[str, Any]  # as brief.json has it
    new_facts: tuple[str, ...]  # its key facts that its previous appearance did not have (all, the first time)
    link: str | None  # its permalink in the day's brief.html


def story_history(store: Store, ident: str) -> list[Appearance]:
    """Every brief's version of the story ``ident`` (its id, a unique prefix of it, or ``story-ID``), oldest first.

    Raises:
        QueryError: no brief has such a story, or the prefix fits several.
    """
    ident = ident.strip().removeprefix("#").removeprefix("story-")
    rows = store.story_appearances(ident) if ident else []
    if not rows and len(ident) >= 4:
        ids = store.story_ids(ident)
        if len(ids) > 1:
            raise QueryError(f"{ident!r} fits {len(ids)} stories ({', '.join(ids[:5])}{', …' if len(ids) > 5 else ''});"
                             " give more of the id")
        rows = store.story_appearances(ids[0]) if ids else []
    if not rows:
        raise QueryError(f"No brief in the store has a story {ident!r}; brief search WORDS lists stories with their ids")
    out: list[Appearance] = []
    before: set[str] | None = None
    for row in rows:
        facts = list(row["story"].get("key_facts") or [])
        html = next((p for p in row["paths"] if p.endswith(".html")), None)
        out.append(Appearance(row["day"], row["position"], row["story"],
                              tuple(f for f in facts if before is None or f not in before),
                              f"{html}#story-{row['story']['id']}" if html else None))
        before = set(facts) if facts or row["position"] else before  # an "also reported" entry has no facts
    return out


def format_history(appearances: Sequence[Appearance]) -> str:
    """A story's history day by day: status, headline, key facts (``+`` new since its previous brief), open
    issues with their status, sources."""
    last = appearances[-1]
    days = [a.day for a in appearances]
    lines = [f"Story {last.story['id']}: {last.story.get('headline', '')}",
             f"in {len(days)} {'brief' if len(days) == 1 else 'briefs'}, {days[0]} to {days[-1]}"]
    for k, a in enumerate(appearances):
        s = a.story
        status = (f"continuing since {s['continuing_since']}" if s.get("status") == "continuing" and s.get("continuing_since")
                  else s.get("status") or "listed")
        place = f"story {a.position}" if a.position else "also reported"
        lines += ["", f"{a.day} · {place} · {status}", f"  {s.get('headline', '')}"]
        if a.link:
            lines.append(f"  {a.link}")
        facts = s.get("key_facts") or []
        if facts:
            lines.append("  Key facts" + (" (+ new since the brief of " + str(appearances[k - 1].day) + ")" if k else "") + ":")
            lines += [f"    {'+' if k and f in a.new_facts else '-'} {f}" for f in facts]
        issues = s.get("open_issues") or []
        if issues:
            lines.append("  Open issues:")
            for i in issues:
                lines.append(f"    [{str(i.get('status', 'new')).replace('_', ' ')}] {i.get('topic', '')}: {i.get('question', '')}")
                if i.get("status") == "resolved" and i.get("evidence"):
                    lines.append(f"      settled: {i['evidence']}")
        outlets = list(dict.fromkeys(src.get("outlet") or src.get("name") or "" for src in s.get("sources") or []))
        if outlets:
            lines.append(f"  Sources: {', '.join(o for o in outlets if o)}")
    return "\n".join(lines) + "\n"



# ---- brief watch: new articles that mention the watchlist ----


@dataclass(frozen=True)
class WatchedArticle:
    """A newly stored article that mentions watched items."""

    article: Article
    matches: tuple[WatchMatch, ...]

    def as_json(self) -> dict[str, Any]:
        a = self.article
        return {"id": a.id, "title": a.title, "outlet": a.outlet, "url": a.url,
                "published": a.published.isoformat() if a.published else None,
                "stored": a.fetched.isoformat() if a.fetched else None,
                "watch": [{"item": m.item, "kind": m.kind, "matched": m.matched} for m in self.matches]}


def watch_new_articles(cfg: Config, store: Store, hours: float, now: datetime, *,
                       fetch: bool = True) -> tuple[list[WatchedArticle], list[Excluded]]:
    """The articles stored in the ``hours`` before ``now`` that mention an item of ``[watch]`` (matched as the
    brief's Watchlist matches, ``briefing.assemble.watch``), oldest first, and what could not be read or analysed.
    With ``fetch`` the sources are ingested first, so a cron job sees what arrived since its last run.

    Raises:
        ConfigError: the watchlist is empty.
    """
    from briefing.assemble.watch import match_analysis
    from briefing.build import analyse_all
    from briefing.ingest import ingest

    if not cfg.watch.items():
        raise ConfigError("The watchlist is empty: add actors, places or terms under [watch] in config.toml")
    excluded: list[Excluded] = []
    if fetch:
        excluded += ingest(cfg, store, now).excluded
    rows = store.articles_stored_since(now - timedelta(hours=hours))
    analyses, _, failed = analyse_all(cfg, store, rows)
    found = []
    for analysis in analyses:
        matches = match_analysis(analysis, cfg.watch)
        if matches:
            found.append(WatchedArticle(analysis.article, tuple(matches)))
    return found, excluded + failed


def format_watched(hit: WatchedArticle) -> str:
    """Where and when the article is, and which watched items it mentions (as what)."""
    a = hit.article
    when = a.fetched.strftime("%Y-%m-%d %H:%M") if a.fetched else ""
    watched = "; ".join(f"{m.item} ({m.kind})" + (f" as {m.matched!r}" if m.matched != m.item else "")
                        for m in hit.matches)
    return f"{when}  {a.title}" + (f"  ({a.outlet})" if a.outlet else "") + f"\n    watch: {watched}\n    {a.url or a.id}"
