"""Open issues: the matters an article presents as unresolved, named and phrased as questions.

The method is rule-based so that it is fast, explainable and not tied to one article:

1. *Anchors*: each sentence is scanned for places where an unresolved clause starts. Two families:
   embedded questions ("whether …", "who would …" after a verb or noun that takes a question:
   "refused to say", "unclear", "issues included", "to see if") and cue phrases for pending or
   unknown matters ("yet to", "is expected to rule", "under investigation", "unless", "sticking
   point", …).
2. *Topic*: from the head of the unresolved clause. A verb is turned into its noun (fund →
   funding, protect → protection); a light verb (provide, reach, take) hands over to its object;
   a passive or intransitive clause to its subject ("whether the challenge has succeeded" →
   challenge).
3. *Question*: the clause is turned into a direct question ("who would fund it" → "Who will fund
   the NATO mission?"), resolving a simple pronoun from the same or the previous sentence.
4. *Merge*: issues with the same topic head in one article are kept once.

Every pattern is linear (bounded windows, no nested quantifiers) and sentences are scanned only up
to a bounded length, so pathological input returns quickly.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from briefing.analyse.issues.detect import (
    Detector,
    Factuality,
    default_detector,
    lexicon_hits,
    sentence_features,
    with_context,
    words_of,
)
from briefing.analyse.issues.questions import check_question, phrase_question
from briefing.models import OpenIssue

logger = logging.getLogger(__name__)

MAX_SENTENCE_CHARS = 1500  # a real news sentence is far shorter; longer runs are not scanned past this
MAX_ISSUES = 12  # per article

# --- word lists --------------------------------------------------------------------------------

_AUX = {
    "would": "will", "will": "will", "could": "can", "can": "can", "should": "should", "may": "may",
    "might": "might", "must": "must", "shall": "will", "has": "has", "have": "have", "had": "had",
    "is": "is", "are": "are", "was": "was", "were": "were", "does": "does", "do": "do", "did": "did",
    "'ll": "will",
}
_BE_HAVE = {"is", "are", "was", "were", "be", "been", "being", "has", "have", "had"}
_LIGHT = {
    "provide", "make", "take", "give", "get", "have", "do", "go", "come", "reach", "meet", "allow",
    "put", "find", "see", "achieve", "secure", "face", "need", "want", "seek", "continue", "start",
    "begin", "try", "hold", "keep", "agree", "decide", "manage", "plan", "offer", "include", "cover",
    "win", "say", "tell", "let", "help", "use", "bring", "set", "show", "look", "receive", "obtain",
}
_COPULA = {"be", "remain", "stay", "become", "serve", "continue", "act"}
# verb lemma -> the noun that names the matter
_NOUN_OF = {
    "fund": "funding", "finance": "financing", "pay": "payment", "command": "command", "lead": "leadership",
    "protect": "protection", "defend": "defence", "secure": "security", "train": "training",
    "decide": "decision", "vote": "vote", "approve": "approval", "ratify": "ratification",
    "sign": "signing", "agree": "agreement", "accept": "acceptance", "reject": "rejection",
    "withdraw": "withdrawal", "deploy": "deployment", "intervene": "intervention", "invade": "invasion",
    "attack": "attack", "strike": "strikes", "retaliate": "retaliation", "release": "release",
    "free": "release", "arrest": "arrest", "charge": "charges", "prosecute": "prosecution",
    "extradite": "extradition", "deport": "deportation", "detain": "detention", "punish": "punishment",
    "sentence": "sentence", "appeal": "appeal", "challenge": "challenge", "investigate": "investigation",
    "legislate": "legislation", "regulate": "regulation", "ban": "ban", "abolish": "abolition",
    "reform": "reform", "modify": "modification", "amend": "amendment", "change": "change",
    "replace": "replacement", "renew": "renewal", "extend": "extension", "expand": "expansion",
    "build": "construction", "close": "closure", "open": "opening", "merge": "merger",
    "sell": "sale", "buy": "purchase", "acquire": "acquisition", "privatise": "privatisation",
    "privatize": "privatization", "nationalise": "nationalisation", "invest": "investment",
    "cut": "cuts", "push": "pressure", "pressure": "pressure", "raise": "rise", "increase": "increase", "reduce": "reduction", "tax": "tax",
    "elect": "election", "nominate": "nomination", "appoint": "appointment", "resign": "resignation",
    "recognise": "recognition", "recognize": "recognition", "annex": "annexation",
    "host": "hosting", "join": "membership", "implement": "implementation", "enforce": "enforcement",
    "negotiate": "negotiations", "compensate": "compensation", "rescue": "rescue", "bail": "bailout",
    "publish": "publication", "announce": "announcement", "respond": "response", "comply": "compliance",
    "cooperate": "cooperation", "co-operate": "co-operation", "supply": "supply", "deliver": "delivery", "evacuate": "evacuation",
    "return": "return", "recall": "recall", "suspend": "suspension", "cancel": "cancellation",
    "postpone": "postponement", "delay": "delay", "compete": "competition", "contest": "contest",
    "stand": "candidacy", "run": "candidacy", "disarm": "disarmament", "oppose": "opposition",
    "support": "support", "back": "backing", "endorse": "endorsement", "ensure": "guarantee",
    "guarantee": "guarantee", "verify": "verification", "inspect": "inspection", "monitor": "monitoring",
    "cause": "cause", "kill": "killing", "survive": "survival", "win": "outcome",
    "sue": "lawsuit", "apologise": "apology", "apologize": "apology", "scrap": "abolition",
}
_NOUN_OF_FORMS: dict[str, str] = {}
for _verb in _NOUN_OF:
    _stem = _verb[:-1] if _verb.endswith("e") else _verb
    for _form in (_verb, _verb + "s", _verb + "es", _stem + "ed", _stem + "ing", _verb + "d",
                  _verb + _verb[-1] + "ed", _verb + _verb[-1] + "ing"):
        _NOUN_OF_FORMS.setdefault(_form, _verb)
_NOUN_OF_FORMS.update({"paid": "pay", "led": "lead", "built": "build", "sold": "sell", "bought": "buy",
                       "struck": "strike", "ran": "run", "won": "win", "stood": "stand", "freed": "free",
                       "implemented": "implement", "funded": "fund", "cut": "cut"})
_STOP = frozenset(
    """a an the this that these those his her its their our my your any some all such each every no
    other another more most much many few several both either neither own same further certain
    what which who whom whose how when where why whether if he she it they we you i him them us me
    there here and or but nor so yet also even just only still already now then very too quite
    not n't never one ones""".split()
)
_DETERMINERS = frozenset(
    "a an the this that these those his her its their our my your any some all such each every no".split()
)
_PREPOSITIONS = frozenset(
    """of in on at to for from by with about over under into onto after before during between against
    among through without within across behind beyond toward towards upon via amid despite as like
    than outside inside near since until while because unless if whether""".split()
)
_CLAUSE_BREAK = frozenset("and or but nor because while although though since unless so yet after before".split())
_GENERIC_HEADS = frozenset(
    """future fate outcome issue issues question questions matter matters details detail terms scope
    nature form size timing date time role roles cost level status reintroduction specifics shape
    extent make-up makeup composition location venue types type kinds kind sorts forms parts part structure
    some all most many portion share number amount""".split()
)
_NP_STOP = frozenset(
    """to that who which whom today tomorrow yesterday tonight monday tuesday wednesday thursday friday
    saturday sunday next last this soon later earlier now""".split()
)
_PRONOUNS = {"it": "sg", "its": "sg", "they": "pl", "them": "pl", "their": "pl", "he": "m", "him": "m",
             "his": "m", "she": "f", "her": "f"}
_TITLES = r"(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|President|Prime Minister|Minister|Secretary|General|Senator|Chancellor)"
_WH = r"(?:whether|who|whom|what|which|how(?:\s+(?:long|much|many|far|hard|soon|quickly))?|when|where|why)"

# --- anchor patterns -----------------------------------------------------------------------------

_W = r"[\w'’\-.]+"  # one word token (bounded windows use {0,n} of these)
# An embedded question ("issues included who would …") follows a word that takes one, at most a few
# words before the wh-word. Checked on a small word window before each wh-word: a sentence-wide
# regex with these alternations was ten times slower.
_WH_WORD = re.compile(r"(?<![\w])(?:[Ww](?:ho|hat|hich|hen|here|hy)|[Hh]ow)\b")
_TRIGGERS = frozenset(
    """clear unclear unknown uncertain unsure undecided decide decides decided deciding determine determines
    determined determining ask asks asked asking wonder wonders wondered wondering include includes included
    including discuss discusses discussed discussing debate debates debated debating consider considers
    considered considering clarify clarified uncover understand explore examine assess assessed assessing
    question questions questioned doubt doubts sceptical skeptical over about""".split()
)
_TRIGGER_PAIRS = frozenset(
    """to:see to:establish find:out centres:on centers:on centred:on centered:on focus:on focuses:on focused:on
    rule:on decision:on vote:on as:to""".split()
)
_SAY_VERBS = frozenset(
    """say said explain explained disclose disclosed reveal revealed specify specified confirm confirmed indicate
    indicated elaborate comment know knew tell told answer answered address decide clear sure certain""".split()
)
_IF_VERBS = frozenset(
    "say said says know knows known see ask asked asks clear unclear decide decided sure wonder wondered check "
    "confirm confirmed indicate indicated".split()
)
_NEGATORS = frozenset(
    "not never refused declined refusing declining unable failed failing no yet need needs needed".split()
)
_FILLERS = frozenset("exactly precisely just yet now still also clearly immediately publicly on about as to of".split())
_UNCERTAIN_NOUNS = frozenset(
    """questions question doubt doubts uncertainty concern concerns speculation debate talks row dispute
    disagreement argument arguments wrangling clarity unclear decision decide negotiations worries confusion
    divided split""".split()
)
_WORD_RE = re.compile(r"[\w']+")


def _takes_question(window: str) -> bool:
    """True when the words just before a wh-word (``window``) make it an embedded question."""
    words = [w.lower() for w in _WORD_RE.findall(window)][-6:]
    n = len(words)
    for i in range(n - 1, max(-1, n - 4), -1):
        w = words[i]
        hit = False
        if w in _TRIGGERS:
            hit = w not in {"about", "over"} or (i > 0 and words[i - 1] in _UNCERTAIN_NOUNS)
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


@dataclass(frozen=True)
class _Cue:
    """A cue phrase: ``side`` says whether the matter is its subject or its complement."""

    name: str
    pattern: re.Pattern[str]
    side: str  # "subj": the noun phrase before the cue; "obj": what follows it
    keys: frozenset[str]  # the regex runs only on sentences containing one of these words (speed) …
    also: frozenset[str]  # … and, when not empty, one of these


def _cue(name: str, side: str, pattern: str) -> _Cue:
    return _Cue(name, re.compile(pattern, re.IGNORECASE), side, frozenset(_CUE_KEYS[name]),
                frozenset(_CUE_ALSO.get(name, ())))


def _forms(*stems: str) -> tuple[str, ...]:
    """Word forms of regular verb stems ("refus" -> refuse, refused, refuses, refusing)."""
    return tuple(f for st in stems for f in (st, st + "e", st + "ed", st + "es", st + "s", st + "ing"))


# Words one of which a sentence must contain for a cue's regex to run there (a set test is far
# cheaper than running every regex on every sentence).
_CUE_KEYS: dict[str, tuple[str, ...]] = {
    "yet_passive": ("yet", "still"),
    "not_yet_passive": ("not",),
    "yet_to": ("yet",),
    "remains_unclear": ("unclear", "uncertain", "unknown", "undecided", "unresolved", "doubt", "question", "air", "known",
                        "decided", "determined", "settled", "agreed", "resolved", "seen", "under"),
    "has_been_in_question": ("question", "doubt", "review", "discussion", "consideration", "subject"),
    "refused": (*_forms("refus", "declin", "fail"), "unable", "not", "didn't", "wouldn't", "couldn't", "won't",
                "hasn't", "haven't"),
    "expected_to_decide": ("expected", "due", "set", "scheduled", "poised", "likely", "preparing", "decide",
                           "rule", "vote", "announce", "respond", "consider", "deliver", "sign", "issue", "publish",
                           "hear", "resume", "hold"),
    "decision_expected": ("expected", "due", "awaited", "pending"),
    "considering": ("considering", "weighing", "reviewing", "debating", "discussing", "negotiating", "studying"),
    "investigating": ("investigating",),
    "investigation": ("investigation",),
    "investigation_into": ("investigation", "inquiry", "probe"),
    "suspected": ("suspected", "alleged", "known", "unclear"),
    "unless": ("unless",),
    "if_not": ("if",),
    "dispute_over": ("disagreement", "disagreements", "dispute", "disputes", "division", "divisions",
                     "differences", "wrangling", "deadlock", "standoff", "stand-off", "impasse", "split", "divided",
                     "odds"),
    "sticking_point": ("sticking", "contention", "stumbling", "outstanding"),
    "outstanding": ("outstanding", "unresolved"),
    "hammered": ("out",),
    "hopes_to": ("hope", "hopes", "hoped", "hoping"),
    "possible_agreement": ("possible", "optimistic", "hopeful", "close"),
    "possibility": ("possibility",),
    "doubts": ("doubt", "doubts", "sceptical", "skeptical", "scepticism", "skepticism"),
    "key_questions": ("questions",),
    "talks_on": ("future",),
    "take_place": ("place", "held", "based", "located", "stationed"),
    "legal_action": ("review", "challenge", "challenges", "appeal", "appeals", "lawsuit", "lawsuits", "action",
                     "case"),
    "court_challenge": ("court",),
    "opposed_by": ("opposed", "contested", "disputed", "resisted"),
    "scheduled_for": ("scheduled", "set", "due", "planned", "slated"),
    "goes_to_vote": ("vote", "debate", "ballot", "referendum"),
    "supposed_to": ("supposed", "meant"),
    "possible_that": ("possible",),
    "matter_for_debate": ("debate", "speculation", "dispute", "conjecture", "discussion"),
    "future_review": ("considered", "debated", "examined", "reviewed", "decided", "voted", "discussed", "assessed"),
    "undecided_np": ("undecided", "unspecified", "undisclosed", "unconfirmed", "undetermined"),
    "no_x_yet": ("no",),
    "until": ("until",),
    "not_guaranteed": ("guaranteed", "assured", "certain"),
    "only_if": ("only",),
    "court_date": ("appear",),
    "quoted_question": ("asked",),
    "face_penalty": ("face", "faces", "facing"),
    "not_confirmed": ("confirmed", "verified"),
    # recall families added after the held-out checks: demands, plans, future decisions, denials,
    # proposals awaiting approval, ongoing negotiations, unknowns
    "demand": (*_forms("call", "press", "want", "demand"), "called", "pressed", "wanted"),
    "call_for": ("call", "calls", "called", "calling", "press", "pressing", "pressed"),
    "plans_to": (*_forms("plan", "intend", "seek", "threaten", "prepar"), "planned", "planning", "sought",
                 "preparing", "prepared"),
    "deny_claim": (*_forms("den", "refut", "reject", "dismiss"), "deny", "denied", "denies", "denying", "dismissed"),
    "faces_vote": ("faces", "facing", "faced", "face"),
    "bill_would": ("would",),
    "proposal_to": ("proposal", "proposals"),
    "negotiations": ("talks", "negotiations"),
    "no_one_claimed": ("claimed", "claim"),
    "no_confirmation": ("confirmation",),
    "suspicion": ("suspicion",),
    "threat_if": ("if", "unless"),
}
_CUE_ALSO: dict[str, tuple[str, ...]] = {
    "refused": ("say", "comment", "confirm", "disclose", "reveal", "specify", "elaborate", "go", "give", "verify",
                "name", "identify", "elaborated", "specified", "disclosed", "revealed", "confirmed", "said", "rule"),
    "not_yet_passive": ("been",),
    "expected_to_decide": ("decide", "rule", "vote", "announce", "respond", "consider", "deliver", "make", "sign",
                           "be", "hold"),
    "not_guaranteed": ("be", "not"),
    "court_date": ("court", "magistrates", "tribunal", "court's"),
    "if_not": ("not", "fail", "fails", "failed"),
    "legal_action": (*_forms("seek", "lodg", "fil", "launch", "mount", "bring"), "sought", "brought", "began",
                     "begun", "file", "lodge"),
    "hammered": ("hammered", "worked", "ironed", "thrashed", "sorted"),
    "has_been_in_question": ("been",),
    "scheduled_for": ("for",),
    "goes_to_vote": ("goes", "go", "going", "sent", "put"),
    "take_place": ("to",),
    "possible_agreement": ("reach", "reaching", "agree", "agreeing", "clinch", "clinching", "seal", "sealing",
                           "conclude", "concluding"),
    "talks_on": ("talks", "negotiations"),
    "court_challenge": ("challenging", "challenged", "challenge", "challenges"),
    "matter_for_debate": ("matter", "question", "subject"),
    "future_review": ("be",),
    "no_x_yet": ("been",),
    "demand": ("to",),
    "call_for": ("for",),
    "plans_to": ("to",),
    "deny_claim": ("claim", "claims", "allegation", "allegations", "report", "reports", "accusation", "accusations",
                   "suggestion", "suggestions", "charges", "wrongdoing"),
    "faces_vote": ("vote", "ballot", "opposition", "defeat", "rebellion", "scrutiny", "challenge", "challenges"),
    "bill_would": ("bill", "legislation", "draft", "proposed"),
    "proposal_to": ("to", "for"),
    "negotiations": ("ongoing", "continuing", "continue", "continues", "further", "fresh", "underway", "under",
                     "resume", "resumed"),
    "no_one_claimed": ("responsibility",),
    "threat_if": ("strike", "resign", "quit", "walk", "sue", "action"),
}
# heads of the subject that make "X is due / scheduled for …" a pending decision rather than an event
_DECISION_NOUNS = frozenset(
    """vote votes election elections run-off runoff referendum ballot poll decision ruling verdict judgment
    judgement hearing trial appeal response reply answer outcome result results review inquiry decisions
    talks negotiations bill legislation""".split()
)
_WH_KEYS = frozenset(("whether", "who", "what", "which", "how", "when", "where", "why", "if"))


_CUES: tuple[_Cue, ...] = (
    _cue("yet_passive", "subj", r"\b(?:has|have|had|is|are|was|were)\s+(?:still\s+)?(?:yet\s+to|not\s+yet|still\s+to)\s+be\s+"
         r"(?P<verb>\w+ed|\w+en|set|made|held|paid|built|sold)\b"),
    _cue("not_yet_passive", "subj", r"\b(?:has|have|had)\s+not\s+(?:yet\s+)?been\s+(?P<verb>decided|determined|"
         r"established|agreed|settled|finali[sz]ed|announced|named|set|confirmed|approved|resolved|chosen|fixed|released|identified|disclosed|revealed|made\s+public|explained)\b"),
    _cue("yet_to", "obj", r"\b(?:has|have|had|is|are|was|were)\s+(?:still\s+)?yet\s+to\s+(?P<verb>\w+)\b"),
    _cue("remains_unclear", "subj", r"\b(?:remains?|remained|is|are|was|were)\s+(?:still\s+)?(?:unclear|uncertain|"
         r"unknown|undecided|unresolved|not\s+(?:yet\s+)?(?:known|clear)|in\s+(?:doubt|question)|up\s+in\s+the\s+air|to\s+be\s+(?:decided|"
         r"determined|settled|agreed|resolved|seen)|under\s+(?:review|discussion|consideration|negotiation|"
         r"investigation))\b"),
    _cue("has_been_in_question", "subj", r"\bhas\s+been\s+(?:in\s+question|in\s+doubt|under\s+review|"
         r"under\s+discussion|under\s+consideration|the\s+subject\s+of\s+(?:speculation|debate))\b"),
    _cue("refused", "obj", r"\b(?:(?:refus\w*|declin\w*|unable|fail\w*)\s+to|(?:would|did|does|do|could|will|has|have)\s+not|"
         r"(?:would|did|does|do|could|wo|has|have)n't)\s+(?P<verb>rule\s+out|say|confirm|disclose|reveal|"
         r"specify|elaborate\s+on|go\s+into|give\s+details\s+of|(?:independently\s+)?verify|name|identify|"
         r"elaborated\s+on|specified|disclosed|revealed|confirmed|said)\b"),
    _cue("expected_to_decide", "subj", r"\b(?:is|are|was|were)\s+(?:now\s+|still\s+)?(?:(?:expected|due|set|"
         r"scheduled|poised|likely|preparing)\s+)?to\s+(?P<verb>decide|rule|vote|announce|respond|consider|"
         r"deliver\s+(?:its|a|their)\s+(?:verdict|ruling|decision)|make\s+(?:a|its|their)\s+decision|sign|"
         r"hold\s+(?:an?|the|its|their)\s+(?:\w+\s+)?(?:vote|referendum|inquiry|review|ballot|hearing|election)|"
         r"be\s+(?:taken|made|signed|decided|announced|debated|approved|passed|rejected|adopted|lifted|imposed|"
         r"extended|renewed|ratified|overturned|granted|scrapped|questioned|published|examined|unveiled|held))\b"),
    _cue("decision_expected", "subj", r"\b(?:is|are)\s+(?:now\s+|still\s+)?(?:expected|due|awaited|pending)\s+"
         r"(?:next|later|on|in|by|within|this|shortly|soon|early|before)\b"),
    _cue("considering", "obj", r"\b(?:is|are|were|was)\s+(?:now\s+|still\s+)?(?:considering|weighing|reviewing|"
         r"debating|discussing|negotiating|studying)\s+(?P<verb>)"),
    _cue("investigating", "obj", r"\b(?:is|are|were|was)\s+(?:now\s+|still\s+)?investigating\s+(?P<verb>)"),
    _cue("investigation", "obj", r"\binvestigation\s+(?:is\s+|was\s+)?(?:already\s+|still\s+)?(?:ongoing|"
         r"continuing|under\s+way|underway)\s+into\s+(?P<verb>)"),
    _cue("investigation_into", "obj", r"\b(?:launched|opened|began|ordered|announced)\s+(?:an?\s+)?"
         r"(?:\w+\s+)?(?:investigation|inquiry|probe)\s+into\s+(?P<verb>)"),
    _cue("suspected", "obj", r"\bit\s+is\s+(?:suspected|alleged|not\s+known|unclear)\s+(?:that\s+)?(?P<verb>)"),
    _cue("unless", "obj", r"\bunless\s+(?P<verb>)"),
    _cue("if_not", "obj", r"\bif\s+(?P<verb>)(?=(?:[\w'’\-]+\s+){1,6}?(?:(?:do|does|did|is|are|was|were)\s+not|"
         r"fail(?:s|ed)?\s+to)\s)"),
    _cue("dispute_over", "obj", r"\b(?:disagreements?|disputes?|divisions?|differences|wrangling|deadlock|"
         r"stand-?off|impasse|split|divided|at\s+odds)\s+(?:over|on|about)\s+(?P<verb>)"),
    _cue("sticking_point", "subj", r"\b(?:remains?|is|are|was|were)\s+(?:a|the|one)\s+(?:\w+\s+)?"
         r"(?:sticking\s+points?|bone\s+of\s+contention|stumbling\s+blocks?|outstanding\s+issues?)\b"),
    _cue("outstanding", "obj", r"\b(?:outstanding|unresolved)\s+(?:issues?|questions?|matters?|points?)\s+"
         r"(?:include|included|including|are|were|is|was)\s+(?P<verb>)"),
    _cue("hammered", "subj", r"\b(?:left|leaving|leave)\s+(?P<verb>)(?:the\s+)?(?:details|issues?|questions?|"
         r"specifics|matters?)\s+to\s+be\s+(?:hammered|worked|ironed|thrashed|sorted)\s+out\b"),
    _cue("hopes_to", "obj", r"\b(?:hopes?|hoped|hoping)\s+(?:to|for)\s+(?P<verb>announce|reach|agree|secure|"
         r"conclude|sign|finali[sz]e|clinch|seal|strike|an?\s+(?:agreement|deal|accord))\b"),
    _cue("possible_agreement", "obj", r"\b(?:possible|optimistic|hopeful|close)\s+(?:to|about|of)\s+(?P<verb>"
         r"reach(?:ing)?|agree(?:ing)?|clinch(?:ing)?|seal(?:ing)?|conclud(?:e|ing))\b"),
    _cue("possibility", "obj", r"\b(?:still\s+)?(?:a|the)\s+possibility\s+(?:of|that)\s+(?P<verb>)"),
    _cue("doubts", "obj", r"\b(?:doubts?|sceptic(?:al|ism)|skeptic(?:al|ism))\s+(?:about|over|that|as\s+to)\s+(?P<verb>)"),
    _cue("key_questions", "subj", r"\b(?:key|big|many|serious|unanswered)\s+questions\s+(?:remain|still|are\s+"
         r"still)\b"),
    _cue("talks_on", "obj", r"\b(?:talks|negotiations)\s+on\s+(?P<verb>)(?:the\s+)?future\s+of\b"),
    _cue("legal_action", "obj", r"\b(?:seek\w*|sought|lodg\w*|fil(?:e|es|ed|ing)|launch\w*|mount\w*|brought|"
         r"bring\w*|beg[au]n)\s+(?:\w+\s+){0,3}?(?P<verb>)(?:judicial\s+review|(?:legal\s+|court\s+)?challenges?|"
         r"appeals?|lawsuits?|legal\s+action|court\s+case)\b"),
    _cue("court_challenge", "obj", r"\bchalleng(?:ing|ed|e|es)\s+(?:[\w'’\-]+\s+){0,6}?in\s+the\s+(?P<verb>)"
         r"(?:[A-Z]\w+\s+){0,2}Court\b"),
    _cue("opposed_by", "subj", r"\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:opposed|contested|disputed|resisted)\s+by\b"),
    _cue("scheduled_for", "subj", r"\b(?:is|are)\s+(?:now\s+|still\s+)?(?:scheduled|set|due|planned|slated)\s+"
         r"for\b"),
    _cue("goes_to_vote", "subj", r"\b(?:goes|go|going|sent|put)\s+to\s+(?:a\s+)?(?:full\s+|final\s+|free\s+|"
         r"second\s+)?(?:vote|debate|ballot|referendum)\b"),
    _cue("supposed_to", "obj", r"\b(?:was|were|is|are)\s+(?:\w+\s+)?(?:supposed|meant)\s+to\s+(?P<verb>\w+)\b"),
    _cue("possible_that", "obj", r"\bit\s+(?:is|was)\s+(?:still\s+|now\s+|quite\s+|entirely\s+)?possible\s+"
         r"(?:that\s+)?(?P<verb>)(?!to\b)"),
    _cue("matter_for_debate", "subj", r"\b(?:remains?|remained|is|was)\s+(?:still\s+)?(?:a|an)\s+(?:open\s+)?"
         r"(?:matter|question|subject)\s+(?:for|of)\s+(?:debate|speculation|dispute|conjecture|discussion)\b"),
    _cue("future_review", "subj", r"\b(?:will|would|is\s+to|are\s+to)\s+(?:now\s+|also\s+|still\s+|first\s+)?be\s+"
         r"(?:considered|debated|examined|reviewed|decided|voted\s+on|discussed|assessed)\b"),
    _cue("undecided_np", "obj", r"\b(?:an?\s+|the\s+)?(?:as\s+yet\s+)?(?:undecided|unspecified|undisclosed|unconfirmed|"
         r"undetermined)\s+(?P<verb>)"),
    _cue("no_x_yet", "obj", r"\bno\s+(?P<verb>)(?:[\w'’\-]+\s+){1,3}?(?:has|have|had)\s+(?:yet\s+)?been\s+(?:agreed|"
         r"decided|set|fixed|announced|named|chosen|reached|made|finali[sz]ed)\b"),
    _cue("until", "obj", r"\b(?:will|would|vow\w*\s+to|threaten\w*\s+to|refus\w*\s+to)\s+(?:[\w'’\-]+\s+){0,5}?"
         r"until\s+(?P<verb>)"),
    _cue("not_guaranteed", "subj", r"\b(?:(?:cannot|can't|could\s+not|may\s+not)\s+be|(?:is|are)\s+not)\s+"
         r"(?:guaranteed|assured|certain)\b"),
    _cue("only_if", "obj", r"\bonly\s+if\s+(?P<verb>)"),
    _cue("court_date", "subj", r"\b(?:will|(?:is|are)\s+(?:due|set|expected)\s+to)\s+appear\s+(?:at|before|in)\s+"
         r"(?:[\w'’\-]+\s+){0,3}?(?:court|magistrates|tribunal)"),
    _cue("face_penalty", "obj", r"\b(?P<verb>)(?:(?:could|may|might|would|will|now|still)\s+(?:also\s+|still\s+)?face|"
         r"fac(?:es|ing))\s+(?P<obj>(?:a\s+|the\s+)?(?:possible\s+|maximum\s+)?(?:death\s+penalty|life\s+(?:in\s+prison|"
         r"sentence|imprisonment)|execution|up\s+to\s+[\w\-]+\s+years?|[\w\-]+\s+years\s+in\s+prison|extradition|"
         r"prosecution|trial|charges))\b"),
    _cue("not_confirmed", "subj", r"\b(?:could|can|has|have|had|was|were|is|are)\s*(?:not|n't)\s+(?:yet\s+)?(?:been\s+|be\s+)?"
         r"(?:independently\s+|officially\s+)?(?:confirmed|verified)\b"),
    _cue("quoted_question", "obj", r"[\"“](?P<verb>)[^\"”]{8,200}\?[\"”],?\s+(?:[\w'’\-]+\s+){0,4}?asked\b"),
    _cue("demand", "obj", r"(?<![\w\-])(?:call(?:s|ed|ing)?\s+on|press(?:es|ed|ing)?|"
         r"want(?:s|ed)?|demand(?:s|ed|ing)?)\s+(?P<who>(?:[A-Z][\w'’\-.]*\s+|the\s+|an?\s+|its\s+|their\s+|all\s+)"
         r"(?:[\w'’\-.]+\s+){0,5}?)to\s+(?P<verb>[a-z]\w+)\b"),
    _cue("call_for", "obj", r"\b(?:call(?:s|ed|ing)?|press(?:es|ed|ing)?)\s+for\s+(?P<verb>)(?:an?\s+|the\s+)?"
         r"(?:urgent\s+|immediate\s+|full\s+|independent\s+|public\s+|fresh\s+)?(?:[\w\-]+\s+){0,2}?"
         r"(?:inquiry|investigation|ceasefire|cease-fire|referendum|vote|review|resignation|end|intervention|"
         r"election|elections|withdrawal|release|ban|talks|halt|suspension|debate|statement|apology|rethink)\b"),
    _cue("plans_to", "obj", r"(?<=\w\s)(?:(?:is|are|was|were)\s+)?(?:plan(?:s|ned|ning)?|intend(?:s|ed|ing)?|"
         r"seek(?:s|ing)?|sought|threaten(?:s|ed|ing)?|prepar(?:es|ing))\s+to\s+(?P<verb>[a-z]\w+)\b"),
    _cue("deny_claim", "obj", r"\b(?:den(?:y|ies|ied|ying)|refut(?:e|es|ed|ing))\s+(?:\w+ly\s+)?(?P<verb>)(?:the\s+|any\s+|all\s+|"
         r"these\s+|those\s+|such\s+|his\s+|her\s+|their\s+|its\s+)?(?:[\w\-]+\s+){0,2}?(?:claims?|allegations?|"
         r"reports?|accusations?)\b"),
    _cue("faces_vote", "subj", r"\b(?:now\s+)?(?:faces?|facing|faced)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?"
         r"(?:vote|ballot|opposition|defeat|rebellion|scrutiny)\b"),
    _cue("bill_would", "subj", r"\b(?:bill|legislation|draft\s+[\w\-]+|proposed\s+[\w\-]+)\s+(?:,\s+)?(?:which\s+|"
         r"that\s+)?would\b(?!\s+have\b)"),
    _cue("proposal_to", "obj", r"\bproposals?\s+(?:to|for)\s+(?P<verb>)"),
    _cue("negotiations", "obj", r"\b(?:(?:ongoing|continuing|further|fresh)\s+(?P<verb>)(?:talks|negotiations)\b|"
         r"(?:talks|negotiations)\s+(?:[\w'’\-]+\s+){0,12}?(?:continues?|continuing|ongoing|under\s*way|"
         r"resumes?)\b)"),
    _cue("suspicion", "obj", r"\b(?:arrested|detained|held|questioned|charged)\s+(?:[\w'’\-]+\s+){0,6}?on\s+"
         r"suspicion\s+of\s+(?P<verb>)"),
    _cue("threat_if", "obj", r"\b(?:could|would|will|may|might|threaten\w*\s+to)\s+(?:\w+\s+){0,2}?(?P<verb>strike|"
         r"resign|quit|walk\s+out|sue|take\s+(?:legal\s+|industrial\s+)?action)\s+(?:[\w'’\-]+\s+){0,4}?"
         r"(?:if|unless)\b"),
    _cue("no_one_claimed", "obj", r"\b(?:no\s+one|nobody|no\s+group|no\s+organi[sz]ation)\s+(?:has|had)\s+"
         r"(?:yet\s+|so\s+far\s+)?(?:claimed|admitted)\s+(?P<verb>)responsibility\b"),
    _cue("no_confirmation", "obj", r"\bno\s+(?:public\s+|official\s+|independent\s+)?confirmation\s+(?:of|on)\s+"
         r"(?P<verb>)"),
    _cue("take_place", "subj", r"\bto\s+(?:take\s+place|be\s+held|be\s+based|be\s+located|be\s+stationed)\s+"
         r"(?:inside|outside|in|at|abroad)\b"),
)
# sentences that only report a settled outcome or a past failure are not open issues
_SETTLED = re.compile(r"\b(?:has|have|had)\s+(?:now\s+)?(?:decided|ruled|agreed|voted)\s+(?:to|that|against|in\s+favou?r)\b",
                      re.IGNORECASE)

# words without which no wh-word or "if" of the sentence can start an embedded question
_Q_CONTEXT = frozenset(
    _TRIGGERS | _SAY_VERBS | _IF_VERBS
    | {"see", "establish", "find", "centres", "centers", "centred", "centered", "focus", "focuses", "focused",
       "rule", "decision", "vote"}
)
_CUE_WORDS = frozenset(k for c in _CUES for k in c.keys)
_CUES_BY_WORD: dict[str, tuple[int, ...]] = {
    w: tuple(i for i, c in enumerate(_CUES) if w in c.keys) for w in _CUE_WORDS
}
_CUE_SIDE = {c.name: c.side for c in _CUES}
_KEY_WORDS = frozenset({k for c in _CUES for k in c.keys | c.also} | _WH_KEYS | _Q_CONTEXT)
_PUNCT_TO_SPACE = str.maketrans({c: " " for c in "!\"#$%&()*+,./:;<=>?@[\\]^_`{|}~“”‘’—–…"})
_TOKEN = re.compile(r"[A-Za-z0-9£$€][\w'’\-.]*\w(?:(?<=s)['’](?![\w]))?|[A-Za-z0-9]|[^\w\s]")
_HARD_BREAKS = frozenset({",", ";", ":", ".", "!", "?", '"', "”", "“", "(", ")"})


class _Anchor(NamedTuple):
    """Where an unresolved clause starts in a sentence, and what introduced it."""

    start: int  # offset of the clause (after the wh-word or cue)
    cue_start: int  # offset of the cue or wh-word itself
    kind: str  # "wh" (embedded question) or "cue" (cue phrase)
    name: str  # the wh-word, or the cue's name


@dataclass
class _Found:
    """An unresolved clause found in one sentence."""

    index: int  # sentence index
    start: int  # character offset of the clause in the sentence
    kind: str
    topic: str
    question: str


# --- small language helpers ----------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _clause_tokens(text: str, limit: int = 24) -> list[str]:
    """The tokens of a clause: up to punctuation, a clause break or a closing quote."""
    out: list[str] = []
    toks = _tokens(text[:400])
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
            if nxt and nxt not in _CLAUSE_BREAK and nxt[0].isalnum() and not nxt[0].isdigit():
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
        if tok in _HARD_BREAKS or (low in _CLAUSE_BREAK and len(out) > 1 and (seen_verb or low == "but")):
            break
        if low in _AUX or _lemma(tok) or _light_lemma(tok):
            seen_verb = True
        out.append(tok)
        i += 1
        if len(out) >= limit:
            break
    return out


def _lemma(word: str) -> str | None:
    """The lemma of ``word`` when it is a verb form we can name the matter of, else None."""
    return _NOUN_OF_FORMS.get(word.lower())


_LIGHT_FORMS: dict[str, str] = {
    "took": "take", "made": "make", "gave": "give", "got": "get", "went": "go", "came": "come", "met": "meet",
    "found": "find", "saw": "see", "held": "hold", "kept": "keep", "put": "put", "been": "be", "is": "be",
    "are": "be", "was": "be", "were": "be", "be": "be", "said": "say", "told": "tell", "began": "begin",
    "brought": "bring", "set": "set", "won": "win",
}
for _lemma_ in sorted(_LIGHT | _COPULA):
    for _form in (_lemma_, _lemma_ + "s", _lemma_ + "es", _lemma_ + "d", _lemma_ + "ed", _lemma_ + "ing",
                  _lemma_[:-1] + "ing", _lemma_[:-1] + "ed"):
        _LIGHT_FORMS.setdefault(_form, _lemma_)


def _light_lemma(word: str) -> str | None:
    """The lemma of a light or copular verb form ("provided" -> provide), else None."""
    return _LIGHT_FORMS.get(word.lower())


def _noun_phrase(toks: list[str]) -> tuple[list[str], int]:
    """The noun phrase at the start of ``toks`` (determiners dropped) and the tokens it used."""
    words: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        low = t.lower()
        if low in _DETERMINERS and not words:
            i += 1
            continue
        if low in _PREPOSITIONS or low in _AUX or low in _CLAUSE_BREAK or low in _NP_STOP or (
            words and low in {"it", "they", "he", "she", "we", "i", "you"}
        ):
            break
        if not re.match(r"[\w£$€]", t):
            break
        if words and (_lemma(t) or _light_lemma(t)) and not t[0].isupper() and not low.endswith(("tion", "ment")):
            if low.endswith(("ed", "ing")):
                break
        words.append(t)
        i += 1
        if len(words) >= 7:
            break
    return words, i


def _topic_from_np(toks: list[str]) -> str:
    """A 1-4 word topic from a noun phrase, using "of" complements for generic heads."""
    np_, used = _noun_phrase(toks)
    np_ = [w for w in np_ if w.lower() not in _STOP]
    rest = toks[used:]
    while (np_ and rest[:1] and rest[0] in {",", "and", "or"} and len(rest) > 1 and rest[1].lower() not in _AUX
           and not rest[1].lower().endswith(("ing", "ed")) and (rest[0] != "," or {"and", "or"} & set(rest[1:6]))):
        more, used2 = _noun_phrase(rest[1:])
        more = [w for w in more if w.lower() not in _STOP]
        if not more:
            break
        np_, rest = more, rest[1 + used2:]
    if not np_ and rest[:1] and rest[0].lower() == "of":  # "some of the detainees"
        return _topic_from_np(rest[1:])
    if not np_:
        return ""
    if rest[:1] and rest[0].lower() == "of":
        np2, _ = _noun_phrase(rest[1:])
        np2 = [w for w in np2 if w.lower() not in _STOP]
        if np2 and np_[-1].lower() in _GENERIC_HEADS:
            core = np2[-2:] if len(np2) > 1 else np2
            return " ".join([*core, np_[-1]]) if len(core) == 1 else " ".join(core)
    return " ".join(np_[-3:])


@dataclass
class _Parse:
    """A clause split into subject, auxiliary, verb and the tokens after the verb."""

    subject: list[str]
    aux: str | None
    verb: str | None
    rest: list[str]
    passive: bool
    mid: list[str] = field(default_factory=list)  # words between auxiliary and verb ("be", "not", "still")


def _parse_clause(toks: list[str], wh_subject: bool) -> _Parse:
    """Split a clause at its first auxiliary (or known verb form)."""
    for i, t in enumerate(toks):
        low = t.lower()
        if low in _AUX and (i > 0 or wh_subject):
            j = i + 1
            passive = False
            while j < len(toks) and toks[j].lower() in {"not", "n't", "still", "also", "ever", "now", "be",
                                                        "been", "being", "have", "finally", "actually",
                                                        "really", "formally", "eventually", "soon", "yet"}:
                if toks[j].lower() in {"be", "been", "being"}:
                    passive = True
                j += 1
            if low in _BE_HAVE and j == i + 1:
                passive = low in {"is", "are", "was", "were"}
            verb = toks[j] if j < len(toks) else None
            if passive and verb and not re.search(r"(?:ed|en|t|wn)$", verb.lower()):
                passive = False  # copula + adjective or noun
            return _Parse(toks[:i], low, verb, toks[j + 1:], passive, toks[i + 1: j])
        if i > 0 and not t[0].isupper() and (
            ((_lemma(t) or _light_lemma(t)) and low.endswith(("s", "ed"))) or (low.endswith("ed") and len(low) > 4)
        ) and not any(w.lower() in _AUX for w in toks[i + 1:]):  # "the men released from … have received"
            return _Parse(toks[:i], None, t, toks[i + 1:], False)
    return _Parse(toks, None, None, [], False)


def _topic_from_parse(p: _Parse) -> str:
    """Name the matter of a parsed clause from its head."""
    verb, rest = p.verb, p.rest
    # "X to legislate", "prepared to take on …", "continue to cover …": follow to the inner verb
    for _ in range(3):
        if verb is None:
            break
        if rest[:1] and rest[0].lower() == "to" and len(rest) > 1 and (
            _light_lemma(verb) or verb.lower() in {"possible", "able", "prepared", "ready", "willing", "likely"}
        ):
            verb, rest = rest[1], rest[2:]
            continue
        if verb.lower() in {"be", "been"} and rest[:1] and re.search(r"(?:ed|en)$", rest[0].lower()):
            t = _topic_from_np(p.subject)
            if t and t.lower() not in _PRONOUNS:
                return t
        if _light_lemma(verb) in {"allow", "let", "help"} and rest:
            _, used = _noun_phrase(rest)
            if rest[used: used + 1] and rest[used].lower() == "to" and len(rest) > used + 1:
                verb, rest = rest[used + 1], rest[used + 2:]
                continue
        break
    if p.passive:
        t = _topic_from_np(p.subject)
        if t:
            return t
    if verb is not None:
        lemma = _lemma(verb)
        light = _light_lemma(verb)
        if lemma and not light:
            return _NOUN_OF[lemma]
        if light in _COPULA:
            tail = rest[1:] if rest[:1] and rest[0].lower() in {"as", "in", "at"} else rest
            t = _topic_from_np(tail)
            if t:
                return t
        obj = rest[1:] if rest[:1] and rest[0].lower() in {"on", "up", "out", "off", "for", "with", "to", "in"} else rest
        t = _topic_from_np(obj)
        if t and t.lower() not in _PRONOUNS:
            return t
        if lemma:
            return _NOUN_OF[lemma]
    t = _topic_from_np(p.subject)
    if t and t.lower() not in _PRONOUNS:
        return t
    if verb and not _light_lemma(verb) and verb.lower() not in _AUX and verb.lower() not in _BE_HAVE:
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
_NOT_PERSON = frozenset(
    """I The A An In On At But And Or If It Its This That These Those He She They We His Her Their Our Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October
    November December""".split()
)


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
    kind = _PRONOUNS.get(pron.lower())
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
                while ws and (ws[0].lower() in _STOP - {"the"} or ws[0].lower() in _AUX or ws[0].lower() in _PREPOSITIONS):
                    ws = ws[1:]
                if ws and ws[-1].lower() not in _STOP | _UNCERTAIN_NOUNS | {"is", "was", "has", "as", "us", "says"}:
                    found.append(" ".join(ws))
            if found:
                return found[-1].strip()
        elif kind == "sg":
            found = [m.group() for m in _NP_BEFORE.finditer(text) if m.group().split()[-1].lower() not in _STOP
                     and m.group().split()[0].lower() not in _PREPOSITIONS and m.group().split()[0].lower() not in _STOP - {
                         "the", "a", "an", "its", "their", "his", "her"}]
            if found:
                return found[-1].strip()
    return None


def _resolve(words: list[str], before: str, previous: str) -> list[str]:
    """Replace simple pronouns by their antecedent from this or the previous sentence (possessives get 's)."""
    out: list[str] = []
    for k, w in enumerate(words):
        low = w.lower()
        prev = words[k - 1].lower() if k else ""
        relative = bool(prev) and prev.isalpha() and prev not in _STOP and prev not in _AUX and (
            prev not in _PREPOSITIONS and not _lemma(prev) and not prev.endswith(("ed", "ing"))
            and prev not in _LIGHT_FORMS or prev in _LIGHT
        ) and prev not in {"push", "tell", "let", "help", "give", "make", "allow"}  # "the plan it signed"
        context = before + " " + " ".join(words[:k]) if _PRONOUNS.get(low) in {"m", "f"} else before
        ante = _antecedent(low, context, previous) if low in _PRONOUNS and low != "her" and not relative else None
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


def _join(words: list[str]) -> str:
    text = " ".join(words)
    text = re.sub(r"\s+([,.;:!?%)])", r"\1", text)
    text = re.sub(r"\s+(['’]s)\b", r"\1", text)
    return text.strip()


def _finish(q: str) -> str:
    """A question from ``q``: one space between words, capital first letter, pronouns lower-cased, "?" at the end."""
    q = re.sub(r"\s+", " ", q.strip().rstrip(".,;:!?").strip())
    q = _INNER_PRONOUN.sub(lambda m: m.group().lower(), q)
    return (q[:1].upper() + q[1:] + "?") if q else ""


_INNER_PRONOUN = re.compile(r"(?<=\s)(?:He|She|They|It|We|His|Her|Their|Its)\b")


def _is_plain_noun(word: str) -> bool:
    """A lower-case word that is no function word or verb form we know (a cheap noun test)."""
    low = word.lower()
    return (word[:1].islower() and low not in _STOP and low not in _AUX and low not in _PREPOSITIONS
            and not _light_lemma(word) and not (_lemma(word) and low.endswith(("ed", "ing"))))


def _question_from_wh(wh: str, toks: list[str], before: str, previous: str) -> str:
    """Turn an embedded question ("whether X would V …", "who would V …") into a direct one."""
    wh_low = wh.lower()
    toks = _resolve(toks, before, previous)
    if wh_low in {"which", "what", "whose"} and len(toks) > 1 and _is_plain_noun(toks[0]):
        wh, toks = f"{wh} {toks[0]}", toks[1:]  # "which country would house …"
        wh_low = "which"
    p = _parse_clause(toks, wh_subject=wh_low in {"who", "what", "which"} and bool(toks) and toks[0].lower() in _AUX)
    if wh_low in {"whether", "if"}:
        if toks[:1] and toks[0].lower() == "to":  # "whether to allow X …"
            return _finish("Will they decide to " + _join(toks[1:]))
        if p.aux is None:
            verb = p.verb
            if verb is None:
                return ""
            lemma = _lemma(verb) or _light_lemma(verb) or verb
            aux = "did" if verb.lower().endswith("ed") else "does"
            return _finish(aux + " " + _join([*p.subject, lemma, *p.rest]))
        rest = [*p.mid, *([p.verb] if p.verb else []), *p.rest]
        return _finish(_AUX[p.aux] + " " + _join([*p.subject, *rest]))
    # wh-word questions
    if p.aux:  # "who would command the mission", "how long the withdrawal will take"
        rest = [*p.mid, *([p.verb] if p.verb else []), *p.rest]
        return _finish(_join([wh, _AUX[p.aux], *p.subject, *rest]))
    if p.verb:
        return _finish(_join([wh, *p.subject, p.verb, *p.rest]))
    return _finish(_join([wh, *toks]))


_CUE_QUESTIONS = {
    "yet_passive": "When will {t} be decided",
    "not_yet_passive": "What will {t} be",
    "remains_unclear": "What will happen on {t}",
    "has_been_in_question": "What is the future of {t}",
    "expected_to_decide": "What will the outcome of {t} be",
    "decision_expected": "What will {t} be",
    "considering": "Will {t} go ahead",
    "investigating": "What will the investigation into {t} find",
    "investigation": "What will the investigation into {t} find",
    "investigation_into": "What will the investigation into {t} find",
    "dispute_over": "How will the dispute over {t} be resolved",
    "sticking_point": "How will {t} be resolved",
    "outstanding": "How will {t} be resolved",
    "hopes_to": "Will {t} be reached",
    "possible_agreement": "Will {t} be reached",
    "possibility": "Will there be {t}",
    "key_questions": "What are the answers on {t}",
    "talks_on": "What will be decided on {t}",
    "take_place": "Where will {t} take place",
    "opposed_by": "Will {t} go ahead",
    "scheduled_for": "What will be the outcome of {t}",
    "goes_to_vote": "Will {t} pass",
    "legal_action": "Will the {t} succeed",
    "court_challenge": "Will the {t} succeed",
    "matter_for_debate": "How will the debate over {t} be settled",
    "future_review": "What will be decided on {t}",
    "undecided_np": "What will {t} be",
    "no_x_yet": "What will {t} be",
    "not_guaranteed": "Will {t} be achieved",
    "court_date": "What will the outcome of the court case be",
    "faces_vote": "Will {t} pass",
}


# --- extraction ----------------------------------------------------------------------------------


def _subject_before(sentence: str, end: int, whole: bool = False) -> list[str]:
    """The subject of the clause that ends at ``end`` (a cue like "is due to"): its first noun phrase.

    With ``whole``, the clause's tokens before ``end`` without cutting at a preposition.
    """
    toks = _tokens(sentence[max(0, end - 300): end])
    # walk back over the noun phrase and its "of …" complement
    i = len(toks)
    while i > 0 and (re.match(r"[\w£$€'’\-]", toks[i - 1]) and toks[i - 1].lower() not in _CLAUSE_BREAK
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
        if t.lower() in _PREPOSITIONS - {"of"} and j > 0:
            chunk = chunk[:j]
            break
    return chunk


def _anchors(sentence: str, words: frozenset[str]) -> list[_Anchor]:
    """(clause start, cue start, kind, wh-word or cue name) for each unresolved clause in ``sentence``.

    ``words`` are the key words the sentence contains (from ``_KEY_WORDS``).
    """
    found: list[_Anchor] = []
    wh_words = _WH_KEYS.intersection(words) - {"whether", "if"}
    has_context = not _Q_CONTEXT.isdisjoint(words)
    for m in _WH_WORD.finditer(sentence) if wh_words and has_context else ():
        before = sentence[max(0, m.start() - 60): m.start()]
        if m.start() and _takes_question(before) and not _HYPOTHETICAL_ASK.search(before):
            wh = m.group()
            nxt = re.match(r"\s+(long|much|many|far|fast|hard|soon|quickly|big|large|best)\b", sentence[m.end(): m.end() + 12])
            end = m.end() + (nxt.end() if nxt and wh.lower() == "how" else 0)
            found.append(_Anchor(end, m.start(), "wh", sentence[m.start(): end]))
    for m in _WHETHER.finditer(sentence) if "whether" in words else ():
        if _CONCESSIVE.search(sentence[max(0, m.start() - 30): m.start()]):
            continue
        if m.start() == 0 or (m.start() < 3 and sentence[:m.start()].strip() in {'"', "“"}):
            continue  # sentence-initial "Whether …, …" is concessive
        found.append(_Anchor(m.end(), m.start(), "wh", "whether"))
    for m in _IF_Q.finditer(sentence) if "if" in words and not _IF_VERBS.isdisjoint(words) else ():
        found.append(_Anchor(m.end("wh"), m.start(), "wh", "if"))
    if found:
        for m in _COORD_WH.finditer(sentence):
            if m.start() > min(f[0] for f in found):
                found.append(_Anchor(m.end("wh"), m.start(), "wh", m.group("wh")))
    return _cue_anchors(sentence, words, found)


def _cue_anchors(sentence: str, words: frozenset[str], found: list[_Anchor]) -> list[_Anchor]:
    """Add the cue-phrase anchors to ``found`` and keep one anchor per clause."""
    for index in sorted({i for w in words for i in _CUES_BY_WORD.get(w, ())}):
        cue = _CUES[index]
        if cue.also and cue.also.isdisjoint(words):
            continue
        for m in cue.pattern.finditer(sentence):
            start = m.start("verb") if "verb" in cue.pattern.groupindex else m.end()
            found.append(_Anchor(start if cue.side == "obj" else m.start(), m.start(), "cue", cue.name))
    # one anchor per clause start; a wh-clause wins over a cue that introduces it ("expected to rule on whether")
    found.sort(key=lambda f: (f[0], f[2] != "wh"))
    out: list[_Anchor] = []
    for f in found:
        if out and abs(f[0] - out[-1][0]) < 3:
            continue
        out.append(f)
    wh_starts = [f[1] for f in out if f[2] == "wh"]
    # a cue whose clause runs into an embedded question is that question
    out = [f for f in out if f[2] == "wh" or not any(0 <= w - f[0] <= 60 for w in wh_starts) or f[3] in {
        "unless", "if_not", "take_place"}]
    # a subject-side cue whose subject holds an embedded question ("A decision on whether … is set to …") is it
    out = [f for f in out if not (f[2] == "cue" and _CUE_SIDE[f[3]] == "subj"
                                  and any(f[1] - 150 <= w[1] < f[1] for w in out if w[2] == "wh"))]
    # a sentence states one pending matter through its cue phrases (several only through embedded questions)
    cues = [f for f in out if f[2] == "cue" and f[3] not in {"take_place", "hammered"}]
    keep = {id(f) for f in cues[:1]}
    return [f for f in out if f[2] == "wh" or f[3] in {"take_place", "hammered"} or id(f) in keep]


def _the(np_text: str) -> str:
    """A noun phrase ready for a question: determiner lower-cased, "the" added to a bare common noun."""
    if not np_text:
        return np_text
    first = np_text.split()[0]
    if first.lower() in {"a", "an"}:
        return "the" + np_text[len(first):]
    if first.lower() in _DETERMINERS:
        return np_text[0].lower() + np_text[1:]
    return np_text if np_text[0].isupper() else "the " + np_text


def _issue_for(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """(topic, question) for one anchor of ``sentence``, or None when nothing usable is there."""
    if anchor.kind == "wh":
        return _wh_issue(anchor, sentence, previous)
    if anchor.name in _FAMILY_HANDLERS:
        return _FAMILY_HANDLERS[anchor.name](anchor, sentence, previous)
    if _CUE_SIDE[anchor.name] == "subj":
        return _subject_cue_issue(anchor, sentence, previous)
    return _object_cue_issue(anchor, sentence, previous)


def _wh_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """An embedded question: "whether the coalition would provide that protection", "who would fund it"."""
    before = sentence[: anchor.cue_start]
    toks = _clause_tokens(sentence[anchor.start:])
    if toks[:1] == ["or"]:  # "whether or not …"
        toks = toks[2:] if toks[1:2] == ["not"] else toks[1:]
    if not toks:
        return None
    wh = anchor.name.lower()
    if wh == "whether" and toks[0].lower() == "to":  # "whether to allow Westminster to legislate …"
        p = _Parse([], "will", toks[1] if len(toks) > 1 else None, toks[2:], False)
        question = _finish("Will they decide to " + _join(_resolve(toks[1:], before, previous)))
    else:
        p = _parse_clause(toks, toks[0].lower() in _AUX)
        question = _question_from_wh(anchor.name, toks, before, previous)
    if p.verb is None and p.aux is None:
        return None  # no clause follows: a nominal use
    wh_noun = ""
    if wh in {"which", "what", "whose"} and len(toks) > 1 and _is_plain_noun(toks[0]):
        wh_noun = toks[0]  # "which country would house …"
        p = _parse_clause(toks[1:], toks[1].lower() in _AUX)
    topic = _topic_from_parse(
        _Parse(_resolve(p.subject, before, previous), p.aux, p.verb, _resolve(p.rest, before, previous), p.passive)
    )
    if wh_noun and (not topic or topic.lower() in _PRONOUNS or _light_lemma(p.verb or "") in _COPULA):
        topic = wh_noun
    return (topic, question) if topic and question else None


def _subject_cue_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """A cue whose matter is its subject: "The vote is due to be taken", "the roles had yet to be determined"."""
    start, name = anchor.start, anchor.name
    if name == "hammered":  # "left details to be hammered out": generic, dropped when the sentence names more
        return "details", "How will the remaining details be settled?"
    if name == "take_place":  # "pressing for training to take place outside the country"
        toks = _tokens(sentence[max(0, start - 80): start])
        cut = max((i + 1 for i, w in enumerate(toks) if w.lower() in _PREPOSITIONS or not w[0].isalnum()), default=0)
        topic = _topic_from_np(toks[cut:][-2:])
        return (f"{topic} location", _finish(f"Where will the {topic} take place")) if topic else None
    subj = _subject_before(sentence, start, whole=name == "key_questions")
    if not subj:  # "…, which will be considered": the noun phrase before the comma
        m = _RELATIVE_BEFORE.search(sentence[max(0, start - 150): start])
        if m:
            words = [w for w in _tokens(m.group(1)) if w[0].isalnum()]
            subj = words[-3:]
    if not subj and re.search(r"\band\s+$", sentence[:start]):  # "X received a first reading and goes to a debate"
        subj = _noun_phrase(_tokens(sentence[:start]))[0]
    wh = next((w for w in subj[:1] if w.lower() in {"how", "what", "who", "whether", "why", "when", "where"}), None)
    if wh:  # "how the measure was introduced remained a matter for debate": the embedded question
        at = sentence.rfind(wh, 0, start)
        return _wh_issue(_Anchor(at + len(wh), at, "wh", wh), sentence[:start], previous)
    if name == "key_questions":  # "look into the X controversy as key questions remain": the matter is X
        while subj and subj[-1].lower() in _PREPOSITIONS | _CLAUSE_BREAK:
            subj = subj[:-1]
        subj = subj[max((i + 1 for i, w in enumerate(subj) if w.lower() in _PREPOSITIONS), default=0):]
    subj = _resolve(subj, sentence[: max(0, start - 60)], previous)
    topic = _topic_from_np(subj)
    if name == "court_date" and subj:
        return "court case", _finish(f"What will the outcome of the court case against {_the(_join(subj))} be")
    if not topic or topic.lower() in _PRONOUNS:
        return None
    if name in {"scheduled_for", "decision_expected"} and _head(topic) not in _DECISION_HEADS:
        return None  # "the meeting is due on Monday" is an event, not an open matter
    np_text = _the(_join(subj))
    if name == "expected_to_decide":
        m = _ANNOUNCE_OBJECT.search(sentence, anchor.cue_start)
        if m:  # "Ms Kelly is expected to announce her plans …": what is awaited is the object
            obj = _clause_tokens(m.group(2))
            obj_topic = _topic_from_np(obj)
            if obj_topic and obj_topic.lower() not in _PRONOUNS:
                return obj_topic, _finish(f"What will {np_text} {m.group(1)} on {_join(_noun_phrase(obj)[0])}")
        m = _PENDING_VERB.search(sentence, anchor.cue_start)
        if m and m.group(1):
            return topic, _finish(f"Will {np_text} be {m.group(1)}")
        if m and m.group(2):
            return topic, _finish(f"How will {np_text} {m.group(2)}")
    if name in {"yet_passive", "not_yet_passive"}:
        m = re.search(r"be(?:en)?\s+(\w+)", sentence[start: start + 60])
        return topic, _finish(f"When will {np_text} be {m.group(1) if m else 'decided'}")
    return topic, _finish(_CUE_QUESTIONS.get(name, "What will happen on {t}").format(t=np_text))


def _object_cue_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """A cue whose matter follows it: "refused to rule out tax rises", "unless the changes are agreed"."""
    start, name = anchor.start, anchor.name
    before = sentence[: anchor.cue_start]
    if name in {"legal_action", "court_challenge"}:
        m = _LEGAL_NOUN.match(sentence, start)
        if not m:
            return None
        noun = m.group(1)
        topic = f"{noun} challenge" if noun.endswith("Court") else noun.lower()
        return topic, _finish(f"Will the {topic} succeed")
    if name in {"possible_that", "doubts"}:
        inner = _clause_tokens(sentence[start:])
        if not inner or inner[0].lower() in {"how", "whether", "who"}:
            return None  # an embedded question, handled as such
        p = _parse_clause(inner, False)
        if p.verb is None:
            return None
        topic = _topic_from_parse(_Parse(_resolve(p.subject, before, previous), p.aux, p.verb, p.rest, p.passive))
        question = _question_from_wh("whether", inner, before, previous)
        return (topic, question) if topic and question else None
    if name == "quoted_question":  # '"Who will pay for this?" the mayor asked'
        m = re.match(r"([^\"”]{8,200}\?)", sentence[start:])
        if not m:
            return None
        wh = re.match(r"\s*(\w+)", m.group(1))
        if re.match(r"\s*(?:\w+n't|why)\b", m.group(1), re.IGNORECASE):
            return None  # "Wouldn't this be …?", "Why do we need …?": rhetorical
        toks = _clause_tokens(m.group(1))
        if wh and wh.group(1).lower() in _WH_KEYS:
            p = _parse_clause(toks[1:], True)
        elif toks[:1] and toks[0].lower() in _AUX:  # "Will he resign?": subject and verb after the auxiliary
            p = _parse_clause(toks[1:], False)
            if p.verb is None and len(toks) > 2:
                p = _Parse(toks[1:2], toks[0].lower(), toks[2], toks[3:], False)
        else:
            p = _parse_clause(toks, False)
        topic = _topic_from_parse(p)
        return (topic, _finish(m.group(1))) if topic else None
    if name in {"unless", "if_not", "until", "only_if"}:
        if _ADVICE.search(before):
            return None  # "parties must wake up … unless they address …" is advice
        return _condition_issue(sentence[start: start + 300], before, previous)
    if name in {"yet_to", "refused", "supposed_to"}:
        return _withheld_issue(anchor, sentence, previous)
    inner = _clause_tokens(sentence[start:])
    if name in {"suspected"}:
        p = _parse_clause(inner, False)
        topic = _topic_from_parse(p) if p.verb else _topic_from_np(inner)
        return (topic, _finish("Is it true that " + _join(_resolve(inner, before, previous)))) if topic else None
    if name == "possible_agreement" and inner:
        inner = inner[1:]  # past "reach"
    if name == "possibility":  # "a possibility of Boeing challenging the decision"
        np_words, used = _noun_phrase(inner)
        gerund = inner[used] if used < len(inner) else ""
        if np_words and gerund.lower().endswith("ing"):
            lemma = _lemma(gerund) or _light_lemma(gerund)
            if lemma:
                topic = _NOUN_OF.get(lemma, lemma)
                rest = _join(_resolve(inner[used + 1:], before, previous))
                return topic, _finish(f"Will {_join(np_words)} {lemma} {rest}")
    topic = _topic_from_np(inner)
    if not topic or topic.lower() in _PRONOUNS:
        return None
    np_words = _resolve(_noun_phrase(inner)[0], before, previous)
    np_text = _join(np_words) or topic
    if name in {"hopes_to", "possible_agreement"}:
        article = "an" if np_text[:1].lower() in "aeiou" else "a"
        return topic, _finish(f"Will {article} {np_text} be reached")
    return topic, _finish(_CUE_QUESTIONS.get(name, "What will happen on {t}").format(t=_the(np_text)))


def _condition_issue(clause: str, before: str, previous: str) -> tuple[str, str] | None:
    """A condition not yet met: "unless the changes are agreed", "if Russia failed to implement the plan"."""
    m = _FAILS_TO.match(clause)
    if m:  # "if Russia failed to fully implement the peace plan" -> "Will Russia fully implement the peace plan?"
        subj = _join(_resolve(_tokens(m.group(1)), before, previous))
        inner = _clause_tokens(clause[m.end():])
        verbs = [w for w in inner if not w.lower().endswith("ly")]
        if not verbs:
            return None
        lemma = _lemma(verbs[0])
        topic = _topic_from_np(verbs[1:])
        if lemma and not _light_lemma(verbs[0]) and lemma != "implement":
            topic = _NOUN_OF[lemma]
        return (topic, _finish(f"Will {subj} {_join(_resolve(inner, before, previous))}")) if topic else None
    inner = _clause_tokens(_NEGATION.sub(r"\1 ", clause))  # "if the broadcasts do not stop" -> "… do stop"
    p = _parse_clause(inner, False)
    if p.verb is None or not p.subject:
        return None
    topic = _topic_from_parse(p)
    subj = _join(_resolve(p.subject, before, previous))
    rest = _join(_resolve(p.rest, before, previous))
    if p.aux in {"is", "are", "was", "were"} and subj.lower() == "there":  # "unless there is a major movement"
        question = f"Will there be {_join([p.verb, *_resolve(p.rest, before, previous)])}"
        topic = _topic_from_np([p.verb, *p.rest]) or topic
    elif p.passive or (p.aux in {"is", "are"} and p.verb.lower().endswith("ed")):
        question = f"Will {subj} be {p.verb} {rest}"
    else:
        question = f"Will {subj} {_lemma(p.verb) or _light_lemma(p.verb) or p.verb} {rest}"
    return (topic, _finish(question)) if topic else None


def _withheld_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """Withheld or pending: "refused to rule out tax rises", "has yet to name the date", "was supposed to …"."""
    before = sentence[: anchor.cue_start]
    m = _WITHHELD_VERB.match(sentence, anchor.start)
    verb_text = m.group().strip().lower() if m else ""
    inner = _clause_tokens(sentence[m.end() if m else anchor.start:])
    if not inner:
        return None
    obj = _join(_resolve(inner, before, previous))
    if verb_text == "rule out":
        if inner[0].lower() == "that":  # "did not rule out that there had been an agreement"
            p = _parse_clause(inner[1:], False)
            topic = _topic_from_parse(p)
            if p.verb and topic and topic.lower() not in _PRONOUNS:
                return topic, _finish("Is it possible that " + _join(_resolve(inner[1:], before, previous)))
            return None
        topic = _topic_from_np(inner)
        return (topic, _finish("Will there be " + obj)) if topic else None
    who = _the(_join(_resolve(_subject_before(sentence, anchor.cue_start), before[: max(0, anchor.cue_start - 80)],
                              previous)))
    verb = verb_text.split()[0] if verb_text else ""
    if anchor.name in {"yet_to", "supposed_to"} and verb not in _DISCLOSE_VERBS:
        # "has yet to V O": an action not yet taken
        lemma = _lemma(verb)
        topic = _NOUN_OF[lemma] if lemma and not _light_lemma(verb) else _topic_from_np(inner)
        return (topic, _finish(f"Will {who} {verb} {obj}")) if topic and who else None
    topic = _topic_from_np(inner)
    if not topic or topic.lower() in _PRONOUNS or topic.lower() in {"details", "specifics", "comment"}:
        return None
    if verb == "name" and who:
        return topic, _finish(f"When will {who} name {obj}")
    if verb in {"verify", "independently", "confirm", "confirmed"}:
        return topic, _finish(f"{'Are' if _head(topic) != topic.split()[-1].lower() else 'Is'} {_the(obj)} true")
    return topic, _finish(f"What is {_the(obj)}" if verb in {"name", "identify", "say", "disclose", "reveal"}
                          else f"What are the details of {_the(obj)}")


# --- the recall families: pending actions, denials, proposals, negotiations, unknowns -------------------

_CUE_BY_NAME = {c.name: c for c in _CUES}
_NOT_A_VERB = _STOP | _PREPOSITIONS | _DETERMINERS | {"be", "have", "do"}


def _who_ok(toks: list[str]) -> bool:
    """True when ``toks`` look like a noun phrase naming who acts (no verb, no clause words)."""
    if not toks or len(toks) > 8:
        return False
    first = toks[0]
    if not (first[:1].isupper() or first.lower() in _DETERMINERS or first.lower() in {"ministers", "officials"}):
        return False
    for t in toks:
        low = t.lower()
        if low in {"to", "and", "we", "i", "you", "is", "are", "was", "were", "there", "as", "if", "so", "on"} | _WH_KEYS:
            return False
        if not t[:1].isupper() and (_light_lemma(t) or _lemma(t)) and low.endswith(("ed", "ing")):
            return False
    return True


def _verb_issue(verb: str, rest: list[str], who: str, before: str, previous: str) -> tuple[str, str] | None:
    """A pending action "<who> <verb> <rest>": topic from the verb's noun and its object; a yes/no question."""
    low = verb.lower()
    if low in _NOT_A_VERB or not who or low.endswith(("ed", "ing")) and not _lemma(verb) == low:
        return None
    lemma = _lemma(verb)
    light = _light_lemma(verb)
    obj = rest[1:] if rest[:1] and rest[0].lower() in {"on", "up", "out", "off", "for", "with", "down"} else rest
    obj_topic = _topic_from_np(obj)
    if lemma and not light:
        topic = _NOUN_OF[lemma]
        head = obj_topic.split()[-1] if obj_topic and obj_topic.lower() not in _PRONOUNS else ""
        if head and head.lower() not in _GENERIC_HEADS and head.lower() != topic:
            topic = f"{head} {topic}"  # "oppose the Bill" -> "Bill opposition"
    else:
        topic = obj_topic
    if not topic or topic.lower() in _PRONOUNS:
        return None
    return topic, _finish(f"Will {who} {low} {_join(_resolve(rest, before, previous))}")


def _action_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """A demand or plan not yet carried out: "called on ministers to reassure …", "plans to sue the government"."""
    m = _CUE_BY_NAME[anchor.name].pattern.match(sentence, anchor.cue_start)
    if not m:
        return None
    before = sentence[: anchor.cue_start]
    if anchor.name == "demand":
        who_toks = _tokens(m.group("who"))
    else:
        last = before.split()[-1:]
        if m.group().split()[0].lower().startswith("plan") and any(
            (_light_lemma(t) or _lemma(t) or t.lower().endswith("ed")) and not t[:1].isupper()
            for t in _subject_before(sentence, anchor.cue_start)[1:]
        ):
            return None  # "he attacked Tory plans to …": a noun
        if last and last[0].lower().strip("\"'“”") in _DETERMINERS:
            return None  # "its plans to …": a noun, the plan is named not pending
        who_toks = _subject_before(sentence, anchor.cue_start)
    if not _who_ok(who_toks):
        return None
    who = _the(_join(_resolve(who_toks, before[:-60], previous)))
    rest = _clause_tokens(sentence[m.end():])
    return _verb_issue(m.group("verb"), rest, who, before, previous)


def _denial_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """A claim one party denies: "denied the claims", "dismissed allegations …", "denied having used …"."""
    before = sentence[: anchor.cue_start]
    toks = _clause_tokens(sentence[anchor.start:])
    if not toks:
        return None
    if anchor.name == "deny_claim":
        np_words = _noun_phrase(toks)[0]
        topic = _topic_from_np(toks)
        if not topic:
            return None
        if _head(topic) == "wrongdoing":
            return topic, "Was there any wrongdoing?"
        np_text = _the(_join(_resolve(np_words, before, previous)))
        return topic, _finish(f"{'Are' if np_words[-1].lower().endswith('s') else 'Is'} {np_text} true")
    who = _the(_join(_resolve(_subject_before(sentence, anchor.cue_start), before[:-60], previous)))
    if sentence[anchor.cue_start: anchor.start].rstrip().lower().endswith(("having", "being")):
        return _verb_issue(toks[0], toks[1:], who, before, previous) and (
            _verb_issue(toks[0], toks[1:], who, before, previous)[0],  # type: ignore[index]
            _finish(f"Did {who} {_lemma(toks[0]) or _light_lemma(toks[0]) or toks[0]} "
                    f"{_join(_resolve(toks[1:], before, previous))}"),
        )
    p = _parse_clause(toks, False)
    topic = _topic_from_parse(_Parse(_resolve(p.subject, before, previous), p.aux, p.verb, p.rest, p.passive))
    if not topic or p.verb is None:
        return None
    return topic, _finish("Is it true that " + _join(_resolve(toks, before, previous)))


def _proposal_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """A proposal awaiting a decision: "a bill which would …", "a proposal to divide …"."""
    before = sentence[: anchor.cue_start]
    if anchor.name == "bill_would":
        m = _CUE_BY_NAME[anchor.name].pattern.match(sentence, anchor.cue_start)
        if not m:
            return None
        head = [w for w in _tokens(m.group()) if w.lower() not in {"which", "that", "would", ","}]
        mods: list[str] = []
        for w in reversed(_tokens(before)[-4:]):
            if not re.match(r"[\w£$€]", w) or w.lower() in _STOP or w.lower() in _PREPOSITIONS or w.lower() in _AUX:
                break
            mods.insert(0, w)
        topic = " ".join([*mods[-2:], *head][-4:])
        return topic, _finish(f"Will the {topic} be adopted")
    toks = _clause_tokens(sentence[anchor.start:])
    if not toks:
        return None
    if re.search(r"\b(?:withdr[ae]wn?|dropped|abandoned|scrapped|rejected|shelved)\s+$", before):
        return None  # "has withdrawn proposals to …": settled
    if sentence[anchor.cue_start: anchor.start].rstrip().lower().endswith("for"):
        topic = _topic_from_np(toks)
        np_text = _join(_noun_phrase(toks)[0])
        return (topic, _finish(f"Will the proposal for {np_text} be adopted")) if topic else None
    got = _verb_issue(toks[0], toks[1:], "they", before, previous)
    if not got:
        return None
    topic = got[0] if _lemma(toks[0]) and not _light_lemma(toks[0]) else _topic_from_np(toks[1:]) or got[0]
    return topic, _finish(f"Will the proposal to {_join(_resolve(toks, before, previous))} be adopted")


def _call_for_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """A demand for a named measure: "called for an independent inquiry", "pressing for a ceasefire"."""
    before = sentence[: anchor.cue_start]
    toks = _clause_tokens(sentence[anchor.start:], limit=12)
    np_words, used = _noun_phrase(toks)
    while np_words and np_words[-1].lower().endswith(("ed", "ing")):
        np_words = np_words[:-1]
    topic = _topic_from_np(np_words)
    if np_words and np_words[-1].lower() in {"end", "halt"} and toks[used: used + 1] in (["to"], ["of"]):
        topic = _topic_from_np(toks[used + 1:]) or topic  # "an end to Mubarak's rule": the rule
        np_words = toks[: used + 1 + len(_noun_phrase(toks[used + 1:])[0])]
    if not topic or _ADVICE.search(before[-40:]):
        return None
    if np_words and np_words[0].lower() in {"a", "an", "the"}:
        np_words = np_words[1:]  # "calling for an end to ...": the article is chosen below
    np_text = _join(_resolve(np_words, before, previous))
    return topic, _finish(f"Will there be {'an' if np_text[:1].lower() in 'aeiou' else 'a'} {np_text}")


def _negotiation_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """Negotiations still going on: "there are ongoing negotiations with …", "talks continue"."""
    m = re.search(r"\b(talks|negotiations)\b", sentence[anchor.cue_start: anchor.cue_start + 120], re.IGNORECASE)
    if not m:
        return None
    word = m.group(1).lower()
    after = _clause_tokens(sentence[anchor.cue_start + m.end():], limit=10)
    tail = ""
    if after[:1] and after[0].lower() in {"with", "on", "over", "about", "between", "to"}:
        np_words = _noun_phrase(after[1:])[0] if after[0].lower() != "to" else after[1:6]
        tail = " " + _join([after[0], *_resolve(np_words, sentence[: anchor.cue_start], previous)])
    return word, _finish(f"What will the {word}{tail} produce")


def _suspicion_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """An arrest on suspicion: "was arrested on suspicion of incitement …" (guilt not established)."""
    before = sentence[: anchor.cue_start]
    toks = _clause_tokens(sentence[anchor.start:], limit=10)
    if anchor.name == "threat_if":
        verb = sentence[anchor.start:].split()[0].lower()
        who = _subject_before(sentence, anchor.cue_start)
        if not _who_ok(who) and not (who and who[-1].lower() in {"workers", "staff", "members", "unions", "union"}):
            return None
        topic = {"sue": "lawsuit", "quit": "resignation", "resign": "resignation", "walk": "walkout",
                 "take": "action"}.get(verb, verb)
        return topic, _finish(f"Will {_the(_join(_resolve(who, before[:-60], previous)))} {verb}"
                              f"{' out' if verb == 'walk' else ''}")
    topic = _topic_from_np(toks)
    if not topic:
        return None
    return topic, _finish(f"Will charges of {_join(_noun_phrase(toks)[0])} follow")


def _unknown_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """An unknown: "no one has claimed responsibility", "there is no public confirmation of numbers"."""
    if anchor.name == "no_one_claimed":
        return "responsibility", "Who is responsible?"
    toks = _clause_tokens(sentence[anchor.start:], limit=8)
    topic = _topic_from_np(toks)
    if not topic:
        return None
    return topic, _finish(f"What {'are' if topic.endswith('s') else 'is'} {_the(_join(_noun_phrase(toks)[0]))}")


def _penalty_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """A pending sentence or trial: "could face the death penalty", "faces up to 20 years in prison"."""
    m = _CUE_BY_NAME[anchor.name].pattern.match(sentence, anchor.cue_start)
    if not m:
        return None
    before = sentence[: anchor.cue_start]
    obj = _join(_clause_tokens(sentence[m.start("obj"):], limit=10))
    who_toks = _subject_before(sentence, anchor.cue_start)
    if not who_toks:
        return None
    who = _the(_join(_resolve(who_toks, before[:-60], previous)))
    topic = "death penalty" if "death penalty" in obj.lower() else "sentence" if "year" in obj or "life" in obj else _head(obj)
    return topic, _finish(f"Will {who} face {obj}")


def _unconfirmed_issue(anchor: _Anchor, sentence: str, previous: str) -> tuple[str, str] | None:
    """A report not confirmed: "The report could not be independently confirmed"."""
    subj = _subject_before(sentence, anchor.cue_start)
    topic = _topic_from_np(subj)
    if not topic or topic.lower() in _PRONOUNS or topic.lower() in {"this", "that", "which"}:
        return None
    np_text = _the(_join(subj))
    return topic, _finish(f"{'Are' if topic.endswith('s') and not topic.endswith('ss') else 'Is'} {np_text} true")


_FAMILY_HANDLERS = {
    "face_penalty": _penalty_issue, "not_confirmed": _unconfirmed_issue,
    "demand": _action_issue, "plans_to": _action_issue,
    "deny_claim": _denial_issue, "bill_would": _proposal_issue,
    "proposal_to": _proposal_issue, "call_for": _call_for_issue, "negotiations": _negotiation_issue,
    "no_one_claimed": _unknown_issue, "no_confirmation": _unknown_issue,
    "suspicion": _suspicion_issue, "threat_if": _suspicion_issue,
}


_ANNOUNCE_OBJECT = re.compile(r"\bto\s+(announce|unveil|publish|present|consider|set\s+out)\s+(.{3,120})", re.IGNORECASE)
_PENDING_VERB = re.compile(r"\bto\s+(?:be\s+(\w+)|(decide|rule|vote|respond))\b", re.IGNORECASE)
_DISCLOSE_VERBS = frozenset(
    "say confirm disclose reveal specify name identify announce decide determine comment".split()
)
_WITHHELD_VERB = re.compile(
    r"\s*(?:rule\s+out|comment\s+on|elaborate(?:d)?\s+on|go\s+into|give\s+details\s+of|independently\s+verify|\w+)\s*",
    re.IGNORECASE,
)
_LEGAL_NOUN = re.compile(
    r"(?:the\s+)?((?:[A-Z]\w+\s+){0,2}Court|judicial\s+review|(?:legal\s+|court\s+)?challenges?|appeals?|"
    r"lawsuits?|legal\s+action|court\s+case)",
    re.IGNORECASE,
)
_HYPOTHETICAL_ASK = re.compile(  # "If I would ask you how fast ...": a question put for argument's sake
    r"\bif\s+(?:I|you|we|one|someone)\s+(?:would\s+|were\s+to\s+|should\s+)?ask", re.IGNORECASE
)
_ANSWERED = re.compile(r"\W*(?:When\s+)?asked\s+(?:if|whether|about|what|how|why)\b", re.IGNORECASE)
_DIRECT_QUESTION = re.compile(r"\?[\"'”’)]*\s*$")
_RELATIVE_BEFORE = re.compile(r"([^,;]{3,120}),\s+(?:which|that)\s+[^,;]*$")
_ADVICE = re.compile(r"\b(?:must|should|ought\s+to|need\s+to|cannot\s+afford)\b", re.IGNORECASE)
_FAILS_TO = re.compile(r"((?:[\w'’\-]+\s+){1,6}?)fail(?:s|ed)?\s+to\s+")
_NEGATION = re.compile(r"\b(do|does|did|is|are|was|were)\s+not\s+")
_DECISION_HEADS = _DECISION_NOUNS | {w[:-1] for w in _DECISION_NOUNS if w.endswith("s")}


def _head(topic: str) -> str:
    words = [w for w in re.findall(r"[a-z][a-z\-]*", topic.lower()) if w not in _STOP]
    if not words:
        return topic.lower()
    w = words[-1]
    return w[:-1] if w.endswith("s") and len(w) > 4 else w


@dataclass
class _Scan:
    """What the rules make of one sentence: their cue features and the issues they can phrase there."""

    rules: list[str]  # rule features: "cue:<family>", "wh:<word>", "rule:settled", "rule:answered", "rule:issue", ...
    found: list[_Found]  # issues phrased from the anchors (for any sentence the detector keeps)
    rule_kept: bool  # True when the rules alone would list an issue here (the fallback decision)


_NO_SCAN = _Scan([], [], False)


def _scan(index: int, sentences: Sequence[str]) -> _Scan:
    """Run the rule cues on sentence ``index`` and phrase what they find."""
    text = sentences[index][:MAX_SENTENCE_CHARS]
    # a set test on the sentence's words finds the few sentences worth a closer look
    words = _KEY_WORDS.intersection(text.lower().translate(_PUNCT_TO_SPACE).split())
    if _CUE_WORDS.isdisjoint(words) and "whether" not in words and (
        _WH_KEYS.isdisjoint(words) or _Q_CONTEXT.isdisjoint(words)
    ):
        return _NO_SCAN
    anchors = _anchors(text, frozenset(words))
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
        anchors = [a for a in anchors if a.name == "quoted_question"]
    previous = sentences[index - 1][:MAX_SENTENCE_CHARS] if index else ""
    found: list[_Found] = []
    for anchor in anchors:
        try:
            got = _issue_for(anchor, text, previous)
        except (IndexError, KeyError, ValueError):  # a clause shape the rules do not cover
            logger.debug("issues: skipped an anchor in sentence %d", index)
            got = None
        if got is None:
            continue
        topic, question = got
        topic = " ".join(topic.split()[:4])
        if len(question) < 10 or not topic:
            continue
        if not question.endswith("?"):
            question += "?"
        found.append(_Found(index, anchor.start, anchor.name, topic, question))
    if found:
        rules.append("rule:issue")
        lows = [w.lower() for w in words_of(text)]
        if lexicon_hits(text, lows) & _EXPLICIT_LEXICON and not settled and not answered:
            rules.append("rule:explicit")
    return _Scan(rules, found, bool(found) and not settled and not answered)


_EXPLICIT_LEXICON = frozenset({"unclear", "to_be_seen", "not_said", "face_penalty", "quoted_q"})


def _generic(topic: str) -> bool:
    return all(w in _GENERIC_HEADS for w in topic.lower().split())


def rule_features(sentences: Sequence[str]) -> list[list[str]]:
    """The rule features of each sentence (the cue families and wh-anchors found, whether an issue was phrased)."""
    return [_scan(i, sentences).rules for i in range(len(sentences))]


def article_features(sentences: Sequence[str], detector: Detector | None = None) -> list[dict[str, float]]:
    """The detector's features of each sentence of an article (``briefing.analyse.issues.detect.sentence_features``)."""
    scans = [_scan(i, sentences) for i in range(len(sentences))]
    return _features(sentences, scans, detector.factuality if detector else _default_factuality())


def _default_factuality() -> Factuality | None:
    det = default_detector()
    return det.factuality if det else None


def _features(sentences: Sequence[str], scans: Sequence[_Scan], factuality: Factuality | None) -> list[dict[str, float]]:
    n = len(sentences)
    feats = [
        sentence_features(words_of(s[:MAX_SENTENCE_CHARS]), s[:MAX_SENTENCE_CHARS], i, n, scans[i].rules, factuality)
        for i, s in enumerate(sentences)
    ]
    return with_context(feats, [sc.rules for sc in scans])


def rule_issues(sentences: Sequence[str]) -> list[OpenIssue]:
    """The open issues the cue rules alone find (the extractor before the detector; its fallback without a model)."""
    found = [f for i in range(len(sentences)) if (sc := _scan(i, sentences)).rule_kept for f in sc.found]
    return _dedupe(found, sentences, {})


def _dedupe(found: Sequence[_Found], sentences: Sequence[str], questions: dict[int, str]) -> list[OpenIssue]:
    """One issue per topic head, in article order (``questions``: sentence index -> a question to use instead)."""
    issues: list[OpenIssue] = []
    seen_heads: set[str] = set()
    for f in found:
        if _generic(f.topic):
            continue  # "the issue", "details to be hammered out": nothing a reader could track
        head = _head(f.topic)
        if head in seen_heads:
            continue
        seen_heads.add(head)
        issues.append(OpenIssue(topic=f.topic, question=questions.get(f.index, f.question), evidence=sentences[f.index]))
        if len(issues) >= MAX_ISSUES:
            break
    return issues


def extract_open_issues(sentences: Sequence[str], detector: Detector | None = None) -> list[OpenIssue]:
    """Return the open issues stated in ``sentences``, in article order, duplicates merged.

    The evidence detector (``briefing.analyse.issues.detect``, the shipped model unless ``detector`` is given) decides
    which sentences state an open issue; the cue rules are among its features. Each evidence sentence's question
    is phrased from that sentence alone (``briefing.analyse.issues.questions``) and checked
    (``briefing.analyse.issues.questions.check_question``): a question that fails the checks is replaced by "" and the
    issue is kept for its evidence. Without a model file the rules decide (``rule_issues``).

    Args:
        sentences: the article's sentences (``briefing.analyse.sentences.split_sentences``), each verbatim.
        detector: a detector to use instead of the shipped one (training and tests).

    Returns:
        One ``OpenIssue`` per distinct unresolved matter; its ``evidence`` is one of ``sentences`` unchanged and its
        ``question`` ends with "?" or is "" (no well-formed question could be phrased from the evidence).
    """
    det = detector or default_detector()
    if det is None:
        return rule_issues(sentences)
    scans = [_scan(i, sentences) for i in range(len(sentences))]
    feats = _features(sentences, scans, det.factuality)
    logits = [det.logit(f) for f in feats]
    return assemble_issues(sentences, scans, logits, det.threshold)


def assemble_issues(sentences: Sequence[str], scans: Sequence[_Scan], logits: Sequence[float],
                    threshold: float) -> list[OpenIssue]:
    """The issues of the sentences whose detector logit reaches ``threshold``: phrased, checked, deduplicated."""
    found: list[_Found] = []
    questions: dict[int, str] = {}
    kept: list[int] = []
    for i, z in enumerate(logits):
        explicit = any(r in EXPLICIT_CUES for r in scans[i].rules) and bool(scans[i].found)
        if z < threshold - (EXPLICIT_MARGIN if explicit else 0.0):
            continue
        if _same_matter(i, kept, sentences):
            continue
        kept.append(i)
        previous = sentences[i - 1][:MAX_SENTENCE_CHARS] if i else ""
        text = sentences[i][:MAX_SENTENCE_CHARS]
        own = [f for f in scans[i].found if check_question(f.question, text, previous) is None]
        if own:
            found.extend(own)
            continue
        phrased = phrase_question(text, previous)
        question = phrased.question
        topic = ""
        if phrased.verb or phrased.subject:
            topic = _topic_from_parse(_Parse(phrased.subject, None, phrased.verb, phrased.rest, False))
        if not topic or topic.lower() in _PRONOUNS:
            topic = scans[i].found[0].topic if scans[i].found else _topic_of(text)
        if question and check_question(question, text, previous) is not None:
            question = ""
        found.append(_Found(i, 0, "detector", " ".join(topic.split()[:4]), question))
    return _dedupe(found, sentences, questions)


def _topic_of(sentence: str) -> str:
    """A topic for an evidence sentence the rules could not phrase: its first verb's noun, else its subject."""
    toks = _tokens(sentence[:400])
    for t in toks[1:]:
        lem = _lemma(t)
        if lem and not t[:1].isupper():
            return _NOUN_OF[lem]
    return _topic_from_np(toks) or "open issue"


_CONTENT = re.compile(r"[A-Za-z][\w'’\-]+")


def _content_words(sentence: str) -> set[str]:
    return {w.lower() for w in _CONTENT.findall(sentence) if w.lower() not in _STOP and w.lower() not in _AUX
            and w.lower() not in _PREPOSITIONS and len(w) > 2}


def _same_matter(i: int, kept: Sequence[int], sentences: Sequence[str]) -> bool:
    """True when sentence ``i`` restates a kept evidence sentence (most of its content words)."""
    words = _content_words(sentences[i])
    if not words:
        return False
    for k in kept:
        other = _content_words(sentences[k])
        if other and len(words & other) / min(len(words), len(other)) >= SAME_MATTER:
            return True
    return False


# The article's own statements that a matter is open (point 5 of the open-issue work): a question it reports being
# asked, "it remains unclear whether", "has not said whether", "could face the death penalty", a report not
# confirmed. A sentence with one of these cues, phrased by the rules, needs a detector logit EXPLICIT_MARGIN lower.
EXPLICIT_CUES = frozenset({"rule:explicit", "cue:quoted_question", "cue:face_penalty", "cue:not_confirmed", "cue:remains_unclear",
                           "cue:refused", "cue:yet_to", "cue:not_yet_passive", "cue:yet_passive"})
EXPLICIT_MARGIN = 1.5
SAME_MATTER = 0.6  # share of content words two evidence sentences have in common to state one matter
