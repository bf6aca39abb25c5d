"""The word lists of the open-issue rules, read from ``briefing/data`` (one word a line, ``#`` comments).

A word-class file (``issues_words.tsv``, ``issues_question_words.tsv``, ``issues_detector_words.tsv``) gives each
word its classes: ``word<TAB>class class=value ...``; ``word_class(file, cls)`` is the set of a class, ``mapping(file,
cls)`` the values of a ``class=value`` one. ``verb_nouns()`` reads ``issues_verb_nouns.tsv`` (verb, the noun of
the matter it names, irregular forms), in file order.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

RULE_WORDS = "issues_words.tsv"
QUESTION_WORDS_FILE = "issues_question_words.tsv"
DETECTOR_WORDS = "issues_detector_words.tsv"
VERB_NOUNS = "issues_verb_nouns.tsv"


def _lines(name: str) -> list[str]:
    text = resources.files("briefing.data").joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def parse_word_classes(text: str, name: str = "<text>") -> dict[str, dict[str, str]]:
    """class -> {word: value} of the text of a word-class file (value "" for a plain class).

    Raises:
        ValueError: a line is not ``word<TAB>classes`` (``name`` and the line number say where).
    """
    out: dict[str, dict[str, str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        word, tab, classes = line.partition("\t")
        if not tab or not word or not classes.split():
            raise ValueError(f"{name}, line {number}: expected a word, a tab and its classes, got {line!r}")
        for item in classes.split():
            cls, _, value = item.partition("=")
            out.setdefault(cls, {})[word] = value
    return out


@cache
def _classes(name: str) -> dict[str, dict[str, str]]:
    return parse_word_classes(resources.files("briefing.data").joinpath(name).read_text(encoding="utf-8"), name)


def _class(name: str, cls: str) -> dict[str, str]:
    try:
        return _classes(name)[cls]
    except KeyError:
        raise LookupError(f"no word of class {cls!r} in briefing/data/{name}: add one or fix the class name") from None


def word_class(name: str, cls: str) -> frozenset[str]:
    """The words of class ``cls`` in the word-class file ``name``."""
    return frozenset(_class(name, cls))


def mapping(name: str, cls: str) -> dict[str, str]:
    """word -> value of the ``cls=value`` entries of the word-class file ``name``."""
    return dict(_class(name, cls))


@cache
def verb_nouns() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(verb, noun, irregular forms) of ``issues_verb_nouns.tsv``, in file order."""
    out = []
    for line in _lines(VERB_NOUNS):
        parts = line.split("\t")
        out.append((parts[0], parts[1], tuple(parts[2].split("|")) if len(parts) > 2 and parts[2] else ()))
    return tuple(out)
