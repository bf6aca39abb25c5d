"""Clauses of open issues: where an unresolved clause starts (anchors), its parts, its topic, its pronouns.

1. *Anchors* (``find_anchors``): places where an unresolved clause starts. Two families: embedded questions
   ("whether …", "who would …" after a verb or noun that takes a question: "refused to say", "unclear", "issues
   included", "to see if") and the cue phrases of ``briefing.analyse.issues.cues``.
2. *Clause parts*: the clause's tokens up to a break (``clause_tokens``), its subject, auxiliary and verb
   (``parse_clause``), the noun phrase before a cue (``subject_before``).
3. *Topic*: from the head of the clause (``topic_from_parse``). A verb is turned into its noun (fund → funding,
   ``issues_verb_nouns.tsv``); a light verb (provide, reach, take) hands over to its object; a passive or
   intransitive clause to its subject ("whether the challenge has succeeded" → challenge).
4. *Pronouns* (``resolve``): a simple pronoun is replaced by its antecedent from the same or the previous sentence;
   "he" or "she" only by the one person named there.

The word lists are data (``briefing/data/issues_words.tsv``, ``issues_verb_nouns.tsv``). Every pattern is linear
and windows are bounded, so pathological input returns quickly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from briefing.analyse.issues.cues import CUE_BY_NAME, CUES, CUES_BY_WORD
from briefing.analyse.issues.wordlists import RULE_WORDS, mapping, verb_nouns, word_class

# --- word lists (briefing/data/issues_words.tsv, issues_verb_nouns.tsv) ------------------------------------------

AUX = mapping(RULE_WORDS, "aux")  # auxiliary -> the one its question asks with
BE_HAVE = word_class(RULE_WORDS, "be_have")
LIGHT = word_class(RULE_WORDS, "light")
COPULA = word_class(RULE_WORDS, "copula")
# verb lemma -> the noun that names the matter
NOUN_OF = {verb: noun for verb, noun, _ in verb_nouns()}
_NOUN_OF_FORMS: dict[str, str] = {}
for _verb in NOUN_OF:
    _stem = _verb[:-1] if _verb.endswith("e") else _verb
    for _form in (_verb, _verb + "s", _verb + "es", _stem + "ed", _stem + "ing", _verb + "d",
                  _verb + _verb[-1] + "ed", _verb + _verb[-1] + "ing"):
        _NOUN_OF_FORMS.setdefault(_form, _verb)
_NOUN_OF_FORMS.update({form: verb for verb, _, forms in verb_nouns() for form in forms})
STOP = word_class(RULE_WORDS, "stop")
DETERMINERS = word_class(RULE_WORDS, "determiner")
PREPOSITIONS = word_class(RULE_WORDS, "preposition")
CLAUSE_BREAK = word_class(RULE_WORDS, "clause_break")
GENERIC_HEADS = word_class(RULE_WORDS, "generic_head")
_NP_STOP = word_class(RULE_WORDS, "np_stop")
PRONOUNS = mapping(RULE_WORDS, "pronoun")  # pronoun -> sg, pl, m or f
_TITLES = r"(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|President|Prime Minister|Minister|Secretary|General|Senator|Chancellor)"
_WH = r"(?:whether|who|whom|what|which|how(?:\s+(?:long|much|many|far|hard|soon|quickly))?|when|where|why)"

# --- embedded questions ------------------------------------------------------------------------------------------

# An embedded question ("issues included who would …") follows a word that takes one, at most a few
# words before the wh-word. Checked on a small word window before each wh-word: a sentence-wide
# regex with these alternations was ten times slower.
_WH_WORD = re.compile(r"(?<![\w])(?:[Ww](?:ho|hat|hich|hen|here|hy)|[Hh]ow)\b")
_TRIGGERS = word_class(RULE_WORDS, "trigger")
_TRIGGER_PAIRS = word_class(RULE_WORDS, "trigger_pair")
_SAY_VERBS = word_class(RULE_WORDS, "say_verb")
IF_VERBS = word_class(RULE_WORDS, "if_verb")
_NEGATORS = word_class(RULE_WORDS, "negator")
_FILLERS = word_class(RULE_WORDS, "filler")
UNCERTAIN_NOUNS = word_class(RULE_WORDS, "uncertain_noun")
_WORD_RE = re.compile(r"[\w']+")


def _takes_question(window: str) -> bool:
    """True when the words just before a wh-word (``window``) make it an embedded question."""
    words = [w.lower() for w in _WORD_RE.findall(window)][-6:]
    n = len(words)
    for i in range(n - 1, max(-1, n - 4), -1):
        w = words[i]
        hit = False
        if w in _TRIGGERS:
            hit = w not in {"about", "over"} or (i > 0 and words[i - 1] in UNCERTAIN_NOUNS)
        elif i > 0 and f"{words[i - 1]}:{w}" in _TRIGGER_PAIRS:
            hit = not (w == "see" and i > 1 and words[i - 2] in {"hard", "difficult", "easy", "impossible"})
        elif w in _SAY_VERBS:
            hit = any(x in _NEGATORS or x.endswith("n't") for x in words[max(0, i - 3): i])
        if hit:
            return not any(x in {"should", "must", "ought", "need", "needs"} for x in words[max(0, i - 3): i])
        if w not in _FILLERS:
            return False
    return False


# "whether" is an embedded question wherever it appears (concessive uses filtered below)
_WHETHER = re.compile(r"(?<![\w])(?P<wh>[Ww]hether)\b")
_IF_Q = re.compile(
    r"\b(?:(?:not|n't|refused\s+to|declined\s+to)\s+(?:say|said)|know|knows|known|to\s+see|ask|asked|asks|unclear|"
    r"decide|decided|"
    r"wonder|wondered|check|confirm|confirmed|indicate|indicated)\s+(?P<wh>if)\b",
    re.IGNORECASE,
)
_CONCESSIVE = re.compile(r"\b(?:regardless\s+of|irrespective\s+of|no\s+matter)\s+$", re.IGNORECASE)
_COORD_WH = re.compile(r"\b(?:and|or)\s+(?P<wh>" + _WH + r")\b", re.IGNORECASE)
_HYPOTHETICAL_ASK = re.compile(  # "If I would ask you how fast ...": a question put for argument's sake
    r"\bif\s+(?:I|you|we|one|someone)\s+(?:would\s+|were\s+to\s+|should\s+)?ask", re.IGNORECASE
)
WH_KEYS = frozenset(("whether", "who", "what", "which", "how", "when", "where", "why", "if"))
# words without which no wh-word or "if" of the sentence can start an embedded question
Q_CONTEXT = frozenset(
    _TRIGGERS | _SAY_VERBS | IF_VERBS
    | {"see", "establish", "find", "centres", "centers", "centred", "centered", "focus", "focuses", "focused",
       "rule", "decision", "vote"}
)
_TOKEN = re.compile(r"[A-Za-z0-9£$€][\w'’\-.]*\w(?:(?<=s)['’](?![\w]))?|[A-Za-z0-9]|[^\w\s]")
_HARD_BREAKS = frozenset({",", ";", ":", ".", "!", "?", '"', "”", "“", "(", ")"})


class Anchor(NamedTuple):
    """Where an unresolved clause starts in a sentence, and what introduced it."""

    start: int  # offset of the clause (after the wh-word or cue)
    cue_start: int  # offset of the cue or wh-word itself
    kind: str  # "wh" (embedded question) or "cue" (cue phrase)
    name: str  # the wh-word, or the cue's name


# --- clause parts and topics ------------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """The word and punctuation tokens of ``text``."""
    return _TOKEN.findall(text)


def clause_tokens(text: str, limit: int = 24) -> list[str]:
    """The tokens of a clause: up to punctuation, a clause break or a closing quote."""
    out: list[str] = []
    toks = tokens(text[:400])
    seen_verb = False
    i = 0
    while i < len(toks):
        tok = toks[i]
        low = tok.lower()
        if tok == "," and not seen_verb and len(out) < 12:
            nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
            if nxt in {"who", "which", "whose"}:  # skip the relative clause up to its closing comma
                j = i + 1
                while j < len(toks) and toks[j] not in {",", ";", ".", ":"}:
                    j += 1
                i = j + 1
                continue
            if nxt and nxt not in CLAUSE_BREAK and nxt[0].isalnum() and not nxt[0].isdigit():
                out.append(tok)
                i += 1
                continue
            break
        if tok in {"-", "—", "–"}:  # "the two men - Richard Belmar and Moazzam Begg - have …"
            close = next((j for j in range(i + 1, min(len(toks), i + 14)) if toks[j] in {"-", "—", "–"}), None)
            if close is None:
                break
            i = close + 1
            continue
        if tok in _HARD_BREAKS or (low in CLAUSE_BREAK and len(out) > 1 and (seen_verb or low == "but")):
            break
        if low in AUX or matter_verb(tok) or light_lemma(tok):
            seen_verb = True
        out.append(tok)
        i += 1
        if len(out) >= limit:
            break
    return out


def matter_verb(word: str) -> str | None:
    """The lemma of ``word`` when it is a verb form we can name the matter of, else None."""
    return _NOUN_OF_FORMS.get(word.lower())


LIGHT_FORMS: dict[str, str] = mapping(RULE_WORDS, "light_form")  # irregular forms; regular ones are made here
for _lemma_ in sorted(LIGHT | COPULA):
    for _form in (_lemma_, _lemma_ + "s", _lemma_ + "es", _lemma_ + "d", _lemma_ + "ed", _lemma_ + "ing",
                  _lemma_[:-1] + "ing", _lemma_[:-1] + "ed"):
        LIGHT_FORMS.setdefault(_form, _lemma_)


def light_lemma(word: str) -> str | None:
    """The lemma of a light or copular verb form ("provided" -> provide), else None."""
    return LIGHT_FORMS.get(word.lower())


def noun_phrase(toks: list[str]) -> tuple[list[str], int]:
    """The noun phrase at the start of ``toks`` (determiners dropped) and the tokens it used."""
    words: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        low = t.lower()
        if low in DETERMINERS and not words:
            i += 1
            continue
        if low in PREPOSITIONS or low in AUX or low in CLAUSE_BREAK or low in _NP_STOP or (
            words and low in {"it", "they", "he", "she", "we", "i", "you"}
        ):
            break
        if not re.match(r"[\w£$€]", t):
            break
        if words and (matter_verb(t) or light_lemma(t)) and not t[0].isupper() and not low.endswith(("tion", "ment")):
            if low.endswith(("ed", "ing")):
                break
        words.append(t)
        i += 1
        if len(words) >= 7:
            break
    return words, i


def topic_from_np(toks: list[str]) -> str:
    """A 1-4 word topic from a noun phrase, using "of" complements for generic heads."""
    np_, used = noun_phrase(toks)
    np_ = [w for w in np_ if w.lower() not in STOP]
    rest = toks[used:]
    while (np_ and rest[:1] and rest[0] in {",", "and", "or"} and len(rest) > 1 and rest[1].lower() not in AUX
           and not rest[1].lower().endswith(("ing", "ed")) and (rest[0] != "," or {"and", "or"} & set(rest[1:6]))):
        more, used2 = noun_phrase(rest[1:])
        more = [w for w in more if w.lower() not in STOP]
        if not more:
            break
        np_, rest = more, rest[1 + used2:]
    if not np_ and rest[:1] and rest[0].lower() == "of":  # "some of the detainees"
        return topic_from_np(rest[1:])
    if not np_:
        return ""
    if rest[:1] and rest[0].lower() == "of":
        np2, _ = noun_phrase(rest[1:])
        np2 = [w for w in np2 if w.lower() not in STOP]
        if np2 and np_[-1].lower() in GENERIC_HEADS:
            core = np2[-2:] if len(np2) > 1 else np2
            return " ".join([*core, np_[-1]]) if len(core) == 1 else " ".join(core)
    return " ".join(np_[-3:])


@dataclass
class Parse:
    """A clause split into subject, auxiliary, verb and the tokens after the verb."""

    subject: list[str]
    aux: str | None
    verb: str | None
    rest: list[str]
    passive: bool
    mid: list[str] = field(default_factory=list)  # words between auxiliary and verb ("be", "not", "still")


def parse_clause(toks: list[str], wh_subject: bool) -> Parse:
    """Split a clause at its first auxiliary (or known verb form)."""
    for i, t in enumerate(toks):
        low = t.lower()
        if low in AUX and (i > 0 or wh_subject):
            j = i + 1
            passive = False
            while j < len(toks) and toks[j].lower() in {"not", "n't", "still", "also", "ever", "now", "be",
                                                        "been", "being", "have", "finally", "actually",
                                                        "really", "formally", "eventually", "soon", "yet"}:
                if toks[j].lower() in {"be", "been", "being"}:
                    passive = True
                j += 1
            if low in BE_HAVE and j == i + 1:
                passive = low in {"is", "are", "was", "were"}
            verb = toks[j] if j < len(toks) else None
            if passive and verb and not re.search(r"(?:ed|en|t|wn)$", verb.lower()):
                passive = False  # copula + adjective or noun
            return Parse(toks[:i], low, verb, toks[j + 1:], passive, toks[i + 1: j])
        if i > 0 and not t[0].isupper() and (
            ((matter_verb(t) or light_lemma(t)) and low.endswith(("s", "ed"))) or (low.endswith("ed") and len(low) > 4)
        ) and not any(w.lower() in AUX for w in toks[i + 1:]):  # "the men released from … have received"
            return Parse(toks[:i], None, t, toks[i + 1:], False)
    return Parse(toks, None, None, [], False)


def topic_from_parse(p: Parse) -> str:
    """Name the matter of a parsed clause from its head."""
    verb, rest = p.verb, p.rest
    # "X to legislate", "prepared to take on …", "continue to cover …": follow to the inner verb
    for _ in range(3):
        if verb is None:
            break
        if rest[:1] and rest[0].lower() == "to" and len(rest) > 1 and (
            light_lemma(verb) or verb.lower() in {"possible", "able", "prepared", "ready", "willing", "likely"}
        ):
            verb, rest = rest[1], rest[2:]
            continue
        if verb.lower() in {"be", "been"} and rest[:1] and re.search(r"(?:ed|en)$", rest[0].lower()):
            t = topic_from_np(p.subject)
            if t and t.lower() not in PRONOUNS:
                return t
        if light_lemma(verb) in {"allow", "let", "help"} and rest:
            _, used = noun_phrase(rest)
            if rest[used: used + 1] and rest[used].lower() == "to" and len(rest) > used + 1:
                verb, rest = rest[used + 1], rest[used + 2:]
                continue
        break
    if p.passive:
        t = topic_from_np(p.subject)
        if t:
            return t
    if verb is not None:
        lemma = matter_verb(verb)
        light = light_lemma(verb)
        if lemma and not light:
            return NOUN_OF[lemma]
        if light in COPULA:
            tail = rest[1:] if rest[:1] and rest[0].lower() in {"as", "in", "at"} else rest
            t = topic_from_np(tail)
            if t:
                return t
        obj = rest[1:] if rest[:1] and rest[0].lower() in {"on", "up", "out", "off", "for", "with", "to", "in"} else rest
        t = topic_from_np(obj)
        if t and t.lower() not in PRONOUNS:
            return t
        if lemma:
            return NOUN_OF[lemma]
    t = topic_from_np(p.subject)
    if t and t.lower() not in PRONOUNS:
        return t
    if verb and not light_lemma(verb) and verb.lower() not in AUX and verb.lower() not in BE_HAVE:
        return verb.lower()
    return ""

# --- pronouns and questions ----------------------------------------------------------------------

_NP_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|its|their|his|her)\s+(?:[\w'’\-]+\s+){0,3}?[\w'’\-]+(?=\s*(?:,|\.|;|\band\b|\bwho\b|\bwhich\b|$))"
    r"|\b[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+){0,3})"
)
_PERSON = re.compile(r"\b" + _TITLES + r"\s+[A-Z][\w\-']+(?:\s+[A-Z][\w\-']+)?|\b[A-Z][a-z]+\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?")
_PLURAL_NP = re.compile(r"\b(?:the\s+)?(?:[A-Za-z][\w\-]*\s+){0,2}[a-z][\w\-]*s\b(?<!\bis)(?<!\bwas)(?<!\bhas)(?<!\bthis)")


_NAME_RUN = re.compile(r"(?<![\w.])(?:[A-Z][\w'’\-]+|[A-Z]\.)(?:\s+(?:[A-Z][\w'’\-]+|[A-Z]\.))*")
_NOT_PERSON = word_class(RULE_WORDS, "not_person")


def _persons(text: str) -> set[str]:
    """The capitalised name runs of ``text`` that could be people (leading function words and dates dropped)."""
    out: set[str] = set()
    for m in _NAME_RUN.finditer(text):
        words = m.group().split()
        while words and words[0] in _NOT_PERSON:
            words = words[1:]
        if words:
            out.add(" ".join(words))
    return out


def _certain_person(before: str, previous: str) -> str | None:
    """The one person ``he``/``she`` can stand for: named in this sentence before it, else in the previous one.

    Returns None when two or more candidates are named there (or the only candidate there is a single word, a
    surname that may not be a person), so no other name is ever put in a pronoun's place.
    """
    here = _persons(before)
    if here:
        name = next(iter(here)) if len(here) == 1 else None
        return name if name and len(name.split()) > 1 else None
    there = _persons(previous)
    if len(there) == 1:
        name = next(iter(there))
        return name if len(name.split()) > 1 else None
    return None


def _antecedent(pron: str, before: str, previous: str) -> str | None:
    """A simple antecedent for ``pron``: the last fitting noun phrase in this or the previous sentence."""
    kind = PRONOUNS.get(pron.lower())
    if kind in {"m", "f"}:  # a person: only when the referent is certain
        return _certain_person(before[-200:], previous[-300:])
    for text in (before[-200:], previous[-300:]):
        if not text:
            continue
        if kind in {"m", "f"}:
            found = _PERSON.findall(text)
            if found:
                return found[-1]
        elif kind == "pl":
            found = []
            for m in _PLURAL_NP.finditer(text):
                ws = m.group().split()
                while ws and (ws[0].lower() in STOP - {"the"} or ws[0].lower() in AUX or ws[0].lower() in PREPOSITIONS):
                    ws = ws[1:]
                if ws and ws[-1].lower() not in STOP | UNCERTAIN_NOUNS | {"is", "was", "has", "as", "us", "says"}:
                    found.append(" ".join(ws))
            if found:
                return found[-1].strip()
        elif kind == "sg":
            found = [m.group() for m in _NP_BEFORE.finditer(text) if m.group().split()[-1].lower() not in STOP
                     and m.group().split()[0].lower() not in PREPOSITIONS and m.group().split()[0].lower() not in STOP - {
                         "the", "a", "an", "its", "their", "his", "her"}]
            if found:
                return found[-1].strip()
    return None


def resolve(words: list[str], before: str, previous: str) -> list[str]:
    """Replace simple pronouns by their antecedent from this or the previous sentence (possessives get 's)."""
    out: list[str] = []
    for k, w in enumerate(words):
        low = w.lower()
        prev = words[k - 1].lower() if k else ""
        relative = bool(prev) and prev.isalpha() and prev not in STOP and prev not in AUX and (
            prev not in PREPOSITIONS and not matter_verb(prev) and not prev.endswith(("ed", "ing"))
            and prev not in LIGHT_FORMS or prev in LIGHT
        ) and prev not in {"push", "tell", "let", "help", "give", "make", "allow"}  # "the plan it signed"
        context = before + " " + " ".join(words[:k]) if PRONOUNS.get(low) in {"m", "f"} else before
        ante = _antecedent(low, context, previous) if low in PRONOUNS and low != "her" and not relative else None
        if not ante:
            out.append(w)
            continue
        if ante.split()[0].lower() in {"the", "a", "an"}:
            ante = ante[0].lower() + ante[1:]
        if low in {"their", "its", "his"}:
            if len(ante.split()) > 3:
                out.append(w)
                continue
            ante += "'" if ante.endswith("s") else "'s"
        out.append(ante)
    return out


def join(words: list[str]) -> str:
    """Tokens back into text: no space before punctuation or a possessive "'s"."""
    text = " ".join(words)
    text = re.sub(r"\s+([,.;:!?%)])", r"\1", text)
    text = re.sub(r"\s+(['’]s)\b", r"\1", text)
    return text.strip()


def finish(q: str) -> str:
    """A question from ``q``: one space between words, capital first letter, pronouns lower-cased, "?" at the end."""
    q = re.sub(r"\s+", " ", q.strip().rstrip(".,;:!?").strip())
    q = _INNER_PRONOUN.sub(lambda m: m.group().lower(), q)
    return (q[:1].upper() + q[1:] + "?") if q else ""


_INNER_PRONOUN = re.compile(r"(?<=\s)(?:He|She|They|It|We|His|Her|Their|Its)\b")


def is_plain_noun(word: str) -> bool:
    """A lower-case word that is no function word or verb form we know (a cheap noun test)."""
    low = word.lower()
    return (word[:1].islower() and low not in STOP and low not in AUX and low not in PREPOSITIONS
            and not light_lemma(word) and not (matter_verb(word) and low.endswith(("ed", "ing"))))


def subject_before(sentence: str, end: int, whole: bool = False) -> list[str]:
    """The subject of the clause that ends at ``end`` (a cue like "is due to"): its first noun phrase.

    With ``whole``, the clause's tokens before ``end`` without cutting at a preposition.
    """
    toks = tokens(sentence[max(0, end - 300): end])
    # walk back over the noun phrase and its "of …" complement
    i = len(toks)
    while i > 0 and (re.match(r"[\w£$€'’\-]", toks[i - 1]) and toks[i - 1].lower() not in CLAUSE_BREAK
                     and toks[i - 1].lower() not in {"that", "which", "who", "said", "says", "say", "but"}
                     and toks[i - 1] not in {",", ";"}):
        i -= 1
        if len(toks) - i >= 30:
            break
    chunk = toks[i:]
    if whole:
        return chunk
    # the subject starts at the last determiner-led phrase that is not inside a prepositional complement
    for j, t in enumerate(chunk):
        if t.lower() in PREPOSITIONS - {"of"} and j > 0:
            chunk = chunk[:j]
            break
    return chunk


def definite(np_text: str) -> str:
    """A noun phrase ready for a question: determiner lower-cased, "the" added to a bare common noun."""
    if not np_text:
        return np_text
    first = np_text.split()[0]
    if first.lower() in {"a", "an"}:
        return "the" + np_text[len(first):]
    if first.lower() in DETERMINERS:
        return np_text[0].lower() + np_text[1:]
    return np_text if np_text[0].isupper() else "the " + np_text


def topic_head(topic: str) -> str:
    """The head of a topic, singular: its last content word ("the NATO missions" -> mission)."""
    words = [w for w in re.findall(r"[a-z][a-z\-]*", topic.lower()) if w not in STOP]
    if not words:
        return topic.lower()
    w = words[-1]
    return w[:-1] if w.endswith("s") and len(w) > 4 else w


# --- anchors ----------------------------------------------------------------------------------------------------


def find_anchors(sentence: str, words: frozenset[str]) -> list[Anchor]:
    """The anchors of the unresolved clauses of ``sentence``, in order.

    ``words`` are the key words the sentence contains (``briefing.analyse.issues.rules.KEY_WORDS``).
    """
    found: list[Anchor] = []
    wh_words = WH_KEYS.intersection(words) - {"whether", "if"}
    has_context = not Q_CONTEXT.isdisjoint(words)
    for m in _WH_WORD.finditer(sentence) if wh_words and has_context else ():
        before = sentence[max(0, m.start() - 60): m.start()]
        if m.start() and _takes_question(before) and not _HYPOTHETICAL_ASK.search(before):
            wh = m.group()
            nxt = re.match(r"\s+(long|much|many|far|fast|hard|soon|quickly|big|large|best)\b", sentence[m.end(): m.end() + 12])
            end = m.end() + (nxt.end() if nxt and wh.lower() == "how" else 0)
            found.append(Anchor(end, m.start(), "wh", sentence[m.start(): end]))
    for m in _WHETHER.finditer(sentence) if "whether" in words else ():
        if _CONCESSIVE.search(sentence[max(0, m.start() - 30): m.start()]):
            continue
        if m.start() == 0 or (m.start() < 3 and sentence[:m.start()].strip() in {'"', "“"}):
            continue  # sentence-initial "Whether …, …" is concessive
        found.append(Anchor(m.end(), m.start(), "wh", "whether"))
    for m in _IF_Q.finditer(sentence) if "if" in words and not IF_VERBS.isdisjoint(words) else ():
        found.append(Anchor(m.end("wh"), m.start(), "wh", "if"))
    if found:
        first = min(a.start for a in found)
        for m in _COORD_WH.finditer(sentence):
            if m.start() > first:
                found.append(Anchor(m.end("wh"), m.start(), "wh", m.group("wh")))
    return _cue_anchors(sentence, words, found)


def _cue_anchors(sentence: str, words: frozenset[str], found: list[Anchor]) -> list[Anchor]:
    """Add the cue-phrase anchors to ``found`` and keep one anchor per clause."""
    for index in sorted({i for w in words for i in CUES_BY_WORD.get(w, ())}):
        cue = CUES[index]
        if cue.also and cue.also.isdisjoint(words):
            continue
        for m in cue.pattern.finditer(sentence):
            start = m.start("verb") if "verb" in cue.pattern.groupindex else m.end()
            found.append(Anchor(start if cue.side == "obj" else m.start(), m.start(), "cue", cue.name))
    # one anchor per clause start; a wh-clause wins over a cue that introduces it ("expected to rule on whether")
    found.sort(key=lambda a: (a.start, a.kind != "wh"))
    out: list[Anchor] = []
    for a in found:
        if out and abs(a.start - out[-1].start) < 3:
            continue
        out.append(a)
    wh = [a for a in out if a.kind == "wh"]
    # a cue whose clause runs into an embedded question is that question
    out = [a for a in out if a.kind == "wh" or CUE_BY_NAME[a.name].before_wh
           or not any(0 <= w.cue_start - a.start <= 60 for w in wh)]
    # a subject-side cue whose subject holds an embedded question ("A decision on whether … is set to …") is it
    out = [a for a in out if a.kind == "wh" or CUE_BY_NAME[a.name].side != "subj"
           or not any(a.cue_start - 150 <= w.cue_start < a.cue_start for w in out if w.kind == "wh")]
    # a sentence states one pending matter through its cue phrases (several only through embedded questions)
    first_cue = next((a for a in out if a.kind == "cue" and not CUE_BY_NAME[a.name].beside), None)
    return [a for a in out if a.kind == "wh" or CUE_BY_NAME[a.name].beside or a is first_cue]
