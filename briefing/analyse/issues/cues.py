"""The cue phrases of open issues: one ``Cue`` record per cue, in one table (``CUES``).

A cue is a phrase that states a matter unresolved ("is yet to", "refused to say", "unless", "is expected to rule",
"sticking point", ...). Its record says everything the rules need: the pattern that finds it, the words a sentence
must hold for the pattern to be tried, on which side of it the matter lies, how its question is asked (an asker of
``briefing.analyse.issues.rules.ASKERS`` and the question's template: "{t}" the matter, other slots filled by the
asker), a fixed topic where the matter is always the same, and how it behaves beside other anchors. Adding a cue
means adding one record here (and retraining the detector: each cue name is a feature, ``cue:<name>``, of
``briefing/data/issues_model.json``); a new way of asking, one asker in ``rules.ASKERS``.

Every pattern is linear (bounded windows, no nested quantifiers), so pathological input returns quickly. The order
of the table matters: at one clause start, the first cue listed wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    """A cue phrase and how its open issue is found and asked."""

    name: str  # the detector's feature "cue:<name>" (the shipped model's weights are keyed by it)
    side: str  # "subj": the matter is the noun phrase before the cue; "obj": what follows it
    pattern: re.Pattern[str]  # for an "obj" cue, the group "verb" (when present) marks where its clause starts
    keys: frozenset[str]  # the pattern runs only on sentences holding one of these words (a set test is cheap) ...
    also: frozenset[str]  # ... and, when not empty, one of these
    ask: str  # how the question is asked: the name of an asker in ``briefing.analyse.issues.rules.ASKERS``
    question: str  # the question's template, for the askers that take one: "{t}" the matter (other slots: its asker)
    topic: str  # a fixed topic ("court case"), or "" when the topic is named from the clause
    explicit: bool  # the article itself states the matter open: the detector may be ``EXPLICIT_MARGIN`` less sure
    beside: bool  # listed beside the sentence's cue (a sentence otherwise states one matter through its cues)
    before_wh: bool  # kept when its clause runs into an embedded question ("unless ... whether")
    in_question: bool  # kept in a sentence that is itself a question (one the article reports being asked)
    decision: bool  # only when the subject's head names a decision ("the vote is due", not "the meeting is due")
    skip: int  # tokens of the clause before its matter ("close to reaching [a deal]")

    @classmethod
    def make(
        cls, name: str, side: str, pattern: str, *, keys: Iterable[str], also: Iterable[str] = (), ask: str = "",
        question: str = "What will happen on {t}", topic: str = "", explicit: bool = False, beside: bool = False,
        before_wh: bool = False, in_question: bool = False, decision: bool = False, skip: int = 0,
    ) -> Cue:
        """A cue from its pattern's text (matched case-insensitively); ``ask`` defaults to "subject" or "object"."""
        return cls(name, side, re.compile(pattern, re.IGNORECASE), frozenset(keys), frozenset(also),
                   ask or ("subject" if side == "subj" else "object"), question, topic, explicit, beside,
                   before_wh, in_question, decision, skip)


def _forms(*stems: str) -> tuple[str, ...]:
    """Word forms of regular verb stems ("refus" -> refuse, refused, refuses, refusing)."""
    return tuple(f for st in stems for f in (st, st + "e", st + "ed", st + "es", st + "s", st + "ing"))


CUES: tuple[Cue, ...] = (
    Cue.make(
        "yet_passive", "subj",
        r"\b(?:has|have|had|is|are|was|were)\s+(?:still\s+)?(?:yet\s+to|not\s+yet|still\s+to)\s+be\s+"
        r"(?P<verb>\w+ed|\w+en|set|made|held|paid|built|sold)\b",
        keys=("yet", "still"),
        ask="not_yet", question="When will {t} be {verb}", explicit=True,
    ),
    Cue.make(
        "not_yet_passive", "subj",
        r"\b(?:has|have|had)\s+not\s+(?:yet\s+)?been\s+(?P<verb>decided|determined|"
        r"established|agreed|settled|finali[sz]ed|announced|named|set|confirmed|approved|resolved|chosen|fixed|released|identified|disclosed|revealed|made\s+public|explained)\b",
        keys=("not",),
        also=("been",),
        ask="not_yet", question="When will {t} be {verb}", explicit=True,
    ),
    Cue.make(
        "yet_to", "obj",
        r"\b(?:has|have|had|is|are|was|were)\s+(?:still\s+)?yet\s+to\s+(?P<verb>\w+)\b",
        keys=("yet",),
        ask="not_done", explicit=True,
    ),
    Cue.make(
        "remains_unclear", "subj",
        r"\b(?:remains?|remained|is|are|was|were)\s+(?:still\s+)?(?:unclear|uncertain|"
        r"unknown|undecided|unresolved|not\s+(?:yet\s+)?(?:known|clear)|in\s+(?:doubt|question)|up\s+in\s+the\s+air|to\s+be\s+(?:decided|"
        r"determined|settled|agreed|resolved|seen)|under\s+(?:review|discussion|consideration|negotiation|"
        r"investigation))\b",
        keys=("unclear", "uncertain", "unknown", "undecided", "unresolved", "doubt", "question", "air", "known",
            "decided", "determined", "settled", "agreed", "resolved", "seen", "under"),
        question="What will happen on {t}", explicit=True,
    ),
    Cue.make(
        "has_been_in_question", "subj",
        r"\bhas\s+been\s+(?:in\s+question|in\s+doubt|under\s+review|"
        r"under\s+discussion|under\s+consideration|the\s+subject\s+of\s+(?:speculation|debate))\b",
        keys=("question", "doubt", "review", "discussion", "consideration", "subject"),
        also=("been",),
        question="What is the future of {t}",
    ),
    Cue.make(
        "refused", "obj",
        r"\b(?:(?:refus\w*|declin\w*|unable|fail\w*)\s+to|(?:would|did|does|do|could|will|has|have)\s+not|"
        r"(?:would|did|does|do|could|wo|has|have)n't)\s+(?P<verb>rule\s+out|say|confirm|disclose|reveal|"
        r"specify|elaborate\s+on|go\s+into|give\s+details\s+of|(?:independently\s+)?verify|name|identify|"
        r"elaborated\s+on|specified|disclosed|revealed|confirmed|said)\b",
        keys=(*_forms("refus", "declin", "fail"), "unable", "not", "didn't", "wouldn't", "couldn't", "won't",
            "hasn't", "haven't"),
        also=("say", "comment", "confirm", "disclose", "reveal", "specify", "elaborate", "go", "give", "verify",
            "name", "identify", "elaborated", "specified", "disclosed", "revealed", "confirmed", "said", "rule"),
        ask="withheld", explicit=True,
    ),
    Cue.make(
        "expected_to_decide", "subj",
        r"\b(?:is|are|was|were)\s+(?:now\s+|still\s+)?(?:(?:expected|due|set|"
        r"scheduled|poised|likely|preparing)\s+)?to\s+(?P<verb>decide|rule|vote|announce|respond|consider|"
        r"deliver\s+(?:its|a|their)\s+(?:verdict|ruling|decision)|make\s+(?:a|its|their)\s+decision|sign|"
        r"hold\s+(?:an?|the|its|their)\s+(?:\w+\s+)?(?:vote|referendum|inquiry|review|ballot|hearing|election)|"
        r"be\s+(?:taken|made|signed|decided|announced|debated|approved|passed|rejected|adopted|lifted|imposed|"
        r"extended|renewed|ratified|overturned|granted|scrapped|questioned|published|examined|unveiled|held))\b",
        keys=("expected", "due", "set", "scheduled", "poised", "likely", "preparing", "decide", "rule", "vote",
            "announce", "respond", "consider", "deliver", "sign", "issue", "publish", "hear", "resume", "hold"),
        also=("decide", "rule", "vote", "announce", "respond", "consider", "deliver", "make", "sign", "be", "hold"),
        ask="pending", question="What will the outcome of {t} be",
    ),
    Cue.make(
        "decision_expected", "subj",
        r"\b(?:is|are)\s+(?:now\s+|still\s+)?(?:expected|due|awaited|pending)\s+"
        r"(?:next|later|on|in|by|within|this|shortly|soon|early|before)\b",
        keys=("expected", "due", "awaited", "pending"),
        question="What will {t} be", decision=True,
    ),
    Cue.make(
        "considering", "obj",
        r"\b(?:is|are|were|was)\s+(?:now\s+|still\s+)?(?:considering|weighing|reviewing|"
        r"debating|discussing|negotiating|studying)\s+(?P<verb>)",
        keys=("considering", "weighing", "reviewing", "debating", "discussing", "negotiating", "studying"),
        question="Will {t} go ahead",
    ),
    Cue.make(
        "investigating", "obj",
        r"\b(?:is|are|were|was)\s+(?:now\s+|still\s+)?investigating\s+(?P<verb>)",
        keys=("investigating",),
        question="What will the investigation into {t} find",
    ),
    Cue.make(
        "investigation", "obj",
        r"\binvestigation\s+(?:is\s+|was\s+)?(?:already\s+|still\s+)?(?:ongoing|"
        r"continuing|under\s+way|underway)\s+into\s+(?P<verb>)",
        keys=("investigation",),
        question="What will the investigation into {t} find",
    ),
    Cue.make(
        "investigation_into", "obj",
        r"\b(?:launched|opened|began|ordered|announced)\s+(?:an?\s+)?"
        r"(?:\w+\s+)?(?:investigation|inquiry|probe)\s+into\s+(?P<verb>)",
        keys=("investigation", "inquiry", "probe"),
        question="What will the investigation into {t} find",
    ),
    Cue.make(
        "suspected", "obj",
        r"\bit\s+is\s+(?:suspected|alleged|not\s+known|unclear)\s+(?:that\s+)?(?P<verb>)",
        keys=("suspected", "alleged", "known", "unclear"),
        ask="is_it_true",
    ),
    Cue.make(
        "unless", "obj",
        r"\bunless\s+(?P<verb>)",
        keys=("unless",),
        ask="condition", before_wh=True,
    ),
    Cue.make(
        "if_not", "obj",
        r"\bif\s+(?P<verb>)(?=(?:[\w'’\-]+\s+){1,6}?(?:(?:do|does|did|is|are|was|were)\s+not|"
        r"fail(?:s|ed)?\s+to)\s)",
        keys=("if",),
        also=("not", "fail", "fails", "failed"),
        ask="condition", before_wh=True,
    ),
    Cue.make(
        "dispute_over", "obj",
        r"\b(?:disagreements?|disputes?|divisions?|differences|wrangling|deadlock|"
        r"stand-?off|impasse|split|divided|at\s+odds)\s+(?:over|on|about)\s+(?P<verb>)",
        keys=("disagreement", "disagreements", "dispute", "disputes", "division", "divisions", "differences",
            "wrangling", "deadlock", "standoff", "stand-off", "impasse", "split", "divided", "odds"),
        question="How will the dispute over {t} be resolved",
    ),
    Cue.make(
        "sticking_point", "subj",
        r"\b(?:remains?|is|are|was|were)\s+(?:a|the|one)\s+(?:\w+\s+)?"
        r"(?:sticking\s+points?|bone\s+of\s+contention|stumbling\s+blocks?|outstanding\s+issues?)\b",
        keys=("sticking", "contention", "stumbling", "outstanding"),
        question="How will {t} be resolved",
    ),
    Cue.make(
        "outstanding", "obj",
        r"\b(?:outstanding|unresolved)\s+(?:issues?|questions?|matters?|points?)\s+"
        r"(?:include|included|including|are|were|is|was)\s+(?P<verb>)",
        keys=("outstanding", "unresolved"),
        question="How will {t} be resolved",
    ),
    Cue.make(
        "hammered", "subj",
        r"\b(?:left|leaving|leave)\s+(?P<verb>)(?:the\s+)?(?:details|issues?|questions?|"
        r"specifics|matters?)\s+to\s+be\s+(?:hammered|worked|ironed|thrashed|sorted)\s+out\b",
        keys=("out",),
        also=("hammered", "worked", "ironed", "thrashed", "sorted"),
        ask="fixed", topic="details", question="How will the remaining details be settled?", beside=True,
    ),
    Cue.make(
        "hopes_to", "obj",
        r"\b(?:hopes?|hoped|hoping)\s+(?:to|for)\s+(?P<verb>announce|reach|agree|secure|"
        r"conclude|sign|finali[sz]e|clinch|seal|strike|an?\s+(?:agreement|deal|accord))\b",
        keys=("hope", "hopes", "hoped", "hoping"),
        ask="agreement", question="Will {a} {t} be reached",
    ),
    Cue.make(
        "possible_agreement", "obj",
        r"\b(?:possible|optimistic|hopeful|close)\s+(?:to|about|of)\s+(?P<verb>"
        r"reach(?:ing)?|agree(?:ing)?|clinch(?:ing)?|seal(?:ing)?|conclud(?:e|ing))\b",
        keys=("possible", "optimistic", "hopeful", "close"),
        also=("reach", "reaching", "agree", "agreeing", "clinch", "clinching", "seal", "sealing", "conclude",
            "concluding"),
        ask="agreement", question="Will {a} {t} be reached", skip=1,
    ),
    Cue.make(
        "possibility", "obj",
        r"\b(?:still\s+)?(?:a|the)\s+possibility\s+(?:of|that)\s+(?P<verb>)",
        keys=("possibility",),
        ask="possibility", question="Will there be {t}",
    ),
    Cue.make(
        "doubts", "obj",
        r"\b(?:doubts?|sceptic(?:al|ism)|skeptic(?:al|ism))\s+(?:about|over|that|as\s+to)\s+(?P<verb>)",
        keys=("doubt", "doubts", "sceptical", "skeptical", "scepticism", "skepticism"),
        ask="possible",
    ),
    Cue.make(
        "key_questions", "subj",
        r"\b(?:key|big|many|serious|unanswered)\s+questions\s+(?:remain|still|are\s+"
        r"still)\b",
        keys=("questions",),
        ask="key_questions", question="What are the answers on {t}",
    ),
    Cue.make(
        "talks_on", "obj",
        r"\b(?:talks|negotiations)\s+on\s+(?P<verb>)(?:the\s+)?future\s+of\b",
        keys=("future",),
        also=("talks", "negotiations"),
        question="What will be decided on {t}",
    ),
    Cue.make(
        "legal_action", "obj",
        r"\b(?:seek\w*|sought|lodg\w*|fil(?:e|es|ed|ing)|launch\w*|mount\w*|brought|"
        r"bring\w*|beg[au]n)\s+(?:\w+\s+){0,3}?(?P<verb>)(?:judicial\s+review|(?:legal\s+|court\s+)?challenges?|"
        r"appeals?|lawsuits?|legal\s+action|court\s+case)\b",
        keys=("review", "challenge", "challenges", "appeal", "appeals", "lawsuit", "lawsuits", "action", "case"),
        also=(*_forms("seek", "lodg", "fil", "launch", "mount", "bring"), "sought", "brought", "began", "begun",
            "file", "lodge"),
        ask="legal", question="Will the {t} succeed",
    ),
    Cue.make(
        "court_challenge", "obj",
        r"\bchalleng(?:ing|ed|e|es)\s+(?:[\w'’\-]+\s+){0,6}?in\s+the\s+(?P<verb>)"
        r"(?:[A-Z]\w+\s+){0,2}Court\b",
        keys=("court",),
        also=("challenging", "challenged", "challenge", "challenges"),
        ask="legal", question="Will the {t} succeed",
    ),
    Cue.make(
        "opposed_by", "subj",
        r"\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:opposed|contested|disputed|resisted)\s+by\b",
        keys=("opposed", "contested", "disputed", "resisted"),
        question="Will {t} go ahead",
    ),
    Cue.make(
        "scheduled_for", "subj",
        r"\b(?:is|are)\s+(?:now\s+|still\s+)?(?:scheduled|set|due|planned|slated)\s+"
        r"for\b",
        keys=("scheduled", "set", "due", "planned", "slated"),
        also=("for",),
        question="What will be the outcome of {t}", decision=True,
    ),
    Cue.make(
        "goes_to_vote", "subj",
        r"\b(?:goes|go|going|sent|put)\s+to\s+(?:a\s+)?(?:full\s+|final\s+|free\s+|"
        r"second\s+)?(?:vote|debate|ballot|referendum)\b",
        keys=("vote", "debate", "ballot", "referendum"),
        also=("goes", "go", "going", "sent", "put"),
        question="Will {t} pass",
    ),
    Cue.make(
        "supposed_to", "obj",
        r"\b(?:was|were|is|are)\s+(?:\w+\s+)?(?:supposed|meant)\s+to\s+(?P<verb>\w+)\b",
        keys=("supposed", "meant"),
        ask="not_done",
    ),
    Cue.make(
        "possible_that", "obj",
        r"\bit\s+(?:is|was)\s+(?:still\s+|now\s+|quite\s+|entirely\s+)?possible\s+"
        r"(?:that\s+)?(?P<verb>)(?!to\b)",
        keys=("possible",),
        ask="possible",
    ),
    Cue.make(
        "matter_for_debate", "subj",
        r"\b(?:remains?|remained|is|was)\s+(?:still\s+)?(?:a|an)\s+(?:open\s+)?"
        r"(?:matter|question|subject)\s+(?:for|of)\s+(?:debate|speculation|dispute|conjecture|discussion)\b",
        keys=("debate", "speculation", "dispute", "conjecture", "discussion"),
        also=("matter", "question", "subject"),
        question="How will the debate over {t} be settled",
    ),
    Cue.make(
        "future_review", "subj",
        r"\b(?:will|would|is\s+to|are\s+to)\s+(?:now\s+|also\s+|still\s+|first\s+)?be\s+"
        r"(?:considered|debated|examined|reviewed|decided|voted\s+on|discussed|assessed)\b",
        keys=("considered", "debated", "examined", "reviewed", "decided", "voted", "discussed", "assessed"),
        also=("be",),
        question="What will be decided on {t}",
    ),
    Cue.make(
        "undecided_np", "obj",
        r"\b(?:an?\s+|the\s+)?(?:as\s+yet\s+)?(?:undecided|unspecified|undisclosed|unconfirmed|"
        r"undetermined)\s+(?P<verb>)",
        keys=("undecided", "unspecified", "undisclosed", "unconfirmed", "undetermined"),
        question="What will {t} be",
    ),
    Cue.make(
        "no_x_yet", "obj",
        r"\bno\s+(?P<verb>)(?:[\w'’\-]+\s+){1,3}?(?:has|have|had)\s+(?:yet\s+)?been\s+(?:agreed|"
        r"decided|set|fixed|announced|named|chosen|reached|made|finali[sz]ed)\b",
        keys=("no",),
        also=("been",),
        question="What will {t} be",
    ),
    Cue.make(
        "until", "obj",
        r"\b(?:will|would|vow\w*\s+to|threaten\w*\s+to|refus\w*\s+to)\s+(?:[\w'’\-]+\s+){0,5}?"
        r"until\s+(?P<verb>)",
        keys=("until",),
        ask="condition",
    ),
    Cue.make(
        "not_guaranteed", "subj",
        r"\b(?:(?:cannot|can't|could\s+not|may\s+not)\s+be|(?:is|are)\s+not)\s+"
        r"(?:guaranteed|assured|certain)\b",
        keys=("guaranteed", "assured", "certain"),
        also=("be", "not"),
        question="Will {t} be achieved",
    ),
    Cue.make(
        "only_if", "obj",
        r"\bonly\s+if\s+(?P<verb>)",
        keys=("only",),
        ask="condition",
    ),
    Cue.make(
        "court_date", "subj",
        r"\b(?:will|(?:is|are)\s+(?:due|set|expected)\s+to)\s+appear\s+(?:at|before|in)\s+"
        r"(?:[\w'’\-]+\s+){0,3}?(?:court|magistrates|tribunal)",
        keys=("appear",),
        also=("court", "magistrates", "tribunal", "court's"),
        ask="court_date", topic="court case", question="What will the outcome of the court case against {t} be",
    ),
    Cue.make(
        "face_penalty", "obj",
        r"\b(?P<verb>)(?:(?:could|may|might|would|will|now|still)\s+(?:also\s+|still\s+)?face|"
        r"fac(?:es|ing))\s+(?P<obj>(?:a\s+|the\s+)?(?:possible\s+|maximum\s+)?(?:death\s+penalty|life\s+(?:in\s+prison|"
        r"sentence|imprisonment)|execution|up\s+to\s+[\w\-]+\s+years?|[\w\-]+\s+years\s+in\s+prison|extradition|"
        r"prosecution|trial|charges))\b",
        keys=("face", "faces", "facing"),
        ask="penalty", explicit=True,
    ),
    Cue.make(
        "not_confirmed", "subj",
        r"\b(?:could|can|has|have|had|was|were|is|are)\s*(?:not|n't)\s+(?:yet\s+)?(?:been\s+|be\s+)?"
        r"(?:independently\s+|officially\s+)?(?:confirmed|verified)\b",
        keys=("confirmed", "verified"),
        ask="unconfirmed", explicit=True,
    ),
    Cue.make(
        "quoted_question", "obj",
        r"[\"“](?P<verb>)[^\"”]{8,200}\?[\"”],?\s+(?:[\w'’\-]+\s+){0,4}?asked\b",
        keys=("asked",),
        ask="quoted", explicit=True, in_question=True,
    ),
    # the recall families added after the held-out checks: demands, plans, denials, proposals awaiting approval,
    # ongoing negotiations, arrests on suspicion, threats, unknowns
    Cue.make(
        "demand", "obj",
        r"(?<![\w\-])(?:call(?:s|ed|ing)?\s+on|press(?:es|ed|ing)?|"
        r"want(?:s|ed)?|demand(?:s|ed|ing)?)\s+(?P<who>(?:[A-Z][\w'’\-.]*\s+|the\s+|an?\s+|its\s+|their\s+|all\s+)"
        r"(?:[\w'’\-.]+\s+){0,5}?)to\s+(?P<verb>[a-z]\w+)\b",
        keys=(*_forms("call", "press", "want", "demand"), "called", "pressed", "wanted"),
        also=("to",),
        ask="action",
    ),
    Cue.make(
        "call_for", "obj",
        r"\b(?:call(?:s|ed|ing)?|press(?:es|ed|ing)?)\s+for\s+(?P<verb>)(?:an?\s+|the\s+)?"
        r"(?:urgent\s+|immediate\s+|full\s+|independent\s+|public\s+|fresh\s+)?(?:[\w\-]+\s+){0,2}?"
        r"(?:inquiry|investigation|ceasefire|cease-fire|referendum|vote|review|resignation|end|intervention|"
        r"election|elections|withdrawal|release|ban|talks|halt|suspension|debate|statement|apology|rethink)\b",
        keys=("call", "calls", "called", "calling", "press", "pressing", "pressed"),
        also=("for",),
        ask="call_for",
    ),
    Cue.make(
        "plans_to", "obj",
        r"(?<=\w\s)(?:(?:is|are|was|were)\s+)?(?:plan(?:s|ned|ning)?|intend(?:s|ed|ing)?|"
        r"seek(?:s|ing)?|sought|threaten(?:s|ed|ing)?|prepar(?:es|ing))\s+to\s+(?P<verb>[a-z]\w+)\b",
        keys=(*_forms("plan", "intend", "seek", "threaten", "prepar"), "planned", "planning", "sought", "preparing",
            "prepared"),
        also=("to",),
        ask="action",
    ),
    Cue.make(
        "deny_claim", "obj",
        r"\b(?:den(?:y|ies|ied|ying)|refut(?:e|es|ed|ing))\s+(?:\w+ly\s+)?(?P<verb>)(?:the\s+|any\s+|all\s+|"
        r"these\s+|those\s+|such\s+|his\s+|her\s+|their\s+|its\s+)?(?:[\w\-]+\s+){0,2}?(?:claims?|allegations?|"
        r"reports?|accusations?)\b",
        keys=(*_forms("den", "refut", "reject", "dismiss"), "deny", "denied", "denies", "denying", "dismissed"),
        also=("claim", "claims", "allegation", "allegations", "report", "reports", "accusation", "accusations",
            "suggestion", "suggestions", "charges", "wrongdoing"),
        ask="denial",
    ),
    Cue.make(
        "faces_vote", "subj",
        r"\b(?:now\s+)?(?:faces?|facing|faced)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?"
        r"(?:vote|ballot|opposition|defeat|rebellion|scrutiny)\b",
        keys=("faces", "facing", "faced", "face"),
        also=("vote", "ballot", "opposition", "defeat", "rebellion", "scrutiny", "challenge", "challenges"),
        question="Will {t} pass",
    ),
    Cue.make(
        "bill_would", "subj",
        r"\b(?:bill|legislation|draft\s+[\w\-]+|proposed\s+[\w\-]+)\s+(?:,\s+)?(?:which\s+|"
        r"that\s+)?would\b(?!\s+have\b)",
        keys=("would",),
        also=("bill", "legislation", "draft", "proposed"),
        ask="bill", question="Will the {t} be adopted",
    ),
    Cue.make(
        "proposal_to", "obj",
        r"\bproposals?\s+(?:to|for)\s+(?P<verb>)",
        keys=("proposal", "proposals"),
        also=("to", "for"),
        ask="proposal",
    ),
    Cue.make(
        "negotiations", "obj",
        r"\b(?:(?:ongoing|continuing|further|fresh)\s+(?P<verb>)(?:talks|negotiations)\b|"
        r"(?:talks|negotiations)\s+(?:[\w'’\-]+\s+){0,12}?(?:continues?|continuing|ongoing|under\s*way|"
        r"resumes?)\b)",
        keys=("talks", "negotiations"),
        also=("ongoing", "continuing", "continue", "continues", "further", "fresh", "underway", "under", "resume",
            "resumed"),
        ask="negotiations",
    ),
    Cue.make(
        "suspicion", "obj",
        r"\b(?:arrested|detained|held|questioned|charged)\s+(?:[\w'’\-]+\s+){0,6}?on\s+"
        r"suspicion\s+of\s+(?P<verb>)",
        keys=("suspicion",),
        ask="suspicion", question="Will charges of {t} follow",
    ),
    Cue.make(
        "threat_if", "obj",
        r"\b(?:could|would|will|may|might|threaten\w*\s+to)\s+(?:\w+\s+){0,2}?(?P<verb>strike|"
        r"resign|quit|walk\s+out|sue|take\s+(?:legal\s+|industrial\s+)?action)\s+(?:[\w'’\-]+\s+){0,4}?"
        r"(?:if|unless)\b",
        keys=("if", "unless"),
        also=("strike", "resign", "quit", "walk", "sue", "action"),
        ask="threat",
    ),
    Cue.make(
        "no_one_claimed", "obj",
        r"\b(?:no\s+one|nobody|no\s+group|no\s+organi[sz]ation)\s+(?:has|had)\s+"
        r"(?:yet\s+|so\s+far\s+)?(?:claimed|admitted)\s+(?P<verb>)responsibility\b",
        keys=("claimed", "claim"),
        also=("responsibility",),
        ask="fixed", topic="responsibility", question="Who is responsible?",
    ),
    Cue.make(
        "no_confirmation", "obj",
        r"\bno\s+(?:public\s+|official\s+|independent\s+)?confirmation\s+(?:of|on)\s+"
        r"(?P<verb>)",
        keys=("confirmation",),
        ask="unknown",
    ),
    Cue.make(
        "take_place", "subj",
        r"\bto\s+(?:take\s+place|be\s+held|be\s+based|be\s+located|be\s+stationed)\s+"
        r"(?:inside|outside|in|at|abroad)\b",
        keys=("place", "held", "based", "located", "stationed"),
        also=("to",),
        ask="location", question="Where will the {t} take place", beside=True, before_wh=True,
    ),
)

CUE_BY_NAME: dict[str, Cue] = {c.name: c for c in CUES}
CUE_WORDS = frozenset(k for c in CUES for k in c.keys)
# key word -> the indexes in CUES of the cues it lets run, in table order
CUES_BY_WORD: dict[str, tuple[int, ...]] = {w: tuple(i for i, c in enumerate(CUES) if w in c.keys) for w in CUE_WORDS}
