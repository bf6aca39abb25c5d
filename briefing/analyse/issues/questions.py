"""Questions of open issues: phrased from the evidence sentence alone, and checked before they are shown.

``phrase_question`` turns an evidence sentence that the cue rules could not phrase into a question in QA-SRL's
template order (wh-word or auxiliary, subject, verb, object): "Tsarnaev could face the death penalty" ->
"Could Tsarnaev face the death penalty?"; "The vote is expected to be held on Sunday" -> "Will the vote be held on
Sunday?"; a question the article itself asks ("'Will he run?' reporters asked") is taken as it stands. A pronoun
subject is kept: a name is put in its place only when the previous sentence makes the referent certain (one
person named there and none before the pronoun), and no other name is ever substituted.

``embedded_issue`` turns an embedded question that the cue rules found ("it is unclear who would fund it") into
a direct one ("Who will fund the NATO mission?") and names its topic.

``check_question`` is applied to every question before it is shown (the rule-phrased ones too): it must start
with a question word or an auxiliary, end with "?", have a verb, have no doubled or dangling article or
preposition, not be cut in the middle of a name, and every name in it must appear in the evidence sentence (or
in the previous sentence, when the evidence has a pronoun a name could stand for). A question that fails is
dropped; its evidence stays listed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from briefing.analyse.issues.clauses import (
    AUX,
    COPULA,
    PRONOUNS,
    Anchor,
    Parse,
    clause_tokens,
    finish,
    is_plain_noun,
    join,
    light_lemma,
    matter_verb,
    parse_clause,
    resolve,
    topic_from_parse,
)
from briefing.analyse.issues.wordlists import QUESTION_WORDS_FILE, mapping, word_class

LEMMAS_PATH = Path(__file__).resolve().parents[2] / "data" / "verb_lemmas.tsv"

QUESTION_WORDS = word_class(QUESTION_WORDS_FILE, "question_word")
_WH = word_class(QUESTION_WORDS_FILE, "wh")
_AUXES = word_class(QUESTION_WORDS_FILE, "aux")
_HAVE = word_class(QUESTION_WORDS_FILE, "have")
_DANGLING = word_class(QUESTION_WORDS_FILE, "dangling")
_DETS = word_class(QUESTION_WORDS_FILE, "determiner")
_SUBORDINATORS = word_class(QUESTION_WORDS_FILE, "subordinator")
_TOKEN = re.compile(r"[A-Za-z][\w'’\-.]*[\w]|[A-Za-z]|\d[\d,.]*\w*|[^\w\s]")
_NAME_SEQ = re.compile(r"\b[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-]*|[A-Z]\.))*")
_PRONOUN_SUBJECT = word_class(QUESTION_WORDS_FILE, "pronoun_subject")
_PERSON_PRONOUNS = word_class(QUESTION_WORDS_FILE, "person_pronoun")
MAX_WORDS = 24


@cache
def verb_lemmas() -> dict[str, tuple[str, str]]:
    """form -> (lemma, tags) of the verb forms of UD-EWT (``briefing/data/verb_lemmas.tsv``)."""
    out: dict[str, tuple[str, str]] = {}
    try:
        lines = LEMMAS_PATH.read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        if line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) == 3:
            out[parts[0]] = (parts[1], parts[2])
    return out


@cache
def _verb_lemma_set() -> frozenset[str]:
    return frozenset(lem for lem, _ in verb_lemmas().values())


def is_verb(word: str) -> bool:
    """A verb form of UD-EWT, or the lemma of one ("resign" from "resigned")."""
    low = word.lower()
    return low in _AUXES or low in verb_lemmas() or low in _verb_lemma_set()


def lemma(word: str) -> str:
    """The lemma of a verb form (EWT's table, else the regular -ed/-s/-ing rule)."""
    low = word.lower()
    got = verb_lemmas().get(low)
    if got:
        return got[0]
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", ""), ("es", ""), ("s", "")):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            return low[: -len(suffix)] + repl
    return low


def _participle(word: str) -> bool:
    low = word.lower()
    tags = verb_lemmas().get(low, ("", ""))[1]
    return "N" in tags or (low.endswith(("ed", "en")) and len(low) > 4)


def check_question(question: str, evidence: str, previous: str = "") -> str | None:
    """Why ``question`` may not be shown, or None when it passes every check.

    Checks: ends with "?"; starts with a question word or auxiliary; at most ``MAX_WORDS`` words; has a verb (a
    question opened by has/have/had needs a participle before any subordinate clause: "Had the president
    criminal intent when ...?" fails); no doubled article ("the the", "a the"), no article, preposition or
    auxiliary left dangling before the "?" or a comma, no "the" before a gerund and a name ("the interviewing
    Trump"), no existential with a definite article ("Will there be the ..."); no single capital letter
    ("James B"); every name in it appears in the evidence (or the previous sentence, when the evidence has a
    pronoun) and is not cut short there ("James B" when the evidence says "James B. Comey").
    """
    q = question.strip()
    if not q.endswith("?"):
        return "no question mark"
    toks = _TOKEN.findall(q[:-1])
    words = [t for t in toks if t[0].isalnum()]
    if len(words) < 3:
        return "too short"
    if len(words) > MAX_WORDS:
        return "too long"
    first = words[0].lower()
    if first not in QUESTION_WORDS:
        return "does not start with a question word or auxiliary"
    lows = [w.lower() for w in words]
    rest = lows[1:]
    if first in _WH:
        if not any(is_verb(w) for w in rest):
            return "no verb"
    elif first in _HAVE:
        seen = False
        for w in rest:
            if w in _SUBORDINATORS:
                break
            if _participle(w):
                seen = True
                break
        if not seen:
            return "no participle after has/have/had"
    elif first not in {"is", "are", "was", "were", "am"} and not any(is_verb(w) for w in rest):
        return "no verb"
    for a, b in zip(lows, lows[1:], strict=False):
        if a in _DETS - {"that", "this", "these", "those"} and b in _DETS:
            return f"doubled article '{a} {b}'"
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else "?"
        if t.lower() in _DANGLING and nxt in {",", "?", ";", ":"} and t[0].isalpha():
            return f"dangling '{t}'"
    for i in range(len(words) - 2):
        if lows[i] in {"the", "a", "an"} and lows[i + 1].endswith("ing") and words[i + 2][:1].isupper():
            return f"malformed noun phrase '{' '.join(words[i:i + 3])}'"
    if " ".join(lows[:4]).startswith(("will there be the", "is there the", "was there the")):
        return "existential with a definite article"
    for w in words[1:]:
        if len(w) == 1 and w.isupper() and w not in {"I", "A"}:
            return f"cut mid-name '{w}'"
    source = evidence + " " + previous if _PERSON_PRONOUNS & set(_words_lower(evidence)) else evidence
    for m in _NAME_SEQ.finditer(q[:-1]):
        name = m.group().strip()
        if m.start() == 0:  # the question word; a name may follow it ("Will Tsarnaev ...")
            parts = name.split(None, 1)
            if len(parts) < 2:
                continue
            name = parts[1]
        if name in {"I"}:
            continue
        for part in name.split():
            if part.strip(".") and not re.search(r"\b" + re.escape(part.rstrip(".").rstrip("'’s")) , source):
                return f"name '{part}' not in the evidence"
        occurrences = [x.end() for x in re.finditer(re.escape(name), source)]
        if occurrences and all(re.match(r"\.?\s*[A-Z]\.?(?:\s|$)|\s+[A-Z][a-z]", source[e:e + 12]) for e in occurrences):
            return f"cut mid-name '{name}'"
    return None


def _words_lower(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z']+", text)]


# --- phrasing from the evidence -----------------------------------------------------------------------------

_QUOTED_Q = re.compile(r"[\"“]([^\"“”]{6,200}\?)[\"”]")
_MODAL_MAP = mapping(QUESTION_WORDS_FILE, "modal")  # modal -> the auxiliary its question opens with
_EXPECT = re.compile(r"^(?:is|are|was|were)$")
_EXPECT_WORDS = word_class(QUESTION_WORDS_FILE, "expect")
_BOUNDARY = word_class(QUESTION_WORDS_FILE, "boundary")
_ADVERBS = word_class(QUESTION_WORDS_FILE, "adverb")
_CLAUSE_END = frozenset(",;:()\"“”—–")
_CLAUSE_END_WORDS = word_class(QUESTION_WORDS_FILE, "clause_end")
_UNKNOWN = re.compile(r"^(?P<subj>(?:the|a|an)\s+[^,;]{2,80}?)\s+(?:is|are|was|were|remains?|remained)\s+(?:still\s+)?"
                      r"(?:unknown|unclear|not\s+(?:yet\s+)?known|undetermined|under\s+investigation|being\s+"
                      r"investigated|not\s+(?:yet\s+)?clear)\b", re.IGNORECASE)
_UNCONFIRMED_PASSIVE = word_class(QUESTION_WORDS_FILE, "unconfirmed")


class Phrased:
    """A question phrased from a sentence, with the clause parts it was built from (for naming the topic)."""

    def __init__(self, question: str, subject: list[str], verb: str | None, rest: list[str]) -> None:
        self.question = question
        self.subject = subject
        self.verb = verb
        self.rest = rest


_EMPTY = Phrased("", [], None, [])


def _finish(words: list[str]) -> str:
    text = " ".join(words)
    text = re.sub(r"\s+([,.;:!?%)])", r"\1", text)
    text = re.sub(r"\s+(['’]s)\b", r"\1", text)
    text = re.sub(r"\(\s+", "(", text).strip().rstrip(".,;:!")
    return text[:1].upper() + text[1:] + "?" if text else ""


def _subject(toks: list[str], end: int) -> list[str] | None:
    """The noun phrase just before ``toks[end]`` (back to a clause boundary), or None."""
    i = end
    while i > 0 and toks[i - 1].lower() in _ADVERBS:
        i -= 1
    stop = i
    j = stop
    while j > 0 and toks[j - 1].lower() not in _BOUNDARY and toks[j - 1] not in _CLAUSE_END and stop - j < 9:
        j -= 1
    subj = toks[j:stop]
    if not subj or len(subj) > 8:
        return None
    if any(is_verb(w) and not w[:1].isupper() and w.lower() not in {"leading", "ruling"} for w in subj[1:]):
        return None  # a clause, not a noun phrase
    return subj


def _clause(toks: list[str], start: int, limit: int = 14) -> list[str]:
    out: list[str] = []
    for t in toks[start:]:
        if t in _CLAUSE_END or t in {".", "?", "!"} or (out and t.lower() in _CLAUSE_END_WORDS):
            break
        out.append(t)
        if len(out) >= limit:
            return []  # too long to be a clean clause
    return out


def _resolve_subject(subj: list[str], before: list[str], previous: str) -> list[str]:
    """A pronoun subject, replaced by the one person the previous sentence names (else kept as it is)."""
    if len(subj) != 1 or subj[0].lower() not in {"he", "she"}:
        return [subj[0].lower()] if len(subj) == 1 and subj[0].lower() in _PRONOUN_SUBJECT else subj
    if any(w[:1].isupper() for w in before[1:]):
        return [subj[0].lower()]
    names = {m.group() for m in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+", previous)}
    names = {n for n in names if n.split()[0] not in {"The", "A", "An", "In", "On", "At", "But", "And"}}
    if len(names) == 1:
        return next(iter(names)).split()
    return [subj[0].lower()]


def phrase_question(sentence: str, previous: str = "") -> Phrased:
    """A question from ``sentence`` alone (see the module docstring); ``Phrased("")`` when none fits."""
    m = _QUOTED_Q.search(sentence)
    if m:  # the article's own question, in reported speech
        q = m.group(1).strip()
        first = q.split()[0].lower().strip("'\"")
        if first in QUESTION_WORDS:
            return Phrased(q[:1].upper() + q[1:], [], None, [])
    stripped = sentence.strip().strip("\"“”'")
    if stripped.endswith("?") and stripped.split()[0].lower() in QUESTION_WORDS:
        return Phrased(stripped, [], None, [])
    toks = _TOKEN.findall(sentence[:600])
    m2 = _UNKNOWN.match(sentence.strip())
    if m2:  # "The cause of the fire is unknown." -> "What is the cause of the fire?"
        unknown = _TOKEN.findall(m2.group("subj"))
        verb = "are" if unknown[-1].lower().endswith("s") and not unknown[-1].lower().endswith("ss") else "is"
        unknown = [unknown[0].lower(), *unknown[1:]]
        return Phrased(_finish(["What", verb, *unknown]), unknown, None, [])
    for i, t in enumerate(toks):
        low = t.lower()
        aux = None
        start = i + 1
        if low in _MODAL_MAP and i > 0:
            aux = _MODAL_MAP[low]
        elif _EXPECT.match(low) and i > 0 and i + 2 < len(toks) and toks[i + 1].lower() in _EXPECT_WORDS and (
                toks[i + 2].lower() == "to"):
            aux, start = "Will", i + 3
        if aux is None:
            continue
        found = _subject(toks, i)
        if found is None:
            continue
        subj = found
        while start < len(toks) and toks[start].lower() in _ADVERBS | {"not"}:
            if toks[start].lower() == "not":
                break
            start += 1
        clause = _clause(toks, start)
        if not clause or not is_verb(clause[0]) or clause[0][:1].isupper():
            continue
        if clause[0].lower() == "have" and aux == "Will":  # "would have done": a counterfactual
            return _EMPTY
        subj = _resolve_subject(subj, toks[:i], previous)
        if subj[0].lower() in {"the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their"}:
            subj = [subj[0].lower(), *subj[1:]]
        return Phrased(_finish([aux, *subj, *clause]), subj, clause[0], clause[1:])
    # "X reportedly was killed", "X was reportedly killed": an unconfirmed report
    for i, t in enumerate(toks):
        if t.lower() in _UNCONFIRMED_PASSIVE and 0 < i < len(toks) - 2:
            j = i + 1
            be = toks[i - 1].lower() if toks[i - 1].lower() in {"was", "were", "is", "are", "has", "have"} else None
            subj_end = i - 1 if be else i
            if be is None and toks[j].lower() in {"was", "were", "has", "have"}:
                be, j = toks[j].lower(), j + 1
            if be is None:
                continue
            got = _subject(toks, subj_end)
            clause = _clause(toks, j)
            if got and clause and _participle(clause[0]):
                who = _resolve_subject(got, toks[:subj_end], previous)
                return Phrased(_finish([be.capitalize(), *who, *clause]), who, clause[0], clause[1:])
    return _EMPTY


# --- embedded questions made direct (the cue rules' questions) ------------------------------------------------


def direct_question(wh: str, toks: list[str], before: str, previous: str) -> str:
    """Turn an embedded question ("whether X would V …", "who would V …") into a direct one."""
    wh_low = wh.lower()
    toks = resolve(toks, before, previous)
    if wh_low in {"which", "what", "whose"} and len(toks) > 1 and is_plain_noun(toks[0]):
        wh, toks = f"{wh} {toks[0]}", toks[1:]  # "which country would house …"
        wh_low = "which"
    p = parse_clause(toks, wh_subject=wh_low in {"who", "what", "which"} and bool(toks) and toks[0].lower() in AUX)
    if wh_low in {"whether", "if"}:
        if toks[:1] and toks[0].lower() == "to":  # "whether to allow X …"
            return finish("Will they decide to " + join(toks[1:]))
        if p.aux is None:
            verb = p.verb
            if verb is None:
                return ""
            base = matter_verb(verb) or light_lemma(verb) or verb
            aux = "did" if verb.lower().endswith("ed") else "does"
            return finish(aux + " " + join([*p.subject, base, *p.rest]))
        rest = [*p.mid, *([p.verb] if p.verb else []), *p.rest]
        return finish(AUX[p.aux] + " " + join([*p.subject, *rest]))
    # wh-word questions
    if p.aux:  # "who would command the mission", "how long the withdrawal will take"
        rest = [*p.mid, *([p.verb] if p.verb else []), *p.rest]
        return finish(join([wh, AUX[p.aux], *p.subject, *rest]))
    if p.verb:
        return finish(join([wh, *p.subject, p.verb, *p.rest]))
    return finish(join([wh, *toks]))


def embedded_issue(anchor: Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """An embedded question: "whether the coalition would provide that protection", "who would fund it"."""
    before = sentence[: anchor.cue_start]
    toks = clause_tokens(sentence[anchor.start:])
    if toks[:1] == ["or"]:  # "whether or not …"
        toks = toks[2:] if toks[1:2] == ["not"] else toks[1:]
    if not toks:
        return None
    wh = anchor.name.lower()
    if wh == "whether" and toks[0].lower() == "to":  # "whether to allow Westminster to legislate …"
        p = Parse([], "will", toks[1] if len(toks) > 1 else None, toks[2:], False)
        question = finish("Will they decide to " + join(resolve(toks[1:], before, previous)))
    else:
        p = parse_clause(toks, toks[0].lower() in AUX)
        question = direct_question(anchor.name, toks, before, previous)
    if p.verb is None and p.aux is None:
        return None  # no clause follows: a nominal use
    wh_noun = ""
    if wh in {"which", "what", "whose"} and len(toks) > 1 and is_plain_noun(toks[0]):
        wh_noun = toks[0]  # "which country would house …"
        p = parse_clause(toks[1:], toks[1].lower() in AUX)
    topic = topic_from_parse(
        Parse(resolve(p.subject, before, previous), p.aux, p.verb, resolve(p.rest, before, previous), p.passive)
    )
    if wh_noun and (not topic or topic.lower() in PRONOUNS or light_lemma(p.verb or "") in COPULA):
        topic = wh_noun
    return (topic, question) if topic and question else None
