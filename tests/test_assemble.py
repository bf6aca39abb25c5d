"""Assemble: grouping articles into stories, building and ranking stories, following them day over day."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from briefing import assemble, words
from briefing.analyse.sentences import split_sentences
from briefing.assemble import blocking, rank, stories
from briefing.config import Config, SourceConfig
from briefing.models import Actor, Analysis, Article, Excluded, OpenIssue
from briefing.render import brief_data
from briefing.store import Store
from tests.quality import floor

DATA = Path(__file__).parent / "data" / "ecbplus"
DAY = date(2004, 8, 5)
NOW = datetime(2004, 8, 5, 18, 0, tzinfo=UTC)

NATO_A = (
    "NATO ambassadors agreed in Brussels on Thursday to send military instructors to Iraq. "
    "The alliance will train Iraqi officers at a new academy near Baghdad, Secretary General Jaap de Hoop Scheffer said. "
    "France and Germany said they would not send their own soldiers to Iraq. "
    "Who will pay for the NATO training mission has not been decided."
)
NATO_B = (
    "The NATO alliance will train Iraqi security forces, its ambassadors decided in Brussels. "
    "Jaap de Hoop Scheffer said the first NATO instructors could reach Baghdad within weeks. "
    "The alliance will train Iraqi officers at a new academy near Baghdad, Secretary General Jaap de Hoop Scheffer said. "
    "Paris and Berlin refused to put their soldiers under the Iraq mission."
)
NATO_C = (
    "Iraqi officers will be trained by NATO instructors under a plan approved in Brussels. "
    "Interim Prime Minister Iyad Allawi welcomed the NATO decision on Iraq and the academy near Baghdad. "
    "De Hoop Scheffer said the mission would start before the elections in Iraq."
)
QUAKE = (
    "A strong earthquake struck northern Chile on Thursday, killing at least four people in Iquique. "
    "The Chilean government declared a state of emergency in the Tarapaca region. "
    "President Michelle Bachelet flew to Iquique to inspect the damage."
)
QUAKE_2 = (
    "Chile's president Michelle Bachelet visited Iquique after the earthquake that killed four people. "
    "Rescue teams in Tarapaca searched collapsed houses, and the Chilean navy lifted a tsunami warning."
)
QUAKE_OTHER = (
    "A powerful earthquake hit central Italy near L'Aquila, killing dozens of people in the Abruzzo mountains. "
    "Prime Minister Silvio Berlusconi declared a state of emergency and visited L'Aquila."
)


def _analysis(text: str, title: str, source: str = "Wire", hour: int = 9, facts: int = 3, **kw: object) -> Analysis:
    url = f"https://{source.lower().replace(' ', '')}.example/{abs(hash(title)) % 10**8}"
    article = Article(id=url, title=title, text=text, source=source, url=url,
                      published=datetime(DAY.year, DAY.month, DAY.day, hour, tzinfo=UTC))
    sentences = tuple(split_sentences(text))
    return Analysis(article=article, sentences=sentences, key_facts=sentences[:facts], **kw)  # type: ignore[arg-type]


def _cfg(max_stories: int = 30, facts: int = 3, **weights: float) -> Config:
    cfg = Config()
    cfg.brief.max_stories = max_stories
    cfg.brief.facts_per_article = facts
    cfg.sources = [SourceConfig(name=n, type="feed", url="https://x.example/rss", weight=w) for n, w in weights.items()]
    return cfg


def _bcubed_f1(groups: list[list[int]], gold: list[str]) -> float:
    cluster = {i: frozenset(g) for g in groups for i in g}
    p = r = 0.0
    for i, label in enumerate(gold):
        same = {j for j, other in enumerate(gold) if other == label}
        p += len(cluster[i] & same) / len(cluster[i])
        r += len(cluster[i] & same) / len(same)
    p, r = p / len(gold), r / len(gold)
    return 2 * p * r / (p + r)


# -- grouping ---------------------------------------------------------------------------------------


def test_articles_on_the_same_event_are_grouped_and_similar_events_kept_apart() -> None:
    analyses = [
        _analysis(NATO_A, "NATO agrees to train Iraqi forces"),
        _analysis(QUAKE, "Earthquake kills four in Chile"),
        _analysis(NATO_B, "Alliance to train Iraq's army", source="Paper"),
        _analysis(QUAKE_OTHER, "Earthquake in Italy kills dozens"),
        _analysis(NATO_C, "Allawi welcomes NATO plan", source="Radio"),
        _analysis(QUAKE_2, "Bachelet visits Iquique", source="Paper"),
    ]
    assert stories.group_stories(analyses) == [[0, 2, 4], [1, 5], [3]]


def test_grouping_quality_on_held_out_ecbplus_topics() -> None:
    """Quality gate: B-cubed F1 on 65 real articles of 6 events (3 topics of 2 similar events each).

    Measured 0.930 when pinned; the floor may only be lowered with a note saying why.
    """
    docs = [json.loads(line) for line in (DATA / "ecbplus_topics_2_4_6.jsonl").read_text("utf-8").splitlines()]
    analyses = []
    for d in docs:
        lines = [x for x in d["text"].split("\n") if x.strip()]
        analyses.append(Analysis(Article(d["doc"], lines[0], "\n\n".join(lines), "ECB+"), tuple(lines), ()))
    gold = [d["cluster_id"] for d in docs]
    groups = stories.group_stories(analyses)
    assert sorted(i for g in groups for i in g) == list(range(len(docs)))
    assert _bcubed_f1(groups, gold) >= floor("stories.ecbplus_gate.bcubed_f1")
    assert _bcubed_f1([[i] for i in range(len(docs))], gold) < 0.5  # the gate is not trivially met


def test_candidate_search_is_blocked_not_all_pairs() -> None:
    # 400 articles, each on its own subject with a few shared everyday words.
    subjects = [f"subject{i}" for i in range(400)]
    texts = [f"Officials in Town{i} said the {subjects[i]} plan for {subjects[i]} was approved by council{i}."
             for i in range(400)]
    vectors = blocking.tfidf_vectors([Counter(words.content_words(t)) for t in texts])
    pairs = blocking.candidate_pairs(vectors)
    assert len(pairs) <= 400 * blocking.MAX_CANDIDATES
    assert len(pairs) < 400 * 399 / 2 / 10


def _ecbplus_analyses() -> list[Analysis]:
    docs = [json.loads(line) for line in (DATA / "ecbplus_topics_2_4_6.jsonl").read_text("utf-8").splitlines()]
    out = []
    for d in docs:
        lines = [x for x in d["text"].split("\n") if x.strip()]
        out.append(Analysis(Article(d["doc"], lines[0], "\n\n".join(lines), "ECB+"), tuple(lines), ()))
    return out


def _reference_candidates(vectors: list[dict[str, float]], max_df: int) -> set[tuple[int, int]]:
    """Posting lists of each document's top terms, walked one document at a time (the unvectorised blocking)."""
    top = [sorted(v.items(), key=lambda kv: kv[1], reverse=True)[: blocking.BLOCK_TERMS] for v in vectors]
    postings: dict[str, list[tuple[int, float]]] = {}
    for doc, terms in enumerate(top):
        for term, weight in terms:
            postings.setdefault(term, []).append((doc, weight))
    pairs = set()
    for doc, terms in enumerate(top):
        partial: dict[int, float] = {}
        for term, weight in terms:
            if len(postings[term]) <= max_df:
                for other, w in postings[term]:
                    if other != doc:
                        partial[other] = partial.get(other, 0.0) + weight * w
        best = sorted(partial.items(), key=lambda kv: (-kv[1], kv[0]))[: blocking.MAX_CANDIDATES]
        pairs.update((min(doc, o), max(doc, o)) for o, _ in best)
    return pairs


def test_blocking_matches_posting_lists_with_an_absolute_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    analyses = _ecbplus_analyses()
    vectors = blocking.tfidf_vectors([blocking.term_counts(a) for a in analyses])
    pairs = blocking.candidate_pairs(vectors)
    assert set(pairs) == _reference_candidates(vectors, blocking.block_max_df(len(vectors)))
    for (i, j), body in list(pairs.items())[:200]:
        assert body == pytest.approx(blocking.cosine(vectors[i], vectors[j]), abs=1e-12)
    # The cap is absolute on a large day: a term in more articles' top terms than this never proposes a pair.
    assert blocking.block_max_df(100_000) == blocking.BLOCK_MAX_POSTINGS < blocking.BLOCK_MAX_DF * 100_000
    monkeypatch.setattr(blocking, "BLOCK_MAX_POSTINGS", 3)
    capped = blocking.candidate_pairs(vectors)
    assert set(capped) == _reference_candidates(vectors, 3)
    assert len(capped) < len(pairs)


def test_pair_scores_in_bulk_equal_the_pair_by_pair_evidence() -> None:
    scores = stories.PairScores(_ecbplus_analyses())
    keys = sorted(scores.candidates)
    assert keys
    left, right = (np.array(side) for side in zip(*keys, strict=True))
    bulk = scores.features(left, right)
    for row, (i, j) in zip(bulk, keys, strict=True):
        one = stories.event_features(blocking.cosine(scores.vectors[i], scores.vectors[j]), scores.cues[i],
                                     scores.cues[j])
        assert row.tolist() == pytest.approx(list(one), abs=1e-12)
        assert scores.scores[(i, j)] == pytest.approx(stories.event_probability(one), abs=1e-12)
    group = list(range(0, len(scores), 3))
    matrix = scores.matrix(group)
    assert matrix[1, 4] == pytest.approx(stories.event_probability(stories.event_features(
        blocking.cosine(scores.vectors[group[1]], scores.vectors[group[4]]), scores.cues[group[1]],
        scores.cues[group[4]])), abs=1e-12)
    assert (matrix == matrix.T).all() and not matrix.diagonal().any()


def test_average_linkage_does_not_chain_through_one_article() -> None:
    # 0-1 and 1-2 are similar, 0-2 are not: average linkage keeps 2 apart at threshold 0.5.
    groups = stories.average_linkage(3, {(0, 1): 0.9, (1, 2): 0.6}, threshold=0.5)
    assert groups == [[0, 1], [2]]
    assert stories.average_linkage(3, {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.7}, threshold=0.5) == [[0, 1, 2]]
    assert stories.group_stories([]) == []


# -- building and ranking stories -------------------------------------------------------------------


def test_story_merges_facts_without_repeats_issues_actors_and_sources() -> None:
    funding = OpenIssue("funding", "Who will pay for the NATO training mission?", NATO_A.split(". ")[-1])
    funding_again = OpenIssue("funding", "Who will fund the mission?", "Funding is unsettled.")
    scheffer = Actor("Jaap de Hoop Scheffer", "person", "NATO Secretary General")
    analyses = [
        _analysis(NATO_A, "NATO agrees to train Iraqi forces", open_issues=(funding,), actors=(scheffer,)),
        _analysis(NATO_B, "Alliance to train Iraq's army", source="Paper", hour=8, open_issues=(funding_again,),
                  actors=(Actor("Iraq", "place"),)),
        _analysis(NATO_C, "Allawi welcomes NATO plan", source="Radio", hour=11),
    ]
    sources = [[], [{"name": "Paper", "title": "Alliance", "url": "https://paper.example/1", "published": None},
                    {"name": "Aggregator", "title": "Alliance", "url": "https://agg.example/1", "published": None}], []]
    story = assemble.build_story([0, 1, 2], analyses, sources, _cfg(Wire=2.0))
    # a real title, the most representative article's (the one closest to the two others)
    assert story.headline in {a.article.title for a in analyses}
    assert story.headline == analyses[rank._representative([0, 1, 2], analyses, [0, 1, 2])].article.title
    assert len(story.key_facts) == 5  # facts_per_article + 2
    # facts in turns across the articles, the most important article's best first, each with its outlet
    assert story.key_facts[0] == analyses[0].key_facts[0]
    assert story.key_facts[1] == analyses[1].key_facts[0] and story.key_facts[2] == analyses[2].key_facts[0]
    assert len({f.outlet for f in story.facts}) == 3 and [f.text for f in story.facts] == list(story.key_facts)
    assert story.facts[1].outlet == "paper.example" and story.facts[1].url == "https://paper.example/1"
    assert len(set(story.key_facts)) == 5
    # NATO_B repeats NATO_A's second sentence verbatim: it is counted once.
    assert sum("academy near Baghdad, Secretary General" in f for f in story.key_facts) == 1
    assert [i.topic for i in story.open_issues] == ["funding"]
    assert {a.name for a in story.actors} >= {"Jaap de Hoop Scheffer", "Iraq"}
    assert [s["name"] for s in story.sources] == ["Paper", "Aggregator", "Wire", "Radio"]  # by time
    assert story.id == assemble.story_id(analyses[1].article.id)  # the earliest article names the story
    single = assemble.build_story([2], analyses, sources, _cfg())
    assert len(single.key_facts) == 3 and single.status == "new"


def test_ranking_by_sources_weight_and_recency_and_max_stories() -> None:
    analyses = [
        _analysis(QUAKE_OTHER, "Earthquake in Italy kills dozens", source="Blog", hour=17),
        _analysis(NATO_A, "NATO agrees to train Iraqi forces", hour=6),
        _analysis(NATO_B, "Alliance to train Iraq's army", source="Paper", hour=7),
        _analysis(QUAKE, "Earthquake kills four in Chile", source="Paper", hour=16),
    ]
    chile = [{"name": n, "title": "Quake", "url": f"https://{n}.example/q", "published": None} for n in ("Paper", "Agency")]
    sources = [[], [], [], chile]
    brief = assemble.assemble_brief(_cfg(max_stories=2), analyses, sources, DAY, NOW, [Excluded("X", "y", "404")])
    # NATO: two outlets, morning; Chile: two outlets, afternoon; Italy: one outlet, the newest.
    assert [s.headline for s in brief.stories] == ["Earthquake kills four in Chile", "NATO agrees to train Iraqi forces"]
    assert [s.headline for s in brief.more_stories] == ["Earthquake in Italy kills dozens"]
    assert brief.stories[0].score > brief.stories[1].score > brief.more_stories[0].score
    assert brief.excluded == (Excluded("X", "y", "404"),)
    assert brief.top_lines[0] == brief.stories[0].key_facts[0]
    # A heavy source lifts its story to the top.
    weighted = assemble.assemble_brief(_cfg(max_stories=2, Blog=5.0), analyses, sources, DAY, NOW, [])
    assert weighted.stories[0].headline == "Earthquake in Italy kills dozens"


def test_recency_breaks_ties_between_equal_stories() -> None:
    older = _analysis(QUAKE, "Earthquake kills four in Chile", hour=1)
    newer = _analysis(QUAKE_OTHER, "Earthquake in Italy kills dozens", hour=17)
    brief = assemble.assemble_brief(_cfg(), [older, newer], [[], []], DAY, NOW, [])
    assert [s.headline for s in brief.stories] == ["Earthquake in Italy kills dozens", "Earthquake kills four in Chile"]


def _untimed(text: str, title: str, outlet_url: str, source: str = "Newsdesk") -> Analysis:
    article = Article(id=outlet_url, title=title, text=text, source=source, url=outlet_url)
    sentences = tuple(split_sentences(text))
    return Analysis(article=article, sentences=sentences, key_facts=sentences[:3])


def test_equal_stories_never_fall_to_the_alphabet() -> None:
    # one folder source, single-article stories, no times: the old ranking sorted these by headline
    short = _untimed(QUAKE_2, "A quake follow-up", "https://www.reuters.com/q2")
    long = _untimed(QUAKE_OTHER + " " + QUAKE_OTHER, "Whole report on the Italian earthquake", "https://apnews.com/it")
    brief = assemble.assemble_brief(_cfg(), [short, long], [[], []], DAY, NOW, [])
    assert [s.headline for s in brief.stories] == ["Whole report on the Italian earthquake", "A quake follow-up"]
    assert brief.stories[0].score == brief.stories[1].score  # the tie is broken by the longer reporting


def test_distinct_outlets_rank_first_even_through_one_configured_source() -> None:
    nato = [_untimed(NATO_A, "NATO agrees to train Iraqi forces", "https://www.nytimes.com/nato"),
            _untimed(NATO_B, "Alliance to train Iraq's army", "https://www.foxnews.com/nato")]
    alone = _untimed(QUAKE_OTHER, "An Italian earthquake", "https://www.reuters.com/quake")
    brief = assemble.assemble_brief(_cfg(), [alone, *nato], [[], [], []], DAY, NOW, [])
    top = brief.stories[0]
    assert len(top.analyses) == 2 and top.score >= 2 > brief.stories[1].score
    assert {s["outlet"] for s in top.sources} == {"The New York Times", "Fox News"}
    assert {s["name"] for s in top.sources} == {"Newsdesk"}  # the "via"
    assert {f.outlet for f in top.facts} == {"The New York Times", "Fox News"}
    data = brief_data(brief)["stories"][0]
    assert data["score"] == top.score and {f["outlet"] for f in data["facts"]} == {"The New York Times", "Fox News"}
    assert {s["outlet"] for s in data["sources"]} == {"The New York Times", "Fox News"}


def test_a_real_title_is_preferred_to_a_derived_one() -> None:
    from briefing.clean import derive_title

    derived = _untimed(NATO_A, derive_title(NATO_A), "https://wire.example/a", source="Wire")
    titled = _untimed(NATO_B, "NATO to train Iraqi forces", "https://paper.example/b", source="Paper")
    story = assemble.build_story([0, 1], [derived, titled], [[], []], _cfg(Wire=3.0))
    assert story.analyses[0] is derived  # the heavier source is still the most important article
    assert story.headline == "NATO to train Iraqi forces"


def test_sources_and_analyses_must_match() -> None:
    with pytest.raises(ValueError):
        assemble.assemble_brief(_cfg(), [_analysis(QUAKE, "q")], [], DAY, NOW, [])


# -- day over day -----------------------------------------------------------------------------------


def _saved(brief) -> dict:  # type: ignore[no-untyped-def]
    """The brief as the build stores it: the JSON of brief.json (DESIGN.md)."""
    return brief_data(brief)


def _on(day: date, analysis: Analysis) -> Analysis:
    published = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    return replace(analysis, article=replace(analysis.article, published=published))


def test_story_followed_across_days_with_issue_statuses(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg = _cfg()
    funding = OpenIssue("funding", "Who will pay for the NATO training mission?",
                        "Who will pay for the NATO training mission has not been decided.")
    troops = OpenIssue("troops", "Will France and Germany send soldiers?",
                       "France and Germany said they would not send their own soldiers to Iraq.")
    day1, day2, day3 = DAY, DAY + timedelta(days=1), DAY + timedelta(days=3)
    with Store(tmp_path / "brief.db") as store:
        first = [_on(day1, _analysis(NATO_A, "NATO agrees to train Iraqi forces", open_issues=(funding, troops))),
                 _on(day1, _analysis(QUAKE, "Earthquake kills four in Chile"))]
        b1 = assemble.assemble_brief(cfg, first, [[], []], day1, NOW, [], store)
        assert {s.status for s in b1.stories} == {"new"}
        store.save_brief(day1, _saved(b1), [])
        nato1 = next(s for s in b1.stories if s.headline.startswith("NATO"))

        # Day 2: the funding is decided, the troops question is still open, a new issue appears.
        decided = ("NATO members agreed on Friday on the funding of the Iraq training mission, "
                   "which will come from the common budget. ")
        venue = OpenIssue("venue", "Where will the academy be built?", "The site of the academy is not yet chosen.")
        text2 = decided + NATO_C + " France and Germany have still not said whether they will send soldiers."
        troops2 = OpenIssue("troops", "Will France and Germany send soldiers to Iraq?",
                            "France and Germany have still not said whether they will send soldiers.")
        second = [_on(day2, _analysis(text2, "NATO funds Iraq training mission", source="Paper",
                                      open_issues=(troops2, venue))),
                  _on(day2, _analysis(QUAKE_OTHER, "Earthquake in Italy kills dozens"))]
        b2 = assemble.assemble_brief(cfg, second, [[], []], day2, NOW + timedelta(days=1), [], store)
        nato2 = next(s for s in b2.stories if "NATO" in s.headline)
        italy = next(s for s in b2.stories if "Italy" in s.headline)
        assert (nato2.status, nato2.continuing_since, nato2.id) == ("continuing", day1, nato1.id)
        assert (italy.status, italy.continuing_since) == ("new", None)  # same kind of event, not the same story
        status = {i.topic: i.status for i in nato2.open_issues}
        assert status == {"troops": "carried_over", "venue": "new", "funding": "resolved"}
        resolved = next(i for i in nato2.open_issues if i.status == "resolved")
        assert resolved.evidence == decided.strip()
        store.save_brief(day2, _saved(b2), [])

        # Day 4 (a day skipped): still the same story, started on day 1; the resolved issue is gone.
        third = [_on(day3, _analysis(NATO_B, "NATO instructors head for Baghdad"))]
        b3 = assemble.assemble_brief(cfg, third, [[]], day3, NOW + timedelta(days=3), [], store)
        (nato3,) = b3.stories
        assert (nato3.status, nato3.continuing_since, nato3.id) == ("continuing", day1, nato1.id)
        assert "funding" not in {i.topic for i in nato3.open_issues}
        assert {i.topic: i.status for i in nato3.open_issues} == {"troops": "carried_over", "venue": "carried_over"}

        # Rebuilding day 2 finds the same result (a brief never follows itself).
        again = assemble.assemble_brief(cfg, second, [[], []], day2, NOW + timedelta(days=1), [], store)
        assert [(s.id, s.status) for s in again.stories] == [(s.id, s.status) for s in b2.stories]


def test_issues_of_one_article_are_all_kept_and_repeats_across_articles_merged() -> None:
    from briefing.assemble import merge_issues
    from briefing.models import OpenIssue

    evidence = "Other issues included who would command the NATO mission and who would fund it."
    command = OpenIssue("command", "Who will command the NATO mission?", evidence)
    funding = OpenIssue("funding", "Who will fund the NATO mission?", evidence)
    again = OpenIssue("funding", "Who will pay for the NATO mission?", "Funding is still open.")
    assert merge_issues([[command, funding], [again]]) == [command, funding]


# -- grouping on event evidence ---------------------------------------------------------------------


def _ecbplus(name: str) -> tuple[list[Analysis], list[dict]]:
    """ECB+ documents of a fixture as the assemble stage sees them (the first line stands in for a title)."""
    docs = [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines()]
    analyses = []
    for d in docs:
        lines = [x for x in d["text"].split("\n") if x.strip()]
        analyses.append(Analysis(Article(d["doc"], lines[0], "\n\n".join(lines), "ECB+"), tuple(lines), tuple(lines[:3])))
    return analyses, docs


def _events_of(groups: list[list[int]], docs: list[dict]) -> list[set[str]]:
    return [{docs[i]["cluster_id"] for i in g} for g in groups]


@pytest.mark.parametrize(("topic", "events"), [
    (35, "Chargers receiver Vincent Jackson's DUI arrest (Jan 2009) / tackle Jamal Williams' DUI arrest (Feb 2009)"),
    (38, "Sonoma County earthquake near The Geysers, magnitude 4.4 (2008) / magnitude 4.6 (March 2013)"),
])
def test_same_cast_different_events_from_ecbplus_stay_apart(topic: int, events: str) -> None:
    """Two events of one kind with one cast (team, place), four articles each: the TF-IDF grouping merged them."""
    analyses, docs = _ecbplus("ecbplus_same_cast_35_38.jsonl")
    keep = [k for k, d in enumerate(docs) if d["topic"] == topic]
    analyses, docs = [analyses[k] for k in keep], [docs[k] for k in keep]
    assert len({d["cluster_id"] for d in docs}) == 2 and len(docs) == 8
    before = stories.tfidf_groups(analyses)
    assert any(len(events) == 2 for events in _events_of(before, docs)), f"merged before the change: {events}"
    after = stories.group_stories(analyses)
    assert all(len(events) == 1 for events in _events_of(after, docs)), events
    assert sorted(len(g) for g in after) == [4, 4]  # and each event stays one story


def test_same_cast_events_stay_apart_among_other_topics() -> None:
    """The two pairs of events mixed with the 65 articles of the quality gate: no topic's two events merged."""
    gate, gate_docs = _ecbplus("ecbplus_topics_2_4_6.jsonl")
    pairs, pair_docs = _ecbplus("ecbplus_same_cast_35_38.jsonl")
    analyses, docs = gate + pairs, gate_docs + pair_docs
    gold = [d["cluster_id"] for d in docs]
    groups = stories.group_stories(analyses)
    assert all(len(events) == 1 for events in _events_of(groups, docs))
    assert _bcubed_f1(groups, gold) >= floor("stories.ecbplus_same_cast.bcubed_f1")
    assert _bcubed_f1(stories.tfidf_groups(analyses), gold) < 0.92


def test_event_cues_read_the_lead_dates_numbers_and_places() -> None:
    text = ("http : / / news . example . com / 2013 / 03 / 14 / quake\n\n"
            "4 . 6 magnitude quake recorded in Sonoma County\n\nThursday , March 14 , 2013\n\n"
            "An earthquake with a preliminary magnitude of 4 . 6 struck near The Geysers on Thursday , "
            "the U . S . Geological Survey said .\n\nIt was felt 130 miles away in San Francisco .")
    lines = [x for x in text.split("\n\n")]
    analysis = Analysis(Article("q", lines[0], text, "ECB+"), tuple(lines), ())
    counts = blocking.term_counts(analysis)
    idf, unseen = blocking._idf([counts])
    cues = stories._event_cues(analysis, counts, idf, unseen)
    assert cues.years == {"2013"}  # from the dateline; the URL is not the title
    assert any(day == date(2013, 3, 14).toordinal() and has_year for day, has_year in cues.dates)
    assert "4.6" in cues.numbers and "130" in cues.all_numbers  # a tokenised decimal read as one number
    assert cues.weekdays == {"thursday"}
    assert "geyser" in cues.places and "geyser" in cues.names
    assert words.stem("recorded") in cues.action  # the lead's main action: its first finite verb and object
    assert "http" not in cues.lead  # the URL line is not part of the lead


def _cues(lead: str, number: str, year: str, weekday: str) -> stories.EventCues:
    return stories.EventCues(
        lead={lead: 1.0}, names={"geyser": 2.0}, name_terms=frozenset({"geyser"}), names_weight=2.0,
        action=frozenset({"struck"}), terms=frozenset({"geyser", "struck", "quak", "tremor"}),
        numbers=frozenset({number}), all_numbers=frozenset({number}), years=frozenset({year}), dates=(),
        weekdays=frozenset({weekday}), places=frozenset({"geyser"}))


def test_event_evidence_tells_the_event_from_the_cast() -> None:
    """Same cast and place, same body similarity: the lead, the numbers, the year and the weekday decide."""
    one = _cues("quak", "4.6", "2013", "thursday")
    same = stories.event_features(0.2, one, _cues("quak", "4.6", "2013", "thursday"))
    other = stories.event_features(0.2, one, _cues("tremor", "4.4", "2008", "sunday"))
    named = dict(zip(stories.EVENT_FEATURES, other, strict=True))
    assert named["years_differ"] == 1.0 and named["weekdays_differ"] == 1.0 and named["numbers_shared"] == 0.0
    assert named["names"] == 1.0 and named["place_shared"] == 1.0  # the cast is the same
    assert stories.event_probability(same) > 0.9
    assert stories.event_probability(other) < stories.LINK_PROBABILITY / 2


class _Scores:
    """Stand-in for ``stories.PairScores`` over a fixed matrix of probabilities."""

    def __init__(self, matrix: list[list[float]]) -> None:
        self.m = matrix

    def matrix(self, group: list[int]) -> object:
        import numpy as np

        return np.array([[self.m[i][j] if i != j else 0.0 for j in group] for i in group])


def test_second_pass_splits_two_dense_groups_only() -> None:
    # Two groups of four, dense inside (0.9), linked across at 0.3: cut in two.
    two = [[0.9 if (i < 4) == (j < 4) else 0.3 for j in range(8)] for i in range(8)]
    assert sorted(stories.split_group(list(range(8)), _Scores(two))) == [[0, 1, 2, 3], [4, 5, 6, 7]]  # type: ignore[arg-type]
    # One group with a little more inside two halves (0.9 against 0.7 across): kept whole.
    one = [[0.9 if (i < 4) == (j < 4) else 0.7 for j in range(8)] for i in range(8)]
    assert stories.split_group(list(range(8)), _Scores(one)) == [list(range(8))]  # type: ignore[arg-type]
    # A cut leaving fewer than SPLIT_MIN_PART articles on one side is not made.
    lone = [[0.9 if (i < 2) == (j < 2) else 0.1 for j in range(8)] for i in range(8)]
    assert stories.split_group(list(range(8)), _Scores(lone)) == [list(range(8))]  # type: ignore[arg-type]


def test_a_story_with_related_reports_lists_them_without_their_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.render import brief_data, render_html, render_markdown

    analyses = [
        _analysis(NATO_A, "NATO agrees to train Iraqi forces"),
        _analysis(NATO_B, "Alliance to train Iraq's army", source="Paper"),
        _analysis(QUAKE, "Earthquake kills four in Chile", source="Radio"),
    ]
    group = stories.EventGroup(members=(0, 1, 2), related=(2,), cohesion=0.5)
    monkeypatch.setattr(assemble, "group_events", lambda _analyses: [group])
    brief = assemble.assemble_brief(_cfg(), analyses, [[], [], []], DAY, NOW, [])
    (story,) = brief.stories
    assert [a.article.title for a in story.analyses] == ["NATO agrees to train Iraqi forces", "Alliance to train Iraq's army"]
    assert not any("earthquake" in f.lower() for f in story.key_facts)  # the related report's facts are not mixed in
    assert story.related == ({"headline": "Earthquake kills four in Chile", "outlet": "radio.example",
                              "url": analyses[2].article.url},)
    data = brief_data(brief)
    assert data["stories"][0]["related"] == [{"headline": "Earthquake kills four in Chile", "outlet": "radio.example",
                                             "url": analyses[2].article.url}]
    assert "Related reports" in render_html(brief) and "Earthquake kills four in Chile" in render_html(brief)
    assert "**Related reports**" in render_markdown(brief)
    plain = replace(brief, stories=(replace(story, related=()),))
    assert "Related reports" not in render_html(plain) and brief_data(plain)["stories"][0]["related"] == []
