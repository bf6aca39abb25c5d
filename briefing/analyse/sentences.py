"""Sentence splitting with no downloaded data (words are ``briefing.words``'s).

A rule-based splitter tuned for English news. Every sentence returned is an exact substring of the input
text (offsets into it), so key facts stay verbatim. The work is linear in the length of the text: candidate
terminators are found by simple regular expressions and each is judged by looking at the token before it and
the word after it, never by backtracking over the text.

How text is cut, in order:

1. Blank lines (paragraphs) always end a sentence.
2. A single line break ends a sentence when the line ends with terminal punctuation, or when the next line
   starts with anything but a lower-case letter (a heading or title line without a full stop). A paragraph
   whose lines mostly end without punctuation and are of similar length is taken as hard-wrapped text: its
   line breaks are plain spaces.
3. Within a line, a run of ``. ! ? …`` (with closing quotes or brackets after it) followed by white space is a
   boundary unless the rules below say otherwise: the next word starts with a lower-case letter; the token is
   a title (``Mr. Dr. Gen.``), an initial (``J. R. R. Tolkien``), a list marker (``1.``, ``a)``), a number
   abbreviation before a number (``No. 10``, ``p. 55``), a month before a day (``Aug. 5``); or it sits inside
   a short double-quoted span (``said "Go. Now" and left`` stays whole, so a quotation is never cut into
   pieces with dangling quote marks). Abbreviations that may also end a sentence (``Inc. Co. Jr. etc. U.S.
   a.m.``) end one only when the next word is a common sentence opener (``The``, ``He``, ``It``, ``How``...).
4. Numbered or lettered lists written inline (``1. first 2. second``) and bullets (``•``) start new sentences.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from itertools import pairwise

from briefing.words import tokenize

logger = logging.getLogger(__name__)

# A terminator run: full stops (possibly spaced, as in ". . ."), or ! ? … mixed with them, then closing
# quotes or brackets, then white space or the end. Linear: every quantified part starts with a distinct class.
_CLOSERS = "\"'”’)]»"
_TERM = re.compile(r"(?:[.!?…](?: ?[.!?…])*)[\"'”’)\]»]*(?=\s|$)")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_QUOTE = re.compile(r"[\"“”«»]")
_BULLETS = "•⁃▪●◦‣"
_LIST_BULLETS = _BULLETS + "-*–—"  # a line starting with one of these is a list item
_BULLET = re.compile(r"\s[•⁃▪●◦‣]")
_LIST_START = re.compile(r"\s*(?:[•⁃▪●◦‣]\s*)?(\d{1,3}|[a-zA-Z])(\.\)|\)|\.)\s")
_MARKER = re.compile(r"^(?:\d{1,3}|[a-zA-Z])(?:\.\)|\)|\.)?$")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_OPENERS = "\"'“‘([«"
_SOFT_LINE_END = ",;(-–—&/"
_MAX_QUOTE = 300  # a closed double-quoted span longer than this may be split inside
_LOOKBACK = 64  # how far back the token before a terminator is looked for

# Titles and other abbreviations that come before a name: never the end of a sentence.
_PRENOMINAL = frozenset(
    """mr mrs ms messrs mme mlle dr prof gen sen sens rep reps gov lt col adm capt cmdr cdr sgt maj cpl pvt brig
    st mt ft rev hon pres supt insp det amb atty rt fr gens vs viz cf""".split()
)
# Abbreviations followed by a number: "No. 10", "p. 55", "N°. 1026".
_NUMBER_ABBR = frozenset("no nos nº n° p pp vol vols fig figs art ch sec para op tel ex".split())
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Abbreviations that often end a sentence too: a boundary only when a sentence opener follows.
_POST_ABBR = frozenset(
    """inc co corp ltd llc plc jr sr bros etc al esq dept univ assn govt approx est ave blvd rd hwy mfg intl""".split()
)
_NEVER_DOTTED = frozenset({"e.g", "i.e", "c.f", "v.s", "a.k.a"})
# Words that commonly open a sentence in news; used only after an ambiguous abbreviation.
_STARTERS = frozenset(
    """The A An He She It They We I You This That These Those There Then But And Or So Yet In On At As By For From
    To With After Before During While When Where What Why How Who Whom Whose Which If Although Though Since Because
    However Meanwhile Also Still Now His Her Its Their Our My Your Some Many Most All Both Each One Another Other
    Such No Not Nor Only Even Last Next Earlier Later Instead Indeed Is Are Was Were Do Does Did Can Will Would
    Should Could Has Have Had Let Please Here Today Yesterday Thus Moreover Furthermore Despite According Under
    Over About Among Between Against Until Unless Whether Officials Analysts""".split()
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of each sentence of ``text``.

    Each span is stripped of surrounding white space and is never empty; spans are in order and do not overlap.
    """
    spans: list[tuple[int, int]] = []
    for seg_start, seg_end in _segments(text):
        segment = text[seg_start:seg_end]
        start = 0
        for cut in _cuts(segment):
            _add_span(spans, segment, seg_start, start, cut)
            start = cut
        _add_span(spans, segment, seg_start, start, len(segment))
    return spans


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, each a verbatim substring of it."""
    return [text[s:e] for s, e in sentence_spans(text)]


class Tokenizer:
    """The tokenizer object sumy expects: ``language``, ``to_sentences`` and ``to_words``."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(tokenize(sentence))


def _add_span(spans: list[tuple[int, int]], segment: str, offset: int, start: int, end: int) -> None:
    """Append segment[start:end], stripped, as a span of the whole text."""
    chunk = segment[start:end]
    stripped = chunk.strip()
    if stripped:
        s = start + len(chunk) - len(chunk.lstrip())
        spans.append((offset + s, offset + s + len(stripped)))


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of the parts of ``text`` that no sentence crosses: paragraphs and hard line breaks."""
    start = 0
    for m in _BLANK_LINE.finditer(text):
        yield from _line_segments(text, start, m.start())
        start = m.end()
    yield from _line_segments(text, start, len(text))


def _line_segments(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split one paragraph at the line breaks that end a sentence (see the module docstring)."""
    if text.find("\n", start, end) < 0:
        yield start, end
        return
    lines: list[tuple[int, int]] = []
    pos = start
    while True:
        nl = text.find("\n", pos, end)
        if nl < 0:
            lines.append((pos, end))
            break
        lines.append((pos, nl))
        pos = nl + 1
    if _is_wrapped(text, lines):
        yield start, end
        return
    seg_start = start
    for (a, b), (c, d) in pairwise(lines):
        prev = text[a:b].rstrip()
        nxt = text[c:d].lstrip()
        if not prev or not nxt:
            continue
        if nxt[0] in _CLOSERS or nxt[0] in ".,;:!?":
            continue  # a line starting with closing punctuation belongs to the previous one
        if (
            nxt[0] in _LIST_BULLETS
            or _ends_with_terminal(prev)
            or (not nxt[0].islower() and prev[-1] not in _SOFT_LINE_END)
        ):
            yield seg_start, b
            seg_start = c
    yield seg_start, end


def _ends_with_terminal(line: str) -> bool:
    return line.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…")


def _is_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    """Tell hard-wrapped prose (lines of similar length, mostly ending mid-sentence) from one line per sentence."""
    stripped = [text[a:b].strip() for a, b in lines]
    stripped = [line for line in stripped if line]
    inner = stripped[:-1]
    if len(inner) < 2 or any(line[0] in _LIST_BULLETS for line in stripped):
        return False
    open_ended = [i for i, line in enumerate(inner) if not _ends_with_terminal(line)]
    # Wrapping breaks lines at arbitrary words, so the line after an open-ended one mostly starts in lower case;
    # a list of headings or items starts each line with a capital.
    lower_next = sum(1 for i in open_ended if stripped[i + 1][0].islower())
    lengths = [len(line) for line in inner]
    return (
        len(open_ended) * 2 >= len(inner)
        and lower_next * 2 >= len(open_ended)
        and max(lengths) >= 40
        and min(lengths) * 2 >= max(lengths)
    )


def _cuts(seg: str) -> list[int]:
    """Return the sorted positions in one segment where a new sentence starts (or the previous one ends)."""
    cuts = _list_cuts(seg)
    cut_set = set(cuts)
    quotes = _quote_spans(seg)
    qi = 0
    for m in _TERM.finditer(seg):
        start, end = m.span()
        while qi < len(quotes) and quotes[qi][1] < end:
            qi += 1
        if qi < len(quotes) and quotes[qi][0] < start and end <= quotes[qi][1]:
            continue  # inside a short quotation: keep it whole
        cut = _judge(seg, start, end, m.group(), cut_set)
        if cut is not None:
            cuts.append(cut)
            cut_set.add(cut)
    return sorted(cut_set)


def _list_cuts(seg: str) -> list[int]:
    """Cuts before bullets and before the items of an inline list that starts the segment (``1) a 2) b``)."""
    cuts = [_back_to_text(seg, m.start() + 1) for m in _BULLET.finditer(seg)]
    m = _LIST_START.match(seg)
    if m:
        label, pos = m.group(1), m.end()
        for _ in range(1000):
            label = str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)
            if not label.isalnum() or len(label) > 3:
                break
            nxt = re.compile(r"\s(?:[•⁃▪●◦‣]\s*)?" + label + r"(?:\.\)|\)|\.)\s").search(seg, pos)
            if not nxt:
                break
            cuts.append(_back_to_text(seg, nxt.start() + 1))
            pos = nxt.end()
    return cuts


def _back_to_text(seg: str, pos: int) -> int:
    """Step back from ``pos`` over white space and bullets to just after the preceding text."""
    limit = max(0, pos - _LOOKBACK)
    while pos > limit and (seg[pos - 1].isspace() or seg[pos - 1] in _BULLETS):
        pos -= 1
    return pos


def _quote_spans(seg: str) -> list[tuple[int, int]]:
    """(open, close) positions of closed double-quoted spans of at most _MAX_QUOTE characters, in order."""
    spans: list[tuple[int, int]] = []
    opened = -1
    n = len(seg)
    for m in _QUOTE.finditer(seg):
        i = m.start()
        ch = seg[i]
        if ch == '"':
            before_ok = i == 0 or seg[i - 1].isspace() or seg[i - 1] in "([{—–-"
            is_open = before_ok and i + 1 < n and not seg[i + 1].isspace()
        else:
            is_open = ch in "“«"
        if is_open:
            opened = i
        elif opened >= 0:
            if i - opened <= _MAX_QUOTE:
                spans.append((opened, i))
            opened = -1
    return spans


def _judge(seg: str, start: int, end: int, run: str, cuts: set[int]) -> int | None:
    """Decide whether the terminator run seg[start:end] ends a sentence; return the cut position or None."""
    term = run.rstrip(_CLOSERS)
    nxt_pos = end
    n = len(seg)
    while nxt_pos < n and seg[nxt_pos].isspace():
        nxt_pos += 1
    if nxt_pos >= n:
        return end
    word, quoted = _next_word(seg, nxt_pos)
    opener = quoted or word in _STARTERS
    first = word[:1]
    if first.islower():
        return None
    if start > 0 and seg[start - 1] == "[" and run[len(term) : len(term) + 1] == "]":
        return None  # "[...]": an omission inside a quotation
    attached = start > 0 and not seg[start - 1].isspace()
    dots = term.count(".")
    if dots >= 3 or "…" in term:
        if " " in term:
            if attached:
                return start + 1 if dots >= 4 else None  # "compounds. . . . The": the period ends it
            return end if dots >= 4 else None  # " . . . I" is an omission, " . . . . Next" ends
        return end if attached else None
    if "!" in term or "?" in term or not attached:
        return end
    tok_start = _token_start(seg, start)
    token = seg[tok_start:start].lstrip(_OPENERS + _BULLETS)
    low = token.lower()
    at_start = _back_to_text(seg, tok_start)
    if _MARKER.match(token) and (at_start == 0 or at_start in cuts):
        return None  # list marker "1." or "a)" at the start of a sentence
    if low in _PRENOMINAL:
        return None
    if low in _NUMBER_ABBR and first.isdigit():
        return None
    if low in _MONTHS and first.isdigit():
        return None  # "Aug. 5"; a month abbreviation is otherwise an ordinary word ("Ant and Dec. Natalie")
    # After an abbreviation, a bracket opens an aside ("EADS N.V. (EADS) said"), not a new sentence.
    abbr_opener = opener and not (quoted and seg[nxt_pos] in "([")
    if _DOTTED.match(token):
        if low in _NEVER_DOTTED:
            return None
        return end if abbr_opener else None
    if low in _POST_ABBR:
        return end if abbr_opener else None
    if len(token) == 1 and token.isupper():
        if len(word) > 1 and opener:
            return end
        before = seg[max(0, tok_start - _LOOKBACK) : tok_start].split()
        prev = before[-1].lstrip(_OPENERS) if before else ""
        if not before or prev[:1].isupper() or at_start in cuts:
            return None  # an initial: "Jonas E. Smith", "J. R. R. Tolkien"
    return end


def _next_word(seg: str, pos: int) -> tuple[str, bool]:
    """The word starting at ``pos`` (opening quotes and brackets skipped) and whether any were skipped."""
    stop = min(len(seg), pos + _LOOKBACK)
    i = pos
    while i < stop and seg[i] in _OPENERS:
        i += 1
    j = i
    while j < stop and (seg[j].isalnum() or seg[j] in "'’-"):
        j += 1
    return (seg[i:j] if j > i else seg[i : i + 1]), i > pos


def _token_start(seg: str, end: int) -> int:
    """Start of the white-space-delimited token that ends at ``end`` (looking back at most _LOOKBACK)."""
    limit = max(0, end - _LOOKBACK)
    i = end
    while i > limit and not seg[i - 1].isspace():
        i -= 1
    return i
