"""The cue rules of open issues: what each anchor asks, and what the rules make of a sentence.

``issue_for`` turns one anchor (``briefing.analyse.issues.clauses.find_anchors``) into a topic and a question: an
embedded question becomes a direct one ("who would fund it" -> "Who will fund the NATO mission?"); a cue phrase is
asked by its asker, ``ASKERS[cue.ask]`` (the subject before "is yet to be decided", the object after "refused to
rule out", a condition after "unless", a demand, a denial, a proposal, ...). ``scan_sentence`` runs the anchors on
one sentence and gives the detector its rule features ("cue:<name>", "wh:<word>", "rule:issue", ...).

A rule that fails on a clause shape it does not cover raises: that is a bug to fix, not an issue to drop (the
build reports the article and goes on).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing.analyse.issues.clauses import (
    AUX,
    CLAUSE_BREAK,
    DETERMINERS,
    GENERIC_HEADS,
    NOUN_OF,
    PREPOSITIONS,
    PRONOUNS,
    Q_CONTEXT,
    STOP,
    WH_KEYS,
    Anchor,
    Parse,
    clause_tokens,
    definite,
    find_anchors,
    finish,
    join,
    light_lemma,
    matter_verb,
    noun_phrase,
    parse_clause,
    resolve,
    subject_before,
    tokens,
    topic_from_np,
    topic_from_parse,
    topic_head,
)
from briefing.analyse.issues.cues import CUE_BY_NAME, CUE_WORDS, CUES, Cue
from briefing.analyse.issues.detect import lexicon_hits, words_of
from briefing.analyse.issues.questions import direct_question, embedded_issue
from briefing.analyse.issues.wordlists import RULE_WORDS, word_class

MAX_SENTENCE_CHARS = 1500  # a real news sentence is far shorter; longer runs are not scanned past this

Asked = tuple[str, str] | None  # (topic, question) of one anchor, or None when nothing usable is there
Asker = Callable[[Anchor, Cue, str, str], Asked]  # (anchor, its cue, sentence, previous sentence) -> Asked

_DECISION_NOUNS = word_class(RULE_WORDS, "decision_noun")
_DECISION_HEADS = _DECISION_NOUNS | {w[:-1] for w in _DECISION_NOUNS if w.endswith("s")}
_DISCLOSE_VERBS = word_class(RULE_WORDS, "disclose_verb")
_NOT_A_VERB = STOP | PREPOSITIONS | DETERMINERS | {"be", "have", "do"}

_ANNOUNCE_OBJECT = re.compile(r"\bto\s+(announce|unveil|publish|present|consider|set\s+out)\s+(.{3,120})", re.IGNORECASE)
_PENDING_VERB = re.compile(r"\bto\s+(?:be\s+(\w+)|(decide|rule|vote|respond))\b", re.IGNORECASE)
_WITHHELD_VERB = re.compile(
    r"\s*(?:rule\s+out|comment\s+on|elaborate(?:d)?\s+on|go\s+into|give\s+details\s+of|independently\s+verify|\w+)\s*",
    re.IGNORECASE,
)
_LEGAL_NOUN = re.compile(
    r"(?:the\s+)?((?:[A-Z]\w+\s+){0,2}Court|judicial\s+review|(?:legal\s+|court\s+)?challenges?|appeals?|"
    r"lawsuits?|legal\s+action|court\s+case)",
    re.IGNORECASE,
)
_ANSWERED = re.compile(r"\W*(?:When\s+)?asked\s+(?:if|whether|about|what|how|why)\b", re.IGNORECASE)
_DIRECT_QUESTION = re.compile(r"\?[\"'”’)]*\s*$")
_RELATIVE_BEFORE = re.compile(r"([^,;]{3,120}),\s+(?:which|that)\s+[^,;]*$")
_ADVICE = re.compile(r"\b(?:must|should|ought\s+to|need\s+to|cannot\s+afford)\b", re.IGNORECASE)
_FAILS_TO = re.compile(r"((?:[\w'’\-]+\s+){1,6}?)fail(?:s|ed)?\s+to\s+")
_NEGATION = re.compile(r"\b(do|does|did|is|are|was|were)\s+not\s+")


# --- cues whose matter is their subject --------------------------------------------------------------------------


def _subject(anchor: Anchor, sentence: str, previous: str, whole: bool = False) -> tuple[list[str], Anchor | None]:
    """The subject of a subject-side cue, pronouns resolved; or ([], the anchor of the embedded question it opens).

    With ``whole`` (a cue such as "key questions remain"), the matter is the last noun phrase before the cue that
    follows a preposition ("look into the X controversy as key questions remain": the X controversy).
    """
    start = anchor.start
    subj = subject_before(sentence, start, whole=whole)
    if not subj:  # "…, which will be considered": the noun phrase before the comma
        m = _RELATIVE_BEFORE.search(sentence[max(0, start - 150): start])
        if m:
            found = [w for w in tokens(m.group(1)) if w[0].isalnum()]
            subj = found[-3:]
    if not subj and re.search(r"\band\s+$", sentence[:start]):  # "X received a first reading and goes to a debate"
        subj = noun_phrase(tokens(sentence[:start]))[0]
    wh = next((w for w in subj[:1] if w.lower() in {"how", "what", "who", "whether", "why", "when", "where"}), None)
    if wh:  # "how the measure was introduced remained a matter for debate": the embedded question
        at = sentence.rfind(wh, 0, start)
        return [], Anchor(at + len(wh), at, "wh", wh)
    if whole:
        while subj and subj[-1].lower() in PREPOSITIONS | CLAUSE_BREAK:
            subj = subj[:-1]
        subj = subj[max((i + 1 for i, w in enumerate(subj) if w.lower() in PREPOSITIONS), default=0):]
    return resolve(subj, sentence[: max(0, start - 60)], previous), None


def _subject_matter(anchor: Anchor, cue: Cue, sentence: str, previous: str, whole: bool = False
                    ) -> tuple[str, str, Asked]:
    """(topic, the subject as a noun phrase, None) of a subject-side cue, or ("", "", the issue of its embedded
    question); topic "" when the subject names no matter."""
    subj, wh = _subject(anchor, sentence, previous, whole)
    if wh:
        return "", "", embedded_issue(wh, sentence[: anchor.start], previous)
    topic = topic_from_np(subj)
    if not topic or topic.lower() in PRONOUNS:
        return "", "", None
    if cue.decision and topic_head(topic) not in _DECISION_HEADS:
        return "", "", None  # "the meeting is due on Monday" is an event, not an open matter
    return topic, definite(join(subj)), None


def _subject_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A cue whose matter is its subject: "The vote is due to be taken" (the cue's question template)."""
    topic, np_text, asked = _subject_matter(anchor, cue, sentence, previous)
    if not topic:
        return asked
    return topic, finish(cue.question.format(t=np_text))


def _key_questions_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """Questions that remain about a named matter: "… the X controversy as key questions remain"."""
    topic, np_text, asked = _subject_matter(anchor, cue, sentence, previous, whole=True)
    if not topic:
        return asked
    return topic, finish(cue.question.format(t=np_text))


def _pending_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A decision awaited from the subject: "Ms Kelly is expected to announce her plans", "is due to rule"."""
    topic, np_text, asked = _subject_matter(anchor, cue, sentence, previous)
    if not topic:
        return asked
    m = _ANNOUNCE_OBJECT.search(sentence, anchor.cue_start)
    if m:  # "Ms Kelly is expected to announce her plans …": what is awaited is the object
        obj = clause_tokens(m.group(2))
        obj_topic = topic_from_np(obj)
        if obj_topic and obj_topic.lower() not in PRONOUNS:
            return obj_topic, finish(f"What will {np_text} {m.group(1)} on {join(noun_phrase(obj)[0])}")
    m = _PENDING_VERB.search(sentence, anchor.cue_start)
    if m and m.group(1):
        return topic, finish(f"Will {np_text} be {m.group(1)}")
    if m and m.group(2):
        return topic, finish(f"How will {np_text} {m.group(2)}")
    return topic, finish(cue.question.format(t=np_text))


def _not_yet_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A matter not yet settled: "the roles had yet to be determined" -> "When will the roles be determined?"."""
    topic, np_text, asked = _subject_matter(anchor, cue, sentence, previous)
    if not topic:
        return asked
    m = re.search(r"be(?:en)?\s+(\w+)", sentence[anchor.start: anchor.start + 60])
    return topic, finish(cue.question.format(t=np_text, verb=m.group(1) if m else "decided"))


def _court_date_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A court appearance to come: "X will appear before magistrates"."""
    subj, wh = _subject(anchor, sentence, previous)
    if wh:
        return embedded_issue(wh, sentence[: anchor.start], previous)
    if not subj:
        return None
    return cue.topic, finish(cue.question.format(t=definite(join(subj))))


def _fixed_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A cue whose matter is always the same: its topic and question as they stand ("no one has claimed
    responsibility"; "left details to be hammered out", generic, dropped when the sentence names more)."""
    return cue.topic, cue.question


def _location_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """Where something is to happen: "pressing for training to take place outside the country"."""
    start = anchor.start
    toks = tokens(sentence[max(0, start - 80): start])
    cut = max((i + 1 for i, w in enumerate(toks) if w.lower() in PREPOSITIONS or not w[0].isalnum()), default=0)
    topic = topic_from_np(toks[cut:][-2:])
    return (f"{topic} location", finish(cue.question.format(t=topic))) if topic else None


def _unconfirmed_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A report not confirmed: "The report could not be independently confirmed"."""
    subj = subject_before(sentence, anchor.cue_start)
    topic = topic_from_np(subj)
    if not topic or topic.lower() in PRONOUNS or topic.lower() in {"this", "that", "which"}:
        return None
    np_text = definite(join(subj))
    return topic, finish(f"{'Are' if topic.endswith('s') and not topic.endswith('ss') else 'Is'} {np_text} true")


def _bill_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A bill awaiting a vote: "a bill which would …"."""
    before = sentence[: anchor.cue_start]
    m = cue.pattern.match(sentence, anchor.cue_start)
    if not m:
        return None
    head = [w for w in tokens(m.group()) if w.lower() not in {"which", "that", "would", ","}]
    mods: list[str] = []
    for w in reversed(tokens(before)[-4:]):
        if not re.match(r"[\w£$€]", w) or w.lower() in STOP or w.lower() in PREPOSITIONS or w.lower() in AUX:
            break
        mods.insert(0, w)
    topic = " ".join([*mods[-2:], *head][-4:])
    return topic, finish(cue.question.format(t=topic))


# --- cues whose matter follows them ------------------------------------------------------------------------------


def _object_matter(inner: list[str], before: str, previous: str) -> tuple[str, str]:
    """(topic, noun phrase) of the clause after an object-side cue; ("", "") when it names no matter."""
    topic = topic_from_np(inner)
    if not topic or topic.lower() in PRONOUNS:
        return "", ""
    np_words = resolve(noun_phrase(inner)[0], before, previous)
    return topic, join(np_words) or topic


def _object_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A cue whose matter follows it: "disagreements over the budget" (the cue's question template)."""
    topic, np_text = _object_matter(clause_tokens(sentence[anchor.start:]), sentence[: anchor.cue_start], previous)
    return (topic, finish(cue.question.format(t=definite(np_text)))) if topic else None


def _agreement_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """An agreement hoped for: "hopes to reach a deal", "close to reaching an accord"."""
    inner = clause_tokens(sentence[anchor.start:])[cue.skip:]
    topic, np_text = _object_matter(inner, sentence[: anchor.cue_start], previous)
    if not topic:
        return None
    return topic, finish(cue.question.format(a="an" if np_text[:1].lower() in "aeiou" else "a", t=np_text))


def _possibility_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A possibility raised: "a possibility of Boeing challenging the decision"."""
    before = sentence[: anchor.cue_start]
    inner = clause_tokens(sentence[anchor.start:])
    np_words, used = noun_phrase(inner)
    gerund = inner[used] if used < len(inner) else ""
    if np_words and gerund.lower().endswith("ing"):
        lemma = matter_verb(gerund) or light_lemma(gerund)
        if lemma:
            topic = NOUN_OF.get(lemma, lemma)
            rest = join(resolve(inner[used + 1:], before, previous))
            return topic, finish(f"Will {join(np_words)} {lemma} {rest}")
    return _object_issue(anchor, cue, sentence, previous)


def _is_it_true_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A suspicion: "it is suspected that the fire was started deliberately"."""
    before = sentence[: anchor.cue_start]
    inner = clause_tokens(sentence[anchor.start:])
    p = parse_clause(inner, False)
    topic = topic_from_parse(p) if p.verb else topic_from_np(inner)
    return (topic, finish("Is it true that " + join(resolve(inner, before, previous)))) if topic else None


def _legal_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A legal challenge under way: "lodged an appeal", "challenging the law in the Supreme Court"."""
    m = _LEGAL_NOUN.match(sentence, anchor.start)
    if not m:
        return None
    noun = m.group(1)
    topic = f"{noun} challenge" if noun.endswith("Court") else noun.lower()
    return topic, finish(cue.question.format(t=topic))


def _possible_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A clause said possible or doubted: "it is possible that the talks will fail", "doubts that he will run"."""
    before = sentence[: anchor.cue_start]
    inner = clause_tokens(sentence[anchor.start:])
    if not inner or inner[0].lower() in {"how", "whether", "who"}:
        return None  # an embedded question, handled as such
    p = parse_clause(inner, False)
    if p.verb is None:
        return None
    topic = topic_from_parse(Parse(resolve(p.subject, before, previous), p.aux, p.verb, p.rest, p.passive))
    question = direct_question("whether", inner, before, previous)
    return (topic, question) if topic and question else None


def _quoted_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A question the article reports being asked: '"Who will pay for this?" the mayor asked'."""
    m = re.match(r"([^\"”]{8,200}\?)", sentence[anchor.start:])
    if not m:
        return None
    wh = re.match(r"\s*(\w+)", m.group(1))
    if re.match(r"\s*(?:\w+n't|why)\b", m.group(1), re.IGNORECASE):
        return None  # "Wouldn't this be …?", "Why do we need …?": rhetorical
    toks = clause_tokens(m.group(1))
    if wh and wh.group(1).lower() in WH_KEYS:
        p = parse_clause(toks[1:], True)
    elif toks[:1] and toks[0].lower() in AUX:  # "Will he resign?": subject and verb after the auxiliary
        p = parse_clause(toks[1:], False)
        if p.verb is None and len(toks) > 2:
            p = Parse(toks[1:2], toks[0].lower(), toks[2], toks[3:], False)
    else:
        p = parse_clause(toks, False)
    topic = topic_from_parse(p)
    return (topic, finish(m.group(1))) if topic else None


def _condition_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A condition not yet met: "unless the changes are agreed", "if Russia failed to implement the plan"."""
    before = sentence[: anchor.cue_start]
    if _ADVICE.search(before):
        return None  # "parties must wake up … unless they address …" is advice
    clause = sentence[anchor.start: anchor.start + 300]
    m = _FAILS_TO.match(clause)
    if m:  # "if Russia failed to fully implement the peace plan" -> "Will Russia fully implement the peace plan?"
        subj = join(resolve(tokens(m.group(1)), before, previous))
        inner = clause_tokens(clause[m.end():])
        verbs = [w for w in inner if not w.lower().endswith("ly")]
        if not verbs:
            return None
        lemma = matter_verb(verbs[0])
        topic = topic_from_np(verbs[1:])
        if lemma and not light_lemma(verbs[0]) and lemma != "implement":
            topic = NOUN_OF[lemma]
        return (topic, finish(f"Will {subj} {join(resolve(inner, before, previous))}")) if topic else None
    inner = clause_tokens(_NEGATION.sub(r"\1 ", clause))  # "if the broadcasts do not stop" -> "… do stop"
    p = parse_clause(inner, False)
    if p.verb is None or not p.subject:
        return None
    topic = topic_from_parse(p)
    subj = join(resolve(p.subject, before, previous))
    rest = join(resolve(p.rest, before, previous))
    if p.aux in {"is", "are", "was", "were"} and subj.lower() == "there":  # "unless there is a major movement"
        question = f"Will there be {join([p.verb, *resolve(p.rest, before, previous)])}"
        topic = topic_from_np([p.verb, *p.rest]) or topic
    elif p.passive or (p.aux in {"is", "are"} and p.verb.lower().endswith("ed")):
        question = f"Will {subj} be {p.verb} {rest}"
    else:
        question = f"Will {subj} {matter_verb(p.verb) or light_lemma(p.verb) or p.verb} {rest}"
    return (topic, finish(question)) if topic else None


def _withheld(anchor: Anchor, sentence: str, previous: str, pending: bool) -> Asked:
    """Withheld or pending: "refused to rule out tax rises", "has yet to name the date", "was supposed to …".

    With ``pending`` (a cue of an action not yet taken: "has yet to", "was supposed to"), a verb other than one of
    telling asks whether the action will be taken.
    """
    before = sentence[: anchor.cue_start]
    m = _WITHHELD_VERB.match(sentence, anchor.start)
    verb_text = m.group().strip().lower() if m else ""
    inner = clause_tokens(sentence[m.end() if m else anchor.start:])
    if not inner:
        return None
    obj = join(resolve(inner, before, previous))
    if verb_text == "rule out":
        if inner[0].lower() == "that":  # "did not rule out that there had been an agreement"
            p = parse_clause(inner[1:], False)
            topic = topic_from_parse(p)
            if p.verb and topic and topic.lower() not in PRONOUNS:
                return topic, finish("Is it possible that " + join(resolve(inner[1:], before, previous)))
            return None
        topic = topic_from_np(inner)
        return (topic, finish("Will there be " + obj)) if topic else None
    who = definite(join(resolve(subject_before(sentence, anchor.cue_start), before[: max(0, anchor.cue_start - 80)],
                              previous)))
    verb = verb_text.split()[0] if verb_text else ""
    if pending and verb not in _DISCLOSE_VERBS:
        # "has yet to V O": an action not yet taken
        lemma = matter_verb(verb)
        topic = NOUN_OF[lemma] if lemma and not light_lemma(verb) else topic_from_np(inner)
        return (topic, finish(f"Will {who} {verb} {obj}")) if topic and who else None
    topic = topic_from_np(inner)
    if not topic or topic.lower() in PRONOUNS or topic.lower() in {"details", "specifics", "comment"}:
        return None
    if verb == "name" and who:
        return topic, finish(f"When will {who} name {obj}")
    if verb in {"verify", "independently", "confirm", "confirmed"}:
        return topic, finish(f"{'Are' if topic_head(topic) != topic.split()[-1].lower() else 'Is'} {definite(obj)} true")
    return topic, finish(f"What is {definite(obj)}" if verb in {"name", "identify", "say", "disclose", "reveal"}
                          else f"What are the details of {definite(obj)}")


def _withheld_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """Something not said: "refused to rule out tax rises", "would not say who"."""
    return _withheld(anchor, sentence, previous, pending=False)


def _not_done_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """An action not yet taken: "has yet to name the date", "was supposed to sign the deal"."""
    return _withheld(anchor, sentence, previous, pending=True)


# --- the recall families: pending actions, denials, proposals, negotiations, unknowns ----------------------------


def _who_ok(toks: list[str]) -> bool:
    """True when ``toks`` look like a noun phrase naming who acts (no verb, no clause words)."""
    if not toks or len(toks) > 8:
        return False
    first = toks[0]
    if not (first[:1].isupper() or first.lower() in DETERMINERS or first.lower() in {"ministers", "officials"}):
        return False
    for t in toks:
        low = t.lower()
        if low in {"to", "and", "we", "i", "you", "is", "are", "was", "were", "there", "as", "if", "so", "on"} | WH_KEYS:
            return False
        if not t[:1].isupper() and (light_lemma(t) or matter_verb(t)) and low.endswith(("ed", "ing")):
            return False
    return True


def _verb_issue(verb: str, rest: list[str], who: str, before: str, previous: str) -> tuple[str, str] | None:
    """A pending action "<who> <verb> <rest>": topic from the verb's noun and its object; a yes/no question."""
    low = verb.lower()
    if low in _NOT_A_VERB or not who or low.endswith(("ed", "ing")) and not matter_verb(verb) == low:
        return None
    lemma = matter_verb(verb)
    light = light_lemma(verb)
    obj = rest[1:] if rest[:1] and rest[0].lower() in {"on", "up", "out", "off", "for", "with", "down"} else rest
    obj_topic = topic_from_np(obj)
    if lemma and not light:
        topic = NOUN_OF[lemma]
        head = obj_topic.split()[-1] if obj_topic and obj_topic.lower() not in PRONOUNS else ""
        if head and head.lower() not in GENERIC_HEADS and head.lower() != topic:
            topic = f"{head} {topic}"  # "oppose the Bill" -> "Bill opposition"
    else:
        topic = obj_topic
    if not topic or topic.lower() in PRONOUNS:
        return None
    return topic, finish(f"Will {who} {low} {join(resolve(rest, before, previous))}")


def _action_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A demand or plan not yet carried out: "called on ministers to reassure …", "plans to sue the government".

    When the cue's pattern names who is to act (a group ``who``: "called on ministers to …"), that is the actor;
    else the subject before the cue.
    """
    m = cue.pattern.match(sentence, anchor.cue_start)
    if not m:
        return None
    before = sentence[: anchor.cue_start]
    if "who" in cue.pattern.groupindex:
        who_toks = tokens(m.group("who"))
    else:
        last = before.split()[-1:]
        if m.group().split()[0].lower().startswith("plan") and any(
            (light_lemma(t) or matter_verb(t) or t.lower().endswith("ed")) and not t[:1].isupper()
            for t in subject_before(sentence, anchor.cue_start)[1:]
        ):
            return None  # "he attacked Tory plans to …": a noun
        if last and last[0].lower().strip("\"'“”") in DETERMINERS:
            return None  # "its plans to …": a noun, the plan is named not pending
        who_toks = subject_before(sentence, anchor.cue_start)
    if not _who_ok(who_toks):
        return None
    who = definite(join(resolve(who_toks, before[:-60], previous)))
    rest = clause_tokens(sentence[m.end():])
    return _verb_issue(m.group("verb"), rest, who, before, previous)


def _denial_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A claim one party denies: "denied the claims", "dismissed allegations …"."""
    before = sentence[: anchor.cue_start]
    toks = clause_tokens(sentence[anchor.start:])
    if not toks:
        return None
    np_words = noun_phrase(toks)[0]
    topic = topic_from_np(toks)
    if not topic:
        return None
    if topic_head(topic) == "wrongdoing":
        return topic, "Was there any wrongdoing?"
    np_text = definite(join(resolve(np_words, before, previous)))
    return topic, finish(f"{'Are' if np_words[-1].lower().endswith('s') else 'Is'} {np_text} true")


def _proposal_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A proposal awaiting a decision: "a proposal to divide …", "proposals for a new tax"."""
    before = sentence[: anchor.cue_start]
    toks = clause_tokens(sentence[anchor.start:])
    if not toks:
        return None
    if re.search(r"\b(?:withdr[ae]wn?|dropped|abandoned|scrapped|rejected|shelved)\s+$", before):
        return None  # "has withdrawn proposals to …": settled
    if sentence[anchor.cue_start: anchor.start].rstrip().lower().endswith("for"):
        topic = topic_from_np(toks)
        np_text = join(noun_phrase(toks)[0])
        return (topic, finish(f"Will the proposal for {np_text} be adopted")) if topic else None
    got = _verb_issue(toks[0], toks[1:], "they", before, previous)
    if not got:
        return None
    topic = got[0] if matter_verb(toks[0]) and not light_lemma(toks[0]) else topic_from_np(toks[1:]) or got[0]
    return topic, finish(f"Will the proposal to {join(resolve(toks, before, previous))} be adopted")


def _call_for_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A demand for a named measure: "called for an independent inquiry", "pressing for a ceasefire"."""
    before = sentence[: anchor.cue_start]
    toks = clause_tokens(sentence[anchor.start:], limit=12)
    np_words, used = noun_phrase(toks)
    while np_words and np_words[-1].lower().endswith(("ed", "ing")):
        np_words = np_words[:-1]
    topic = topic_from_np(np_words)
    if np_words and np_words[-1].lower() in {"end", "halt"} and toks[used: used + 1] in (["to"], ["of"]):
        topic = topic_from_np(toks[used + 1:]) or topic  # "an end to Mubarak's rule": the rule
        np_words = toks[: used + 1 + len(noun_phrase(toks[used + 1:])[0])]
    if not topic or _ADVICE.search(before[-40:]):
        return None
    if np_words and np_words[0].lower() in {"a", "an", "the"}:
        np_words = np_words[1:]  # "calling for an end to ...": the article is chosen below
    np_text = join(resolve(np_words, before, previous))
    return topic, finish(f"Will there be {'an' if np_text[:1].lower() in 'aeiou' else 'a'} {np_text}")


def _negotiation_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """Negotiations still going on: "there are ongoing negotiations with …", "talks continue"."""
    m = re.search(r"\b(talks|negotiations)\b", sentence[anchor.cue_start: anchor.cue_start + 120], re.IGNORECASE)
    if not m:
        return None
    word = m.group(1).lower()
    after = clause_tokens(sentence[anchor.cue_start + m.end():], limit=10)
    tail = ""
    if after[:1] and after[0].lower() in {"with", "on", "over", "about", "between", "to"}:
        np_words = noun_phrase(after[1:])[0] if after[0].lower() != "to" else after[1:6]
        tail = " " + join([after[0], *resolve(np_words, sentence[: anchor.cue_start], previous)])
    return word, finish(f"What will the {word}{tail} produce")


def _suspicion_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """An arrest on suspicion: "was arrested on suspicion of incitement …" (guilt not established)."""
    toks = clause_tokens(sentence[anchor.start:], limit=10)
    topic = topic_from_np(toks)
    if not topic:
        return None
    return topic, finish(cue.question.format(t=join(noun_phrase(toks)[0])))


def _threat_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A threat with a condition: "workers will strike if …", "threatened to resign unless …"."""
    before = sentence[: anchor.cue_start]
    verb = sentence[anchor.start:].split()[0].lower()
    who = subject_before(sentence, anchor.cue_start)
    if not _who_ok(who) and not (who and who[-1].lower() in {"workers", "staff", "members", "unions", "union"}):
        return None
    topic = {"sue": "lawsuit", "quit": "resignation", "resign": "resignation", "walk": "walkout",
             "take": "action"}.get(verb, verb)
    return topic, finish(f"Will {definite(join(resolve(who, before[:-60], previous)))} {verb}"
                         f"{' out' if verb == 'walk' else ''}")


def _unknown_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """An unknown: "there is no public confirmation of numbers"."""
    toks = clause_tokens(sentence[anchor.start:], limit=8)
    topic = topic_from_np(toks)
    if not topic:
        return None
    return topic, finish(f"What {'are' if topic.endswith('s') else 'is'} {definite(join(noun_phrase(toks)[0]))}")


def _penalty_issue(anchor: Anchor, cue: Cue, sentence: str, previous: str) -> Asked:
    """A pending sentence or trial: "could face the death penalty", "faces up to 20 years in prison"."""
    m = cue.pattern.match(sentence, anchor.cue_start)
    if not m:
        return None
    before = sentence[: anchor.cue_start]
    obj = join(clause_tokens(sentence[m.start("obj"):], limit=10))
    who_toks = subject_before(sentence, anchor.cue_start)
    if not who_toks:
        return None
    who = definite(join(resolve(who_toks, before[:-60], previous)))
    topic = "death penalty" if "death penalty" in obj.lower() else "sentence" if "year" in obj or "life" in obj else topic_head(obj)
    return topic, finish(f"Will {who} face {obj}")


# How each cue is asked: ``Cue.ask`` names one of these.
ASKERS: dict[str, Asker] = {
    "subject": _subject_issue, "key_questions": _key_questions_issue, "pending": _pending_issue,
    "not_yet": _not_yet_issue, "court_date": _court_date_issue, "fixed": _fixed_issue,
    "location": _location_issue, "unconfirmed": _unconfirmed_issue, "bill": _bill_issue,
    "object": _object_issue, "agreement": _agreement_issue, "possibility": _possibility_issue,
    "is_it_true": _is_it_true_issue, "legal": _legal_issue, "possible": _possible_issue, "quoted": _quoted_issue,
    "condition": _condition_issue, "withheld": _withheld_issue, "not_done": _not_done_issue,
    "action": _action_issue, "denial": _denial_issue, "proposal": _proposal_issue, "call_for": _call_for_issue,
    "negotiations": _negotiation_issue, "suspicion": _suspicion_issue, "threat": _threat_issue,
    "unknown": _unknown_issue, "penalty": _penalty_issue,
}
if _unknown := sorted({c.ask for c in CUES} - set(ASKERS)):
    raise LookupError(f"cues ask with {_unknown}, which is no asker of briefing.analyse.issues.rules.ASKERS")


def issue_for(anchor: Anchor, sentence: str, previous: str) -> Asked:
    """(topic, question) for one anchor of ``sentence``, or None when nothing usable is there."""
    if anchor.kind == "wh":
        return embedded_issue(anchor, sentence, previous)
    cue = CUE_BY_NAME[anchor.name]
    return ASKERS[cue.ask](anchor, cue, sentence, previous)


# --- one sentence ------------------------------------------------------------------------------------------------

# sentences that only report a settled outcome or a past failure are not open issues
_SETTLED = re.compile(r"\b(?:has|have|had)\s+(?:now\s+)?(?:decided|ruled|agreed|voted)\s+(?:to|that|against|in\s+favou?r)\b",
                      re.IGNORECASE)
KEY_WORDS = frozenset({k for c in CUES for k in c.keys | c.also} | WH_KEYS | Q_CONTEXT)
_PUNCT_TO_SPACE = str.maketrans({c: " " for c in "!\"#$%&()*+,./:;<=>?@[\\]^_`{|}~“”‘’—–…"})
# the detector's lexicon entries that, with an issue the rules phrased, make the sentence state the matter open
_EXPLICIT_LEXICON = frozenset({"unclear", "to_be_seen", "not_said", "face_penalty", "quoted_q"})
# the rule features of a sentence in which the article itself states a matter open (see ``EXPLICIT_MARGIN``)
EXPLICIT_CUES = frozenset({"rule:explicit"} | {"cue:" + c.name for c in CUES if c.explicit})


@dataclass
class Found:
    """An unresolved clause found in one sentence."""

    index: int  # sentence index
    start: int  # character offset of the clause in the sentence
    kind: str  # what found it: the anchor's name (a wh-word or a cue's name), or "detector"
    topic: str
    question: str


@dataclass
class Scan:
    """What the rules make of one sentence: their cue features and the issues they can phrase there."""

    rules: list[str]  # rule features: "cue:<family>", "wh:<word>", "rule:settled", "rule:answered", "rule:issue", ...
    found: list[Found]  # issues phrased from the anchors (for any sentence the detector keeps)
    rule_kept: bool  # True when the rules alone would list an issue here (the fallback decision)


_NO_SCAN = Scan([], [], False)


def scan_sentence(index: int, sentences: Sequence[str]) -> Scan:
    """Run the rule cues on sentence ``index`` and phrase what they find."""
    text = sentences[index][:MAX_SENTENCE_CHARS]
    # a set test on the sentence's words finds the few sentences worth a closer look
    words = KEY_WORDS.intersection(text.lower().translate(_PUNCT_TO_SPACE).split())
    if CUE_WORDS.isdisjoint(words) and "whether" not in words and (
        WH_KEYS.isdisjoint(words) or Q_CONTEXT.isdisjoint(words)
    ):
        return _NO_SCAN
    anchors = find_anchors(text, frozenset(words))
    if not anchors:
        return _NO_SCAN
    rules = [("wh:" + a.name.lower().split()[0]) if a.kind == "wh" else "cue:" + a.name for a in anchors]
    settled = bool(_SETTLED.search(text)) and "whether" not in words
    answered = bool(_ANSWERED.match(text))
    direct = bool(_DIRECT_QUESTION.search(text))
    if settled:
        rules.append("rule:settled")
    if answered:
        rules.append("rule:answered")
    if direct:  # rhetorical or hypothetical, unless reported as asked
        anchors = [a for a in anchors if a.kind == "cue" and CUE_BY_NAME[a.name].in_question]
    previous = sentences[index - 1][:MAX_SENTENCE_CHARS] if index else ""
    found: list[Found] = []
    for anchor in anchors:
        got = issue_for(anchor, text, previous)
        if got is None:
            continue
        topic, question = got
        topic = " ".join(topic.split()[:4])
        if len(question) < 10 or not topic:
            continue
        if not question.endswith("?"):
            question += "?"
        found.append(Found(index, anchor.start, anchor.name, topic, question))
    if found:
        rules.append("rule:issue")
        lows = [w.lower() for w in words_of(text)]
        if lexicon_hits(text, lows) & _EXPLICIT_LEXICON and not settled and not answered:
            rules.append("rule:explicit")
    return Scan(rules, found, bool(found) and not settled and not answered)
