"""Named actors: people with roles, organisations and places.

A CRF model (python-crfsuite) trained by ``tools/train_ner.py`` on gold NER (GUM, wikigold, BTC, UNER) and a
down-weighted share of the silver GMB finds the names; rules around it keep names to names (no "While", "Scroll",
"According", datelines, months or wire tags; buildings are places), attach roles to people (titles before the name,
possessives, appositions, brackets), merge aliases ("Zebari" -> "Hoshyar Zebari", "US" -> "United States",
"Michael T. Flynn" ~ "Michael Flynn", "D.N.C." ~ "DNC") and count plain demonyms ("French troops") as mentions of
the country.
The model ships in ``briefing/data`` and is loaded once per process, on first use.
"""

from __future__ import annotations

import logging
import re
import string
import struct
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from itertools import compress, groupby
from operator import attrgetter
from typing import TypeVar, cast

from briefing.clean import strip_dateline
from briefing.errors import BriefingError
from briefing.models import Actor, ActorType

logger = logging.getLogger(__name__)

MODEL_NAME = "ner.crfsuite"
GAZETTEER_NAME = "gazetteer.tsv"
COMMON_WORDS_NAME = "common_words.txt"
POS_LEXICON_NAME = "pos_lexicon.tsv"
PLACES_NAME = "places.txt"
FIRST_NAMES_NAME = "first_names.txt"
MAX_SEQUENCE = 120  # tokens per CRF call: keeps pathological "sentences" (1 MB without a full stop) linear
SENTENCE_BATCH = 64  # sentences of an article tagged together
LABEL_TYPES: dict[str, ActorType] = {"per": "person", "org": "organization", "geo": "place", "gpe": "place"}

# ---------------------------------------------------------------------------------------------------------------
# Tokens, with character offsets so that names are copied verbatim. Close to GMB's tokenisation: "U.S." and
# "Mr." stay whole, hyphenated words stay whole, the possessive "'s" is a token of its own.
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}(?:-\w+)*"
    r"|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Lt|Col|Sgt|Capt|Maj|Adm|Sen|Rep|Gov|Prof|Rev|Corp|Inc|Co|Ltd|Mt|Cmdr|Brig|Gens)\."
    r"|\b[A-Z]\.(?=\s+[A-Z][a-z])"
    r"|\d+(?:[.,:/]\d+)*(?:-\w+)*"
    r"|\w+(?:-\w+|['’](?![sS]\b)\w+)*"
    r"|['’][sS]\b"
    r"|--+|\.\.\.|\S",
    re.UNICODE,
)


def tokenize(sentence: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the tokens of ``sentence``."""
    return [m.span() for m in _TOKEN.finditer(sentence)]


# ---------------------------------------------------------------------------------------------------------------
# Word lists. Titles and role words are ours; countries, demonyms and well-known organisations are in the gazetteer.
TITLE_WORDS = frozenset(
    """president presidents minister ministers secretary general secretary-general admiral chancellor spokesman
    spokeswoman spokesperson ambassador envoy governor mayor senator representative congressman congresswoman
    chairman chairwoman chair chief commander director leader king queen prince princess pope premier sheikh
    ayatollah cardinal bishop archbishop judge justice colonel lieutenant captain major sergeant officer official
    correspondent analyst ceo executive founder head emir sultan imam rabbi pastor reverend coach manager professor
    lawmaker legislator diplomat negotiator prosecutor attorney counsel adviser advisor aide deputy vice
    president-elect premier-elect candidate nominee economist researcher scientist spokesmen dr. mr. mrs. ms. prof.
    gen. lt. col. sgt. capt. maj. adm. sen. rep. gov. rev. cmdr. brig. gens. marshal commissioner inspector
    superintendent treasurer auditor magistrate chief-of-staff administrator ceo. cfo coo chairperson owner
    publisher editor author activist dissident rebel warlord monarch crown regent viceroy consul consul-general
    undersecretary under-secretary assistant""".split()
)
# The model's "title word" feature uses the list above as it was at training time; roles use a longer one.
_FEATURE_TITLES = TITLE_WORDS
TITLE_WORDS = TITLE_WORDS | frozenset(
    """speaker cleric driver writer resident student actor actress singer artist businessman businesswoman
    journalist photographer lawyer doctor nurse soldier farmer teacher priest monk poet novelist banker investor
    player striker goalkeeper athlete champion veteran expert historian member photojournalist musician dealer
    ally mp emperor empress lord earl duke duchess baron baroness son-in-law daughter-in-law father-in-law
    mother-in-law son daughter wife husband widow widower brother sister father mother nephew niece cousin
    grandson granddaughter girlfriend boyfriend fiance fiancee fiancée""".split()
)
ROLE_MODIFIERS = frozenset(
    """interim acting former deputy vice assistant chief senior top new outgoing incoming then foreign defense defence
    interior finance economy trade justice health education energy environment prime first state national
    federal regional provincial military army navy naval air police security intelligence opposition rebel
    opposition party executive managing general special permanent principal associate junior exiled ousted late
    elected designate supreme high lord armed forces staff affairs home agriculture labor labour culture
    information transport communications oil petroleum treasury commerce industry foreign-affairs""".split()
)
HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "mr", "mrs", "ms", "miss", "sir", "dame", "dr.", "dr"})
STATE_NOUNS = frozenset(
    """government governments authorities administration military forces troops army navy embassy ministry
    officials president prime parliament leadership regime cabinet police state delegation diplomats
    ambassador envoy foreign defense defence warplanes jets soldiers""".split()
)
_LINKERS = frozenset({"of", "for", "the", "and", "on", "de", "des", "du", "la", "le", "del"})


@dataclass(frozen=True)
class Gazetteer:
    """Known names: alias (exact surface) -> (canonical, type); demonym -> country; per-token membership flags."""

    aliases: dict[str, tuple[str, ActorType]]
    demonyms: dict[str, str]
    place_tokens: frozenset[str]
    org_tokens: frozenset[str]
    demonym_tokens: frozenset[str]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Load the gazetteer shipped in ``briefing/data`` (once per process)."""
    aliases: dict[str, tuple[str, ActorType]] = {}
    demonyms: dict[str, str] = {}
    text = resources.files("briefing.data").joinpath(GAZETTEER_NAME).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, name, alias_field, demonym_field = (line.split("\t") + ["", ""])[:4]
        typ: ActorType = "organization" if kind == "organization" else "place"
        for alias in [name, *filter(None, alias_field.split("|"))]:
            aliases.setdefault(alias, (name, typ))
        for dem in filter(None, demonym_field.split("|")):
            demonyms[dem] = name
    place_tokens = {w.lower() for a, (_, t) in aliases.items() if t == "place" for w in a.split()}
    org_tokens = {w.lower() for a, (_, t) in aliases.items() if t == "organization" for w in a.split()}
    return Gazetteer(
        aliases=aliases,
        demonyms=demonyms,
        place_tokens=frozenset(place_tokens - _LINKERS),
        org_tokens=frozenset(org_tokens - _LINKERS),
        demonym_tokens=frozenset(d.lower() for d in demonyms),
    )


def _names_file(name: str) -> list[str]:
    text = resources.files("briefing.data").joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-cased words of place names (``places.txt``: GeoNames cities, US states; a word of a longer name only if
    it is no common word) and first names (``first_names.txt``: US Census), as CRF features."""
    common = common_words()
    places: set[str] = set()
    for name in _names_file(PLACES_NAME):
        words = name.lower().split()
        if len(words) == 1:
            places.add(words[0])
        else:
            places.update(w for w in words if w not in common and w not in _LINKERS)
    return frozenset(places), frozenset(n.lower() for n in _names_file(FIRST_NAMES_NAME))


@lru_cache(maxsize=1)
def pos_lexicon() -> dict[str, str]:
    """Lower-cased word -> its part-of-speech classes ("NOUN|VERB") in UD English-EWT and GUM train
    (``briefing/data/pos_lexicon.tsv``, built by ``tools/train_ner.py --build-lexicon``)."""
    text = resources.files("briefing.data").joinpath(POS_LEXICON_NAME).read_text(encoding="utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))


# ---------------------------------------------------------------------------------------------------------------
# CRF features. tools/train_ner.py imports this function, so training and tagging see the same features.
_SHAPE = str.maketrans(
    {
        **dict.fromkeys(string.ascii_uppercase, "X"),
        **dict.fromkeys(string.ascii_lowercase, "x"),
        **dict.fromkeys(string.digits, "d"),
    }
)


def _shapes(word: str) -> tuple[str, str]:
    """The word's shape ("Zebari" -> "Xxxxxx", "U.S." -> "X.X.") and its short form with runs collapsed ("Xx")."""
    shape = word.translate(_SHAPE)
    return shape, "".join(char for char, _ in groupby(shape))


S = TypeVar("S", str, bytes)
# Features as str (training) or as UTF-8 bytes (tagging: python-crfsuite takes bytes without encoding them again).
_View = tuple[tuple[S, ...], S, bool, tuple[S, ...], tuple[S, ...], tuple[S, ...], tuple[S, ...], bool]


# Capitalised words that do not make the CRF look at their neighbourhood (see ``_windows``): function words that are
# capitalised at the start of a sentence, days and months (not May: Theresa May). A name next to one has a capital
# letter of its own, which brings the window.
_NOT_TRIGGERS = frozenset(
    """the a an he she it we they i you this that these those there here in on at to of by for with from as and but or
    if so when while after before since until because although though our his her its their my your no not yes
    what who which where why how all some many most several each every both other another such one monday tuesday
    wednesday thursday friday saturday sunday january february april june july september october november
    december""".split()
)


def _compute_view(word: str) -> _View[str]:
    """Everything the features of a sentence need from one word (cached by ``_word_view`` and ``_known_view``).

    Returns (own features after the bias "b", short form for word pairs, could start a name, what it gives the words
    2 after / 1 after / 1 before / 2 before it, opens a CRF window). Words that could not start a name (lower case,
    punctuation) get a lean feature set: they are most tokens, and tagging time grows with the number of features.
    """
    low = word.lower()
    shape, short = _shapes(word)
    gaz = gazetteer()
    flags = []
    if low in gaz.place_tokens:
        flags.append("gp")
    if low in gaz.org_tokens:
        flags.append("go")
    if low in gaz.demonym_tokens or (low.endswith("s") and low[:-1] in gaz.demonym_tokens):
        flags.append("gd")
    if low in _FEATURE_TITLES:
        flags.append("gt")
    places, first_names = name_lists()
    if low in places:
        flags.append("gc")
    if low in first_names:
        flags.append("gf")
    first = word[:1]
    rich = first.isupper() or first.isdigit()
    pos = pos_lexicon().get(low, "?")
    own = ["b", "w=" + low, "s3=" + low[-3:], "sh=" + short, "p=" + pos]
    if rich:
        own.extend(("s2=" + low[-2:], "s4=" + low[-4:], "cap" if first.isupper() else "digit"))
        if len(shape) <= 6:
            own.append("shl=" + shape)
        if word.isupper() and len(word) > 1:
            own.append("upper")
        if low in common_words():
            own.append("cw")  # news writes it in lower case more often: "While", "Scroll", "According"
    if "-" in word:
        own.append("hyph")
        own.append("hs=" + low.rsplit("-", 1)[1][:6])
    low = low[:20]
    before: tuple[str, ...]
    after: tuple[str, ...]
    if flags:
        g = ",".join(flags)
        own.extend(["g=" + f for f in flags])
        before = ("-1w=" + low, "-1sh=" + short, "-1p=" + pos, "-1g=" + g)
        after = ("1w=" + low, "1sh=" + short, "1p=" + pos, "1g=" + g)
    else:
        before, after = ("-1w=" + low, "-1sh=" + short, "-1p=" + pos), ("1w=" + low, "1sh=" + short, "1p=" + pos)
    trigger = first.isdigit() or (word != word.lower() and (word[1:].isupper() or word.lower() not in _NOT_TRIGGERS))
    return tuple(own), low, rich, ("-2w=" + low,), before, after, ("2w=" + low,), trigger


_word_view = lru_cache(maxsize=65536)(_compute_view)


_MARKS = ("BOS", "EOS", "|", "-1w|w=", "w|+1w=")
_BYTE_MARKS = (b"BOS", b"EOS", b"|", b"-1w|w=", b"w|+1w=")


def _assemble(
    views: Sequence[_View[S]],
    lo: int,
    hi: int,
    left_pairs: frozenset[S] | None,
    right_pairs: frozenset[S] | None,
) -> list[list[S]]:
    """Features of the words lo..hi-1 of a sentence from its words' views (all str, or all bytes).

    Pair features ("-1w|w=a|b", "w|+1w=a|b") are kept only when their pair is in ``left_pairs``/``right_pairs``
    (None keeps all): most word pairs are unknown to the model and would only cost tagging time.
    """
    n = len(views)
    bos, eos, bar, left, right = cast(tuple[S, S, S, S, S], _MARKS if isinstance(views[lo][1], str) else _BYTE_MARKS)
    out: list[list[S]] = []
    for i in range(lo, hi):
        own, low, rich = views[i][:3]
        feats = list(own)
        if i == 0:
            feats.append(bos)
        else:
            prev = views[i - 1]
            if rich and i > 1:
                feats += views[i - 2][3]
            feats += prev[4]
            pair = prev[1] + bar + low
            if left_pairs is None or pair in left_pairs:
                feats.append(left + pair)
        if i + 1 < n:
            nxt = views[i + 1]
            feats += nxt[5]
            if rich and i + 2 < n:
                feats += views[i + 2][6]
            pair = low + bar + nxt[1]
            if right_pairs is None or pair in right_pairs:
                feats.append(right + pair)
        else:
            feats.append(eos)
        out.append(feats)
    return out


def sentence_features(words: Sequence[str]) -> list[list[str]]:
    """CRF features for each word of one sentence: the word, its shape, affixes, gazetteer flags, and its neighbours.

    Built from per-word tuples cached across calls, because this is the hot loop of tagging. Words two places away
    are features of capitalised words only.
    """
    return _assemble([_word_view(w) for w in words], 0, len(words), None, None)


# ---------------------------------------------------------------------------------------------------------------
# The model, loaded lazily once per process.


@dataclass(frozen=True)
class _Model:
    """The CRF tagger and the attribute names it knows (features it has no weight for need not be passed)."""

    tagger: object  # pycrfsuite.Tagger
    attributes: frozenset[str]
    left_pairs: frozenset[bytes]  # word pairs of the model's pair features, as UTF-8
    right_pairs: frozenset[bytes]
    relabel: dict[str, str] | None = None  # model label -> BIO label of an actor class, when the model has others


def _bio_label(label: str) -> str:
    """BIO label of an actor class for a model label: BILOU "U-per" -> "B-per", "L-org" -> "I-org"; "B-tim" -> "O"."""
    if label[2:] not in LABEL_TYPES:
        return "O"
    return {"U": "B", "L": "I"}.get(label[0], label[0]) + label[1:]


_model: _Model | None = None
_tagger_lock = threading.Lock()
_tag_lock = threading.Lock()  # a crfsuite Tagger holds per-call state: one sentence at a time


def _model_attributes(data: bytes) -> frozenset[str]:
    """The attribute names of a crfsuite model file (its attribute CQDB), read with struct.

    Layout (crfsuite crf1d_model.c, cqdb.c; little-endian): the header's tenth 32-bit word is the offset of the
    attribute CQDB; in it, the fifth and sixth words are the number of ids and the offset of the id -> record table;
    a record is (id, key size with the NUL, key).
    """
    if data[:4] != b"lCRF" or len(data) < 48:
        raise ValueError("not a crfsuite model")
    (base,) = struct.unpack_from("<I", data, 36)
    if data[base : base + 4] != b"CQDB":
        raise ValueError("no attribute dictionary in the crfsuite model")
    size, offset = struct.unpack_from("<II", data, base + 16)
    records = [base + o for o in struct.unpack_from(f"<{size}I", data, base + offset) if o]
    fb = int.from_bytes
    return frozenset(data[r + 8 : r + 7 + fb(data[r + 4 : r + 8], "little")].decode("utf-8") for r in records)


def _open_model(path: str) -> _Model:
    """Open a crfsuite model file (also used by tools/train_ner.py to score a model it has just trained)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    with open(path, "rb") as fh:
        attributes = _model_attributes(fh.read())
    relabel = {label: _bio_label(label) for label in tagger.labels()}
    return _Model(
        tagger=tagger,
        attributes=attributes,
        left_pairs=frozenset(a[6:].encode() for a in attributes if a.startswith("-1w|w=")),
        right_pairs=frozenset(a[6:].encode() for a in attributes if a.startswith("w|+1w=")),
        relabel=relabel if any(k != v for k, v in relabel.items()) else None,
    )


def _load_model() -> _Model:
    """The shipped CRF model, opened on first use and kept for the life of the process."""
    global _model
    if _model is None:
        with _tagger_lock:
            if _model is None:
                model = resources.files("briefing.data").joinpath(MODEL_NAME)
                try:
                    with resources.as_file(model) as path:
                        opened = _open_model(str(path))
                except (OSError, ValueError) as exc:
                    raise BriefingError(
                        f"The named-entity model {MODEL_NAME} could not be loaded ({exc}); reinstall briefing "
                        "or rebuild it with: python tools/train_ner.py"
                    ) from exc
                _model = opened
                logger.debug("loaded NER model %s (%d attributes)", model, len(opened.attributes))
    return _model


def use_model(path: str) -> None:
    """Tag with the crfsuite model at ``path`` instead of the shipped one (for tools/train_ner.py --dev)."""
    global _model
    with _tagger_lock:
        _model = _open_model(path)
        _known_view.cache_clear()


def _load_tagger():  # -> pycrfsuite.Tagger
    """The shipped CRF tagger (see ``_load_model``)."""
    return _load_model().tagger


@lru_cache(maxsize=65536)
def _known_view(word: str) -> _View[bytes]:
    """``_word_view`` without the features the model has no weight for (they cannot change its labels), as bytes."""
    known = _load_model().attributes
    own, low, rich, m2, m1, p1, p2, trigger = _compute_view(word)
    keep = [tuple([f.encode() for f in fs if f in known]) for fs in (own, m2, m1, p1, p2)]
    return keep[0], low.encode(), rich, keep[1], keep[2], keep[3], keep[4], trigger


BEFORE, AFTER = 1, 2  # tokens before and after a word with a capital letter or a digit that the CRF looks at


def _windows(capitals: Sequence[int]) -> list[tuple[int, int]]:
    """Stretches of the sentence from BEFORE tokens before to AFTER tokens after the given positions (words that
    open a window: with a capital letter or a digit).

    A name has at least one such word (even "al-Qaida"), so the far stretches of lower-case words are "O" and need
    not go through the CRF: that halves the tagging time of a typical news sentence. Ends may pass the sentence end.
    One token before is enough, two after are not (on 15,000 GMB training sentences, a window of 1 before and 2
    after changed the names found in 35, with 1 true positive fewer; 2 before and 1 after in 621, with 349 fewer).
    """
    out: list[tuple[int, int]] = []
    lo = hi = -1
    for i in capitals:
        if hi >= 0 and i - BEFORE <= hi:
            hi = i + AFTER + 1
        else:
            if hi >= 0:
                out.append((lo, hi))
            lo, hi = (i - BEFORE if i > BEFORE else 0), i + AFTER + 1
    if hi >= 0:
        out.append((lo, hi))
    return out


def tag_sentences(sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """BIO labels (GMB classes per/org/geo/gpe, or O) for the words of each sentence.

    The stretches the CRF sees (``_windows``) get their features from their whole sentence (two words of context
    either side) and go to the CRF one after the other, in calls of at most MAX_SEQUENCE tokens: a call costs as
    much as several tokens, and a stretch starts and ends with words that are "O" all but always, so what the CRF
    makes of one after the other hardly matters. Except at the start of a sentence, where a name may come first: a
    stretch there opens a call of its own, as the model was trained. (Of 15,000 GMB training sentences tagged 20 at a
    time, 10 got other names than tagged one at a time.) A stretch longer than MAX_SEQUENCE (a megabyte without a
    full stop) is cut, so that tagging stays linear.
    """
    model = _load_model()
    out = [["O"] * len(words) for words in sentences]
    views = [[_known_view(w) for w in words] for words in sentences]
    calls: list[list[tuple[int, int, int]]] = []  # (sentence, first token, end token) of each stretch, per call
    size = MAX_SEQUENCE
    for k, sentence_views in enumerate(views):
        n = len(sentence_views)
        for lo, hi in _windows([i for i, v in enumerate(sentence_views) if v[7]]):
            for start in range(lo, min(hi, n), MAX_SEQUENCE):
                end = min(hi, n, start + MAX_SEQUENCE)
                if start == 0 or size + end - start > MAX_SEQUENCE:
                    calls.append([])
                    size = 0
                calls[-1].append((k, start, end))
                size += end - start
    for call in calls:
        rows: list[list[bytes]] = []
        for k, start, end in call:
            rows += _assemble(views[k], start, end, model.left_pairs, model.right_pairs)
        with _tag_lock:
            tagged = model.tagger.tag(rows)  # type: ignore[attr-defined]
        done = 0
        for k, start, end in call:
            out[k][start:end] = tagged[done : done + end - start]
            done += end - start
    if model.relabel is not None:
        relabel = model.relabel
        return [[relabel[lab] for lab in labels] if any(lab != "O" for lab in labels) else labels for labels in out]
    return out


def tag_words(words: Sequence[str]) -> list[str]:
    """BIO labels (GMB classes per/org/geo/gpe, or O) for one sentence's words (see ``tag_sentences``)."""
    return tag_sentences([words])[0]


# ---------------------------------------------------------------------------------------------------------------
# Mentions: the model's spans, tidied, with roles for people.


@dataclass(frozen=True)
class Mention:
    """One mention of an actor in the article text."""

    start: int  # character offsets in the article text
    end: int
    type: ActorType
    surface: str  # verbatim text[start:end]
    key: str  # what it refers to: a gazetteer name, or the surface itself
    role: str | None = None
    demonym: bool = False  # "French troops": counts for France, but is not a name of it


# The possessive token ("'s", "’S"); a set rather than a regex: tokens never hold a newline, so the two agree.
_POSSESSIVES = frozenset({"'s", "'S", "’s", "’S"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "that", "this"})
_ROLE_END = frozenset({",", ".", ";", ":", ")", "said", "says", "told", "added", "stated", "noted", "--", "–", "—"})
_ROLE_JOINERS = frozenset({"of", "for", "and", "on", "in", "at", "to", "-", "'s", "’s"})
_ROLE_ADJECTIVE = re.compile(r"^[a-z]+(?:al|ic|ical|ary|ive|ian|ist)$")
_PAST_VERB = re.compile(r"^[a-z]{3,}ed$")  # "apologized", "announced": the sentence's verb, not a role's word
_CLAUSE_WORDS = frozenset({"who", "which", "that", "whose", "whom", "is", "was", "has", "had", "will", "would"})
_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december today yesterday""".split()
)
# Words the model sometimes tags that name no actor: peoples, religions, directions, generic bodies.
NOT_ACTORS = frozenset(
    """Arab Arabs Shia Shiite Shiites Sunni Sunnis Kurd Kurds Kurdish Jew Jews Jewish Muslim Muslims Christian
    Christians Islamic Islamist Islamists Western Eastern Northern Southern North South East West Korean Internet
    Parliament State Government Cabinet Senate Ministry Army Police Court Council Alliance Web God Mondays Tuesdays
    Wednesdays Thursdays Fridays Saturdays Sundays""".split()
)
# Words that end an organisation's name: a span "General Assembly" or "General Motors" is no person.
ORG_HEADS = frozenset(
    """assembly council motors electric bank court committee agency party union army ministry department office
    company corporation corp. group association commission organization organisation institute center centre
    university school hospital foundation fund forces force news times post network service services staff
    command board authority league front movement alliance coalition airlines airways""".split()
)
# Words that end a place's name: "Tahrir Square" or "Gaza Strip" is no person or organisation.
PLACE_HEADS = frozenset(
    """square street avenue road river mountains island islands valley province region district airport gulf sea
    ocean strait desert peninsula canal county strip heights coast""".split()
)
_RANKS = frozenset(
    """general colonel lieutenant captain major sergeant admiral commander dr. dr gen. col. lt. capt. maj. sgt. adm.
    cmdr. brig. mr. mr ms. ms mrs. mrs""".split()
)
_OPENERS = frozenset({"(", "[", "{"})
_PUNCT = frozenset({"-", ",", ".", ";", ":", "(", "[", "“", '"', "'"})
_CLOSERS = frozenset({")", "]", "}", "”", "!", "?"})
_TRAILING = _PUNCT | _CLOSERS | _POSSESSIVES  # what a name does not end with
_NAME_PARTICLES = frozenset(
    """of for and the de des du la le del da dos van von der den al bin ibn bint el y""".split()
)


def _sentence_starts(text: str, sentences: Sequence[str]) -> list[int]:
    """Offset of each sentence in ``text`` (sentences are verbatim substrings, in order)."""
    starts, pos = [], 0
    for sent in sentences:
        found = text.find(sent, pos)
        if found < 0:
            found = text.find(sent)
        if found < 0:
            found = pos
        starts.append(found)
        pos = found + len(sent) if found >= pos else pos
    return starts


# r"\b[A-Z]{2,}\b" written to start with a character class, which the regex engine scans for twice as fast.
_CAPS_WORD = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]+\b")


def _mostly_capitals(sentence: str, words: Sequence[str]) -> bool:
    """True for a shouting sentence (headline in capitals): the model, trained on mixed case, only guesses there."""
    if len(_CAPS_WORD.findall(sentence)) < 4:
        return False
    alpha = [w for w in words if w.isalpha() and len(w) > 1]
    return len(alpha) >= 4 and sum(w.isupper() for w in alpha) > 0.7 * len(alpha)


_NOT_O = "O".__ne__


def _entity_runs(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, end token, GMB class) of each labelled run (looks only at the labelled tokens: most are O)."""
    runs: list[tuple[int, int, str]] = []
    start, kind, last = -1, "", -1
    for i in compress(range(len(labels)), map(_NOT_O, labels)):
        lab = labels[i]
        cls = lab[2:]
        if start >= 0 and (i != last + 1 or lab[0] == "B" or cls != kind):
            runs.append((start, last + 1, kind))
            start = -1
        if start < 0:
            start, kind = i, cls
        last = i
    if start >= 0:
        runs.append((start, last + 1, kind))
    return runs


@lru_cache(maxsize=16384)
def _is_title(word: str) -> bool:
    """A title or job word ("minister", "Secretary-General", "Maj."); cached: the role rules ask about the same
    words again and again."""
    low = word.lower()
    return low in TITLE_WORDS or ("-" in low and any(p in TITLE_WORDS for p in low.split("-")))


@lru_cache(maxsize=16384)
def _is_role_word(word: str) -> bool:
    """A title or a word that qualifies one ("interim", "Foreign")."""
    low = word.lower()
    return _is_title(word) or low in ROLE_MODIFIERS


_CLAUSE_OPENERS = _DETERMINERS | {",", ";", ":"}
_NOT_IN_ROLE = _TIME_WORDS | _DETERMINERS  # capitalised words that never open a role ("The", "Monday")
_ROLE_LINKS = frozenset({"of", "for", "and", "to"})  # "Minister of", "cleric and ... leader", "Ambassador to"


def _role_before(words: Sequence[str], labels: Sequence[str], name_start: int) -> tuple[int, int] | None:
    """Token range of the role written before a name ("Iraq's interim Foreign Minister"), if there is one.

    Also "Afghanistan's president, Hamid Karzai" when the comma follows a role that opens the clause.
    """
    if name_start > 1 and words[name_start - 1] == ",":
        found = _role_before(words, labels, name_start - 1)
        if found and (found[0] == 0 or words[found[0] - 1].lower() in _CLAUSE_OPENERS):
            return found
        return None
    gaz = gazetteer()
    j = name_start - 1
    first = name_start
    while j >= 0:
        word = words[j]
        low = word.lower()
        in_entity = labels[j] != "O" and not labels[j].endswith("per")
        if _is_role_word(word) or word in gaz.demonyms or low in HONORIFICS:
            first = j
        elif (in_entity or word[:1].isupper()) and first == j + 1 and low not in _NOT_IN_ROLE:
            first = j  # "NATO" Secretary General, "Shiite" cleric
        elif word in _POSSESSIVES and j > 0 and (words[j - 1][:1].isupper() or _is_title(words[j - 1])):
            if first != j + 1:
                break
            first = j  # "Iraq's interim Foreign Minister", "the president's son-in-law"
        elif low in _ROLE_LINKS and j > 0 and first == j + 1 and _is_title(words[j - 1]):
            first = j  # "Minister of Defence", "cleric and Mahdi Army leader"; not "forces of Libyan leader"
        elif low == "the" and j > 1 and first == j + 1 and words[j - 1] in _ROLE_LINKS and _is_role_word(words[j - 2]):
            first = j  # "Speaker of the Georgian Parliament", "Ambassador to the United States"
        elif _ROLE_ADJECTIVE.match(word) and first == j + 1 and first < name_start:
            first = j  # "political analyst"
        elif word == "-" and first == j + 1:
            first = j
        else:
            break
        j -= 1
    while first < name_start and (words[first].lower() in _ROLE_JOINERS or words[first] in _POSSESSIVES):
        first += 1
    last = name_start
    while last > first and words[last - 1].lower() in HONORIFICS:
        last -= 1
    while first < last and words[first].lower() in HONORIFICS:
        first += 1
    if last <= first or not any(_is_title(words[k]) for k in range(first, last)):
        return None
    return first, last


def _name_after_role(words: Sequence[str], first: int, end: int) -> int:
    """Where a person's name starts in a run that opens with the end of a role before it: "Minister for [Defence
    Ignazio La Russa]", "Ambassador to the [United States Hamdullah Mohib]"; ``first`` if the run is no such thing."""
    j = first - 2 if first > 1 and words[first - 1] == "the" else first - 1
    if j < 1 or words[j].lower() not in _ROLE_LINKS or not _is_title(words[j - 1]):
        return first
    k = first
    while k < end and words[k].lower() in ROLE_MODIFIERS:
        k += 1
    if k == first:
        aliases = gazetteer().aliases
        k = max((m for m in range(first + 1, end) if " ".join(words[first:m]) in aliases), default=first)
    if k == first or end - k < 2:
        return first
    common = common_words()  # a name holds no common word ("Director of the National Iodine Nutrition study")
    if any(w in common or w in ORG_HEADS or w in PLACE_HEADS for w in map(str.lower, words[k:end])):
        return first
    return k


def _role_after(words: Sequence[str], name_end: int) -> tuple[int, int] | None:
    """Token range of an apposition after a name ("Smith, the prime minister, said"), or of a role in brackets
    after it ("Theresa May (Prime Minister)"), if there is one."""
    if name_end < len(words) and words[name_end] == "(":
        close = next((k for k in range(name_end + 1, min(len(words), name_end + 10)) if words[k] == ")"), -1)
        inside = range(name_end + 1, close)
        if close > name_end + 1 and any(_is_title(words[k]) for k in inside):
            if not any(words[k][:1].isdigit() or words[k] in _PUNCT for k in inside):
                return name_end + 1, close
        return None
    if name_end >= len(words) or words[name_end] != ",":
        return None
    k = name_end + 1
    if k < len(words) and words[k].lower() in _DETERMINERS:
        k += 1
    first = k
    titled = False
    while k < len(words) and words[k].lower() not in _ROLE_END and k - first < 16:
        if words[k].lower() in _CLAUSE_WORDS:
            return None
        if titled and _PAST_VERB.match(words[k]) and not _is_role_word(words[k]):
            break  # "Jones, a U.S. security adviser for the military in Afghanistan apologized for ...": the verb
        titled = titled or _is_title(words[k])
        k += 1
    if k == first or (k < len(words) and words[k].lower() not in _ROLE_END and not _PAST_VERB.match(words[k])):
        return None
    head = words[first]
    if not (_is_role_word(head) or head[:1].isupper() or _ROLE_ADJECTIVE.match(head)):
        return None
    if not any(_is_title(words[i]) for i in range(first, k)):
        return None
    return first, k


@lru_cache(maxsize=16384)
def _never_opens_a_name(word: str) -> bool:
    """A capitalised word that never starts a name: a function word put first ("While Kim", "After Trump"), a web
    page's prompt ("Scroll", "Click"), a month or weekday ("Feb", "Monday")."""
    low = word.lower().rstrip(".")
    return low in _NOT_TRIGGERS or low in _PROMPTS or low in _MONTHS_AND_DAYS or _function_word(low)


@lru_cache(maxsize=16384)
def _function_word(low: str) -> bool:
    """Only a closed-class word (preposition, conjunction, pronoun, determiner, auxiliary, particle, adverb) in the
    part-of-speech lexicon: "while" is NOUN|SCONJ and does not count, "although" does."""
    classes = pos_lexicon().get(low)
    return classes is not None and set(classes.split("|")) <= _CLOSED_CLASSES


@lru_cache(maxsize=16384)
def _never_ends_a_name(word: str) -> bool:
    """A capitalised verb or attribution that never ends a name: "Angelo Gordon & Co [According]", "Laura
    Janner-Klausner [Signed]"; verbs only in the lexicon, or a finite verb form of news."""
    low = word.lower()
    if low in _ATTRIBUTIONS or word in _POSTNOMINALS:
        return True
    classes = pos_lexicon().get(low)
    return classes is not None and set(classes.split("|")) <= {"VERB", "AUX"} and low in finite_verbs()


def _tidy_span(words: Sequence[str], first: int, end: int) -> tuple[int, int]:
    """Trim a labelled run to the name: no leading lower-case, "The", function word, prompt, month or weekday;
    no trailing verb or attribution ("said", "According"); nothing up to a stray lower-case word."""
    while first < end and (
        not (words[first][:1].isupper() or words[first][:1].isdigit()) or _never_opens_a_name(words[first])
    ):
        first += 1
    while end > first and (words[end - 1][:1].islower() or _never_ends_a_name(words[end - 1])):
        low = words[end - 1].lower()
        if words[end - 1][:1].islower() and (low in _NAME_PARTICLES or low.startswith(("al-", "el-", "bin-"))):
            break
        end -= 1
    for k in range(end - 1, first, -1):  # "European airframer Airbus" -> "Airbus"
        low = words[k].lower()
        if words[k][:1].islower() and low not in _NAME_PARTICLES and not low.startswith(("al-", "el-", "bin-")):
            first = k + 1
            break
    if end - first > 1 and words[first] in ("The", "A", "An"):
        first += 1
    for k in range(first + 1, end):  # "People's Army [KPA"
        if words[k] in _OPENERS:
            end = k
            break
    while end > first and words[end - 1] in _TRAILING:
        end -= 1
    return first, end


_PROMPTS = frozenset(
    """scroll click tap swipe read watch listen share follow subscribe sign advertisement advertising sponsored photo
    photos video videos image images gallery caption credit related recommended trending breaking exclusive
    opinion analysis update updated editor's note""".split()
)
_MONTHS_AND_DAYS = frozenset(
    """january february march april june july august september october november december jan feb mar apr jun jul aug
    sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday tues thurs weds""".split()
)
_POSTNOMINALS = frozenset({"QC", "KC", "MP", "MEP", "MSP", "OBE", "MBE", "CBE", "KBE", "DBE", "PhD", "Esq", "Esq."})
_CLOSED_CLASSES = frozenset({"ADP", "SCONJ", "CCONJ", "PRON", "DET", "AUX", "PART", "ADV", "INTJ"})
_ATTRIBUTIONS = frozenset(
    """according said says told added stated noted wrote reported announced asked explained claimed confirmed
    insisted warned argued tweeted signed""".split()
)
# A name ending in one of these is a building or site: a place, never a person, and no role ("Trump Tower").
FACILITY_HEADS = frozenset(
    """tower towers building skyscraper stadium arena hotel palace airport station bridge prison jail penitentiary
    museum mosque church cathedral basilica synagogue temple shrine market bazaar mall plaza""".split()
)
# Outlets that open a lead as a wire tag, "(CNN) --": never an actor there.
_WIRES = frozenset({"CNN", "AP", "AFP", "Reuters", "UPI", "dpa", "Xinhua", "Bloomberg", "PA"})


@lru_cache(maxsize=1)
def finite_verbs() -> frozenset[str]:
    """Finite verb forms of UD English-EWT (``briefing/data/finite_verbs.txt``)."""
    text = resources.files("briefing.data").joinpath("finite_verbs.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _known_place(surface: str) -> bool:
    """A place of the gazetteer named in more than one word ("Old Bailey", "South Korea"): never a person."""
    known = gazetteer().aliases.get(surface)
    return known is not None and known[1] == "place" and " " in surface


def _is_facility(surface: str) -> bool:
    """ "Trump Tower", "the Old Bailey", "Changi Airport": a named building or site."""
    words = surface.split()
    return len(words) > 1 and words[-1].lower() in FACILITY_HEADS


def _split_runs(words: Sequence[str], runs: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join and split the model's runs where names are written so.

    "Russian Foreign Ministry" (gpe + org) and "Supreme Islamic Iraqi Council" (org + gpe + org) are one
    organisation; "United Kingdom's Royal Air Force" is a place and an organisation when the first part is known.
    """
    gaz = gazetteer()
    joined: list[tuple[int, int, str]] = []
    for first, end, cls in runs:
        if joined and joined[-1][1] == first and {joined[-1][2], cls} == {"gpe", "org"} and words[first - 1] != "'s":
            joined[-1] = (joined[-1][0], end, "org")
        elif joined and joined[-1][1] == first and joined[-1][2] == "org" == cls:
            joined[-1] = (joined[-1][0], end, "org")
        else:
            joined.append((first, end, cls))
    if _POSSESSIVES.isdisjoint(words):
        return joined
    out = []
    for first, end, cls in joined:
        for k in range(first + 1, end - 1):
            if words[k] in _POSSESSIVES and " ".join(words[first:k]) in gaz.aliases:
                out.append((first, k, "geo" if gaz.aliases[" ".join(words[first:k])][1] == "place" else "org"))
                first = k + 1
                break
        out.append((first, end, cls))
    return out


def _sentence_mentions(
    sentence: str, offset: int, spans: Sequence[tuple[int, int]], words: Sequence[str], labels: Sequence[str]
) -> list[Mention]:
    """Mentions in one sentence from its tokens and their labels; ``offset`` is where it starts in the article."""
    gaz = gazetteer()
    out: list[Mention] = []
    covered = [False] * len(words)
    for first, end, cls in _split_runs(words, _entity_runs(labels)):
        typ = LABEL_TYPES[cls]
        first, end = _tidy_span(words, first, end)
        if first >= end:
            continue
        # GMB puts titles inside names ("President Bush", "Secretary-General Kofi Annan"); a run that starts with a
        # title and holds no organisation word is a person whatever the model says.
        if typ != "person" and _is_title(words[first]) and end - first >= 3:
            rest = words[first:end]
            if " ".join(rest) not in gaz.aliases and not any(w.lower() in ORG_HEADS for w in rest):
                typ = "person"
        if (name := _name_after_role(words, first, end)) > first:
            first, typ = name, "person"
        if typ != "place" and end - first > 1 and words[end - 1].lower() in PLACE_HEADS | FACILITY_HEADS:
            if ORG_HEADS.isdisjoint(w.lower() for w in words[first:end]):  # not "Irving Independent School District"
                typ = "place"  # "Tahrir Square"; "Trump Tower", "Old Bailey" (facilities are places)
        if typ == "person":
            while first < end and (_is_role_word(words[first]) or words[first].lower() in HONORIFICS):
                first += 1
            # "[Alabama Governor] Bob Riley", "[NASA Administrator] Charles Bolden": a title inside the run ends the
            # role before the name
            inner = max((k for k in range(first, end - 1) if _is_title(words[k])), default=-1)
            if inner >= 0 and words[inner][:1].isupper():
                first = inner + 1
        elif typ == "place" and end - first > 1 and words[end - 1].lower() in ORG_HEADS:
            typ = "organization"  # "United States Air Force"
        if first >= end:
            continue
        start_char, end_char = spans[first][0], spans[end - 1][1]
        surface = sentence[start_char:end_char]
        if end - first == 1 and "-" in surface:  # "US-led" -> "US"
            head, _, tail = surface.partition("-")
            if tail[:1].islower() and head:
                surface, end_char = head, start_char + len(head)
        if (
            len(surface) < 2
            or not (surface[0].isalpha() or any(ch.isalpha() for ch in surface))
            or surface in NOT_ACTORS
            or (end - first == 1 and surface.lower().rstrip(".") in _MONTHS_AND_DAYS)
            or (end - first == 1 and _is_role_word(surface))
            or surface.startswith("Operation ")
            or (first > 0 and words[first - 1] == "Operation")  # "Operation Moshtarak": an operation, no actor
        ):
            continue
        demonym = False
        if surface in gaz.demonyms or surface.rstrip("s") in gaz.demonyms:
            # A demonym names the country only where it plainly stands for the state: "French troops".
            following = words[end].lower() if end < len(words) else ""
            if surface not in gaz.demonyms or following not in STATE_NOUNS:
                continue
            key, typ, demonym = gaz.demonyms[surface], "place", True
        elif surface in gaz.aliases and (typ != "person" or _known_place(surface)):
            key, typ = gaz.aliases[surface]
        else:
            key = surface
        role = None
        if typ == "person":
            before, after = _role_before(words, labels, first), _role_after(words, end)
            # "General James L. Jones, a U.S. security adviser for the military in Afghanistan": the apposition says more
            bare_rank = before is not None and before[1] - before[0] == 1 and words[before[0]].lower() in _RANKS
            found = after if after and (before is None or bare_rank) else before
            if found:
                role = sentence[spans[found[0]][0] : spans[found[1] - 1][1]]
        covered[first:end] = [True] * (end - first)
        out.append(Mention(offset + start_char, offset + end_char, typ, surface, key, role, demonym))
    # "French troops": a demonym before a state noun counts for its country, whatever the model says of it.
    for k, word in enumerate(words[:-1]):
        if not covered[k] and word in gaz.demonyms and words[k + 1].lower() in STATE_NOUNS:
            start_char = spans[k][0]
            covered[k] = True
            out.append(Mention(offset + start_char, offset + spans[k][1], "place", word, gaz.demonyms[word], None, True))
    # "US-led", "NATO-backed": the head names a known actor even where the model (like GMB) leaves it out.
    hyphenated = [k for k, word in enumerate(words) if "-" in word and not covered[k]] if "-" in sentence else ()
    for k in hyphenated:
        head, _, tail = words[k].partition("-")
        if head in gaz.aliases and tail[:1].islower():
            canon, typ = gaz.aliases[head]
            start_char = spans[k][0]
            out.append(Mention(offset + start_char, offset + start_char + len(head), typ, head, canon))
    return out


def _mention(text: str, start: int, end: int, typ: ActorType, role: str | None = None) -> Mention:
    """A mention of text[start:end] as ``typ``, keyed by its gazetteer name where it has one."""
    surface = text[start:end]
    gaz = gazetteer()
    if (typ != "person" or _known_place(surface)) and surface in gaz.aliases:
        key, typ = gaz.aliases[surface]
    else:
        key = surface
    return Mention(start, end, typ, surface, key, role)


def _majority(values: Sequence[str]) -> str:
    """The most frequent value, the first seen among equals (as ``Counter.most_common(1)``), without a Counter
    for the usual case of one value, however often."""
    if values.count(values[0]) == len(values):
        return values[0]
    counts = Counter(values)
    return max(counts, key=counts.__getitem__)


_START = attrgetter("start")


_OPENING = re.compile(r"(?:(?:^|[.!?:;]['\"”’)]*\s+|\n\s*)|['\"“‘(])$")  # what may come before an opening word


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Words that news writes in lower case more often than capitalised (``briefing/data/common_words.txt``, built
    from GMB by ``tools/build_common_words.py``)."""
    text = resources.files("briefing.data").joinpath(COMMON_WORDS_NAME).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _common_words(text: str, mentions: Sequence[Mention]) -> set[str]:
    """One-word names that are only common words put first: "Combat is reported to have spread", "Down, down with
    Mubarak". Every capitalised occurrence opens a sentence or a quote, and the word is a common one: news writes it
    in lower case more often than not, or this article does too."""
    out: set[str] = set()
    for surface in {m.surface for m in mentions if not m.demonym and m.surface.isalpha() and m.surface.istitle()}:
        low = surface.lower()
        if surface in gazetteer().aliases or not (low in common_words() or _word_starts(text, low)):
            continue
        if all(_OPENING.search(text[max(0, i - 8) : i]) for i in _word_starts(text, surface)):
            out.add(surface)
    return out


def _word_starts(text: str, word: str) -> list[int]:
    """Where ``word`` stands in ``text`` as a whole word (str.find: a regex per word would be compiled per call)."""
    out = []
    end = len(text)
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        if (i == 0 or not text[i - 1].isalnum()) and (j == end or not text[j].isalnum()):
            out.append(i)
        i = text.find(word, j)
    return out


def _ends_in_title(m: Mention) -> bool:
    """ "Alabama Governor [Bob Riley]", "EADS's North America CEO": a person's or place's name never ends in a title;
    nor does an organisation's that is a known name and a title ("U.S. Ambassador [Ryan Crocker]")."""
    if " " not in m.surface:
        return False
    head, last = m.surface.rsplit(" ", 1)
    return _is_title(last) and (m.type != "organization" or head in gazetteer().aliases)


_ORG_NOUN = re.compile(
    r"\s+(?:daily|newspaper|paper|weekly|magazine|broadcaster|channel|radio|television|website|agency|company|firm"
    r"|movement|militia|CEO|CFO|COO|chairman|chairwoman|shareholders|employees|subsidiary)\b"
)


def _named_as_organization(text: str, surface: str) -> bool:
    """ "Haaretz daily newspaper", "Northrop Grumman CEO Ron Sugar": the article writes the name as a paper's, a
    broadcaster's or a firm's."""
    return any(_ORG_NOUN.match(text, i + len(surface)) for i in _word_starts(text, surface))


def _one_sense(text: str, mentions: list[Mention]) -> list[Mention]:
    """Make an article consistent: one type per name, people's surnames are people, names found once are found
    everywhere, "Abbas and Olmert" is two people, and a common word that opens a sentence is no name."""
    common = _common_words(text, mentions)
    mentions = [m for m in mentions if m.surface not in common and not _ends_in_title(m)]
    names = [m for m in mentions if not m.demonym]
    people = {m.surface for m in names if m.type == "person" and " " in m.surface}
    surnames = {p.split()[-1] for p in people if len(p.split()[-1]) > 2}
    surnames |= {s.split("-", 1)[1] for s in surnames if s.startswith(("al-", "el-"))}  # al-Sadr -> Sadr
    votes: dict[str, list[str]] = defaultdict(list)
    for m in names:
        votes[m.surface].append(m.type)
    types: dict[str, ActorType] = {}
    aliases = gazetteer().aliases
    for surface, typs in votes.items():
        typ = _majority(typs)
        if (typ == "person" or surface in people) and _named_as_organization(text, surface):
            typ = "organization"
        elif surface in people or (surface in surnames and surface not in aliases):
            typ = "person"
        types[surface] = typ  # type: ignore[assignment]
    out: list[Mention] = []
    for m in mentions:
        if m.demonym:
            out.append(m)
            continue
        parts = m.surface.split(" and ") if " and " in m.surface else ()
        if len(parts) == 2 and all(p in types or p in surnames or p in gazetteer().aliases for p in parts):
            left_end = m.start + len(parts[0])
            right_start = m.end - len(parts[1])
            for s, e, p in ((m.start, left_end, parts[0]), (right_start, m.end, parts[1])):
                out.append(_mention(text, s, e, types.get(p, "person" if p in surnames else m.type)))
            continue
        typ = types.get(m.surface, m.type)
        out.append(
            m
            if typ == m.type
            else replace(_mention(text, m.start, m.end, typ), role=m.role if typ == "person" else None)
        )
    # Find the other occurrences of each name (and surname) the model tagged somewhere in the article.
    known = {s: t for s, t in types.items() if len(s) > 2 and s[:1].isupper() and s not in NOT_ACTORS}
    known.update({s: "person" for s in surnames if s not in known})
    for word in [s for s in known if s.lower() in _TIME_WORDS]:  # Theresa May, but not "in May"
        del known[word]
    if known:
        n_text = len(text)
        taken = bytearray(n_text)
        for m in out:
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        for surface in sorted(known, key=len, reverse=True):
            s = text.find(surface)
            while s >= 0:
                e = s + len(surface)
                if (  # no other mention there (most often the name itself), and a whole word: no letter, digit, "_" or
                    # "-" on either side
                    not taken[s]
                    and taken.find(1, s, e) < 0
                    and (s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_-"))
                    and (e == n_text or not (text[e].isalnum() or text[e] in "_-"))
                ):
                    taken[s:e] = b"\x01" * (e - s)
                    out.append(_mention(text, s, e, known[surface]))  # type: ignore[arg-type]
                s = text.find(surface, e)
    out.sort(key=_START)
    return out


def find_mentions(text: str, sentences: Sequence[str]) -> list[Mention]:
    """Every actor mention in the article, in text order.

    Args:
        text: the article text.
        sentences: its sentences, verbatim substrings of ``text`` (``briefing.analyse.sentences.split_sentences``).
    """
    out: list[Mention] = []
    starts = _sentence_starts(text, sentences)
    for batch in range(0, len(sentences), SENTENCE_BATCH):  # tagged together, in a bounded amount of memory
        tokens: list[tuple[str, int, list[tuple[int, int]], list[str]]] = []
        stop = batch + SENTENCE_BATCH
        for sent, start in zip(sentences[batch:stop], starts[batch:stop], strict=True):
            spans = tokenize(sent)
            words = [sent[s:e] for s, e in spans]
            if words and not _mostly_capitals(sent, words):
                tokens.append((sent, start, spans, words))
        tagged = tag_sentences([words for _, _, _, words in tokens])
        for (sent, start, spans, words), labels in zip(tokens, tagged, strict=True):
            found = _sentence_mentions(sent, start, spans, words, labels)
            if found and sent[:1] in _DATELINE_OPENERS:
                # "WASHINGTON (Reuters) -", "SEOUL, South Korea —", "(CNN) --": a dateline or wire tag names no actor
                line_end = start + len(sent) - len(strip_dateline(sent))
                found = [m for m in found if m.start >= line_end]
            out.extend(found)
    return _one_sense(text, _no_wire_tags(text, out))


_DATELINE_OPENERS = frozenset(string.ascii_uppercase + "(")


def _no_wire_tags(text: str, mentions: list[Mention]) -> list[Mention]:
    """Without "(CNN)" and the like: an outlet in brackets on its own is a wire tag, not an actor of the story."""
    return [
        m
        for m in mentions
        if not (m.surface in _WIRES and text[m.start - 1 : m.start] == "(" and text[m.end : m.end + 1] == ")")
    ]


# ---------------------------------------------------------------------------------------------------------------
# Actors: mentions grouped by what they refer to.


_ACRONYM_SPLIT = re.compile(r"[\s-]+")


@lru_cache(maxsize=4096)
def _acronym(name: str) -> str:
    """Initials of the capitalised words: "North Atlantic Treaty Organization" -> "NATO"."""
    return "".join(w[0] for w in _ACRONYM_SPLIT.split(name) if w[:1].isupper() and w.lower() not in _LINKERS)


@lru_cache(maxsize=4096)
def _person_parts(name: str) -> list[str]:
    """A person's name as comparable words: lower case, accents, dots and "al-" dropped, hyphens as spaces
    ("Hugo Chávez" ~ "Chavez", "al-Sadr" ~ "Sadr", "Kim Jong-un" ~ "Kim Jong Un", "Michael T. Flynn")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name.replace("’", "'")) if not unicodedata.combining(c))
    parts = [p[3:] if p.lower().startswith(("al-", "el-")) and len(p) > 3 else p for p in folded.split()]
    return [w for p in parts for w in p.lower().replace(".", " ").replace("-", " ").split()]


def _bare(parts: Sequence[str]) -> tuple[str, ...]:
    """A name's parts without its middle initials: "Michael T. Flynn" -> (michael, flynn)."""
    return tuple(p for i, p in enumerate(parts) if len(p) > 1 or i in (0, len(parts) - 1))


def _variants(keys: dict[str, int], people: Iterable[str], others: Iterable[str]) -> dict[str, str]:
    """Key -> the key it is a variant of: people whose names differ by dots, hyphens, spacing or accents, or by
    middle initials where one of them has none ("Michael Flynn" ~ "Michael T. Flynn"; but "George W. Bush" and
    "George H. W. Bush" stay two); organisations and places whose names differ by dots ("D.N.C." ~ "DNC")."""
    out: dict[str, str] = {}
    by_full: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in people:
        if _person_parts(k):
            by_full[tuple(_person_parts(k))].append(k)
    by_bare: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for full in by_full:
        by_bare[_bare(full)].append(full)
    for bare, fulls in by_bare.items():
        initialled = [f for f in fulls if f != bare]
        if bare in by_full and len(initialled) == 1:  # the name without initials is that one person's
            by_full[initialled[0]] += by_full.pop(bare)
    groups = list(by_full.values())
    by_letters: dict[str, list[str]] = defaultdict(list)
    for k in others:
        letters = k.replace(".", "").replace(" ", "")
        by_letters[letters if letters.isupper() and len(letters) > 1 else k].append(k)
    groups += by_letters.values()
    for group in groups:
        head = max(group, key=lambda k: (keys[k], len(k)))
        for k in group:
            if k != head:
                out[k] = head
    return out


_CORPORATE = frozenset({"Ltd.", "Ltd", "Inc.", "Inc", "Corp.", "Corp", "Co.", "NV", "N.V.", "plc", "PLC", "LLC", "AG"})


def _definitions(text: str, mentions: Sequence[Mention]) -> list[tuple[str, str]]:
    """(long key, acronym key) for "North Atlantic Treaty Organization (NATO)" written in the text."""
    links = []
    for m1, m2 in zip(mentions, mentions[1:], strict=False):
        if text[m1.end : m2.start] in (" (", "(") and text[m2.end : m2.end + 1] == ")" and m2.surface.isupper():
            links.append((m1.key, m2.key))
    return links


def _group_keys(mentions: Sequence[Mention], links: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """Map each mention key to the key of the actor it belongs to (alias merging within one article)."""
    gaz = gazetteer()
    types: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        types[m.key].append(m.type)
    keys = {k: len(ts) for k, ts in types.items()}  # mentions per key, in order of first mention
    main_type = {k: _majority(ts) for k, ts in types.items()}
    target = {k: k for k in keys}
    # Variants of one name: "Kim Jong-un" / "Kim Jong Un", "Michael T. Flynn" / "Michael Flynn", "D.N.C." / "DNC".
    variant = _variants(
        keys, [k for k in keys if main_type[k] == "person"], [k for k in keys if main_type[k] != "person"]
    )
    target.update(variant)
    # People: "Zebari" and "de Hoop Scheffer" belong to the full name that ends with them.
    people = sorted(
        (k for k in keys if main_type[k] == "person" and k not in variant), key=lambda k: -len(_person_parts(k))
    )
    # A longer name that ends with (or, for one word, contains) a name holds its last word: index names by word.
    holders: dict[str, list[str]] = defaultdict(list)
    for k in people:
        for word in dict.fromkeys(_person_parts(k)):
            holders[word].append(k)
    for short in people:
        parts = _person_parts(short)
        if not parts:
            continue
        n_parts = len(parts)
        longer = [
            k
            for k in holders[parts[-1]]
            if len(_person_parts(k)) > n_parts and (n_parts == 1 or _person_parts(k)[-n_parts:] == parts)
        ]
        # Of several people who share the name ("Laura Janner-Klausner", "Daniel Janner": "Lord Janner" is their
        # father), the short name is the most mentioned one's only if that one is mentioned at least twice as often.
        holders_by_target: dict[str, int] = defaultdict(int)
        for k in longer:
            holders_by_target[target[k]] += keys[k]
        if holders_by_target:
            ranked = sorted(holders_by_target.items(), key=lambda kv: -kv[1])
            if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
                target[short] = target[max(longer, key=lambda k: (keys[k], -len(k)))]
    # A single word the model typed as a place or organisation that is also a person's surname.
    # Also the family name first of a name of three parts or more: "Kim" of "Kim Jong-un" is no place.
    surnames = {_person_parts(k)[-1]: target[k] for k in people if len(_person_parts(k)) > 1}
    for k in people:
        if len(_person_parts(k)) > 2:
            surnames.setdefault(_person_parts(k)[0], target[k])
    for k in keys:
        if main_type[k] != "person" and " " not in k and k.lower() in surnames and k not in gaz.aliases:
            target[k] = surnames[k.lower()]
    # Organisations and places: an acronym belongs to the long name whose initials it spells.
    longs = {_acronym(k): k for k in keys if main_type[k] != "person" and " " in k}
    longs.update({acr: long for long, acr in links if long in keys and acr in keys})
    for k in keys:
        letters = k.replace(".", "")
        if main_type[k] != "person" and k.isupper() and letters in longs and longs[letters] != k and target[k] == k:
            long = longs[letters]
            target[long] = k if keys[k] >= keys[long] else long
            target[k] = target[long]
    # Organisations: "AirTanker Ltd." is "AirTanker"; "Air Force" is "U.S. Air Force" when the article has that.
    for k in keys:
        if main_type[k] != "organization" or target[k] != k:
            continue
        words = k.split()
        if len(words) > 1 and words[-1] in _CORPORATE and " ".join(words[:-1]) in keys:
            target[k] = " ".join(words[:-1])
            continue
        for i in range(1, len(words)):
            head, rest = " ".join(words[:i]), " ".join(words[i:])
            if (head in gaz.aliases or head in gaz.demonyms) and rest in keys and main_type[rest] == "organization":
                if target[rest] == rest:
                    target[rest] = k
                break
    # Follow chains to the end.
    for k in target:
        seen = {k}
        while target[target[k]] not in seen:
            seen.add(target[k])
            target[k] = target[target[k]]
    return target


def _build_actors(text: str, mentions: Sequence[Mention]) -> list[Actor]:
    """One Actor per group of mentions, most important first."""
    target = _group_keys(mentions, _definitions(text, mentions))
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[target[m.key]].append(m)
    gaz = gazetteer()
    actors: list[Actor] = []
    for key, ms in groups.items():
        typ = cast(ActorType, _majority([m.type for m in ms]))
        names = [m.surface for m in ms if not m.demonym]
        if not names:
            continue  # only demonyms: they add to a country the article names, they do not make one
        if typ == "person":
            counts = Counter(names)  # unique names in first-seen order: the same choice as max over the list
            name = max(counts, key=lambda n: (len(_person_parts(n)), counts[n]))
        elif typ == "place" and key in gaz.aliases:
            name = key  # places by their usual name ("United States" for "US"); organisations as the text calls them
        elif names.count(names[0]) == len(names):
            name = names[0]
        else:
            counts = Counter(names)
            name = max(counts, key=lambda n: (counts[n], len(n)))
        aliases = tuple(sorted({n for n in names if n != name}))
        # A person's role, from the mention it is attached to; a place or organisation has none ("Trump Tower").
        role = next((m.role for m in ms if m.role and m.type == "person"), None) if typ == "person" else None
        first = ms[0].start  # mentions come in text order
        actors.append(Actor(name=name, type=typ, role=role, aliases=aliases, mentions=len(ms), first=first))
    return salient_order(actors)


SALIENT_SLOTS = 3  # the most-mentioned person and organisation are among the first this many actors


def salient_order(actors: Iterable[Actor]) -> list[Actor]:
    """Most important first: by mentions, then first appearance; venues (buildings and sites: "Trump Tower", "the
    Old Bailey") after every other actor; and the most-mentioned person and organisation moved up to the first
    SALIENT_SLOTS places, so that a story page that shows the first dozen never leaves out the story's subject."""
    ordered = sorted(actors, key=lambda a: (a.type == "place" and _is_facility(a.name), -a.mentions, a.first))
    tops = [next((a for a in ordered if a.type == typ), None) for typ in ("person", "organization")]
    late = [a for a in tops if a is not None and ordered.index(a) >= SALIENT_SLOTS]
    for a in late:
        ordered.remove(a)
    late.sort(key=lambda a: (-a.mentions, a.first))
    return ordered[: SALIENT_SLOTS - len(late)] + late + ordered[SALIENT_SLOTS - len(late) :]


def extract_actors(text: str, sentences: Sequence[str]) -> list[Actor]:
    """Return the named actors of an article, most important first (mentions, then first appearance).

    Args:
        text: the article text.
        sentences: its sentences, verbatim substrings of ``text`` (``briefing.analyse.sentences.split_sentences``).

    Returns:
        People (with the role the text gives them), organisations and places, aliases merged.
    """
    if not text.strip():
        return []
    return _build_actors(text, find_mentions(text, sentences))


def _merge_key(actor: Actor) -> str:
    gaz = gazetteer()
    if actor.type != "person":
        for name in (actor.name, *actor.aliases):
            if name in gaz.aliases:
                return gaz.aliases[name][0]
        letters = actor.name.replace(".", "").replace(" ", "")
        if letters.isupper() and len(letters) > 1:
            return letters  # "D.N.C." ~ "DNC"
    return actor.name


def index_actors(groups: Sequence[Sequence[Actor]]) -> list[tuple[Actor, tuple[int, ...]]]:
    """Merge the actor lists of several articles or stories, and say in which of them each actor appears.

    This is the day-wide actor index of the brief: "Zebari" in one story and "Hoshyar Zebari" in another are one
    person; "US" and "United States" are one place.

    Args:
        groups: one actor list per article or story.

    Returns:
        (merged actor, indices of the groups it appears in), most mentioned first. The merged actor's ``first`` is
        the index of the first group that names it times 10,000,000 plus the offset there, so that among equals the
        actors of earlier groups come first.
    """
    gaz = gazetteer()
    by_key: dict[str, list[tuple[int, Actor]]] = defaultdict(list)
    for g_index, group in enumerate(groups):
        for actor in group:
            by_key[_merge_key(actor)].append((g_index, replace(actor, first=g_index * 10_000_000 + actor.first)))
    # People whose names differ by dots, hyphens, spacing, accents or a middle initial ("Kim Jong-un" in one story,
    # "Kim Jong Un" in another; "Michael T. Flynn", "Michael Flynn").
    sizes = {k: sum(a.mentions for _, a in acts) for k, acts in by_key.items()}
    people = [k for k, acts in by_key.items() if acts[0][1].type == "person"]
    for k, head in _variants(sizes, people, ()).items():
        by_key[head].extend(by_key.pop(k))
    # People: a surname-only or shorter name merges into the one full name that ends with it.
    people = [k for k, acts in by_key.items() if acts[0][1].type == "person"]
    for short in sorted(people, key=lambda k: len(_person_parts(k))):
        parts = _person_parts(short)
        longer = [
            k
            for k in people
            if k != short
            and k in by_key
            and len(_person_parts(k)) > len(parts)
            and _person_parts(k)[-len(parts) :] == parts
        ]
        if len(longer) == 1 and short in by_key:
            by_key[longer[0]].extend(by_key.pop(short))
    merged: list[tuple[Actor, tuple[int, ...]]] = []
    for key, pairs in by_key.items():
        acts = [a for _, a in pairs]
        typ = Counter(a.type for a in acts).most_common(1)[0][0]
        mentions = Counter[str]()
        for a in acts:
            mentions[a.name] += a.mentions
        if typ == "person":
            name = max(mentions, key=lambda n: (len(_person_parts(n)), mentions[n]))
        elif typ == "place" and key in gaz.aliases:
            name = key
        else:
            name = max(mentions, key=lambda n: (mentions[n], len(n)))
        aliases = {n for a in acts for n in (a.name, *a.aliases)} - {name}
        roles = Counter(a.role for a in acts if a.role and a.type == "person" and typ == "person")
        actor = Actor(
            name=name,
            type=typ,
            role=roles.most_common(1)[0][0] if roles else None,
            aliases=tuple(sorted(aliases)),
            mentions=sum(a.mentions for a in acts),
            first=min(a.first for a in acts),
        )
        merged.append((actor, tuple(sorted({g for g, _ in pairs}))))
    merged.sort(key=lambda item: (-item[0].mentions, item[0].first))
    return merged


def merge_actors(groups: Sequence[Sequence[Actor]]) -> list[Actor]:
    """Merge the actor lists of several articles into one (same actor under different names across articles).

    Args:
        groups: one actor list per article (or story).

    Returns:
        The merged actors, most mentioned first (see ``index_actors``, which also says where each appears), in
        ``salient_order``: venues last, the most-mentioned person and organisation among the first three.
    """
    return salient_order(actor for actor, _ in index_actors(groups))
