"""Sentence and word tokenisation with no downloaded data.

Every sentence returned is an exact substring of the input text, so key facts stay verbatim.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of each sentence of ``text``, stripped of surrounding space."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        start = para.start()
        for m in _BOUNDARY.finditer(para.group()):
            spans.append((start, para.start() + m.start() + len(m.group().rstrip())))
            start = para.start() + m.end()
        spans.append((start, para.end()))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        s += len(chunk) - len(chunk.lstrip())
        e -= len(chunk) - len(chunk.rstrip())
        if e > s:
            out.append((s, e))
    return out


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, each a verbatim substring of it."""
    return [text[s:e] for s, e in sentence_spans(text)]


def tokenize_words(sentence: str) -> list[str]:
    """Split a sentence into word tokens (punctuation dropped)."""
    return _WORD.findall(sentence)


class Tokenizer:
    """The tokenizer object sumy expects: ``language``, ``to_sentences`` and ``to_words``."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(tokenize_words(sentence))
