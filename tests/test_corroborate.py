"""Corroboration: confirmations and near-copies, numbers and their kinds, discrepancies, attribution."""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from briefing.analyse.sentences import split_sentences
from briefing.assemble import build_story, corroborate, with_corroboration
from briefing.assemble.claims import Report, extract_claims, find_disagreements
from briefing.assemble.corroborate import attribution
from briefing.config import Config
from briefing.models import Analysis, Article, Brief, Fact
from briefing.render import brief_data, render_html, render_markdown
from tests.quality import floor

DATA = Path(__file__).resolve().parent / "data" / "corroboration"


def _claims(sentence: str, kind: str) -> list[tuple[float, float]]:
    return [(c.low, c.high) for c in extract_claims(sentence) if c.kind == kind]


def _differ(*sentences: str) -> list[str]:
    """The kinds on which one-sentence articles differ."""
    return [d.kind for d in find_disagreements([Report((s,), (f"Outlet {k}",)) for k, s in enumerate(sentences)])]


def _check_set() -> dict[str, tuple[dict, dict]]:
    groups = {}
    with open(DATA / "articles.jsonl", encoding="utf-8") as f:
        articles = {g["group"]: g for g in map(json.loads, f)}
    with open(DATA / "annotations.jsonl", encoding="utf-8") as f:
        for a in map(json.loads, f):
            groups[a["group"]] = (articles[a["group"]], a)
    return groups


def _reports(group: dict) -> list[Report]:
    return [Report(tuple(a["sentences"]), (a["outlet"],), a.get("url"),
                   date.fromisoformat(a["published"]) if a.get("published") else None) for a in group["articles"]]


# ---- numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "kind", "interval"),
    [
        ("Twenty-three pirates were arrested.", "arrested", (23, 23)),
        ("Police arrested twenty-three protesters.", "arrested", (23, 23)),
        ("A dozen people were injured.", "injured", (10, 14)),
        ("Two hundred people were arrested.", "arrested", (190, 210)),
        ("The blast killed forty-one people.", "killed", (41, 41)),
        ("No one was killed in the attack.", "killed", (0, 0)),
        ("There were no casualties in the camp.", "injured", (0, 0)),
        ("At least 72 people were killed.", "killed", (72, float("inf"))),
        ("More than 70 people died.", "killed", (70, float("inf"))),
        ("Nearly 50 people were wounded.", "injured", (42.5, 50)),
        ("Some 30 people were killed.", "killed", (24, 36)),
        ("Three or four people were killed.", "killed", (3, 4)),
        ("The death toll rose to 11.", "killed", (11, 11)),
    ],
)
def test_numbers_in_words_and_approximations_become_intervals(sentence: str, kind: str, interval: tuple) -> None:
    assert _claims(sentence, kind) == [interval]


def test_money_keeps_its_currency_and_rounding() -> None:
    claims = extract_claims("Robbers made off with 85 million euros ($108 million) of jewels from a Paris store.")
    assert {(c.key, c.low, c.high) for c in claims} == {
        ("EUR:stolen", 84.5e6, 85.5e6), ("USD:stolen", 107.5e6, 108.5e6)}
    [deal] = extract_claims("HP will pay $12 billion to $13 billion for EDS.")
    assert (deal.low, deal.high) == (12e9, 13.5e9)


def test_ages_and_vote_tallies() -> None:
    [age] = extract_claims("Sixty-year-old Sharron Diane Crawford Smith is now accused of murder.")
    assert (age.kind, age.key, age.low) == ("age", "smith", 60)
    [vote] = extract_claims("The final vote count in the Senate was 52-35, eight short of the 60 needed to pass.")
    assert (vote.kind, vote.point) == ("votes", (52, 35))


def test_vague_counts_and_other_measures_are_not_counts_of_people() -> None:
    [dozens] = extract_claims("Dozens of people were injured.")
    assert dozens.vague
    assert extract_claims("The quake struck at a depth of 10 kilometres, injuring no one else.") == []
    assert extract_claims("There were no immediate reports of casualties.") == []


# ---- discrepancies ----------------------------------------------------------------------------------


def test_compatible_approximations_are_not_discrepancies() -> None:
    assert _differ("At least 72 people were killed in the Baghdad bombing.",
                   "The Baghdad bombing killed 74 people.") == []
    assert _differ("More than 70 people died in the Baghdad bombing.", "The Baghdad bombing killed 72 people.") == []
    assert _differ("About 40 Palestinians were killed at the Jabaliya school.",
                   "At least 43 people were killed at the Jabaliya school.") == []
    assert _differ("Twelve people were injured in the Woodburn blast.",
                   "A dozen people were injured in the Woodburn blast.") == []


def test_different_numbers_for_the_same_thing_are_discrepancies() -> None:
    assert _differ("At least 72 people were killed in the Baghdad bombing.",
                   "The Baghdad bombing killed 60 people.") == ["killed"]
    assert _differ("Some 30 people were killed at the Jabaliya school.",
                   "The attack on the Jabaliya school killed 40 Palestinians.") == ["killed"]
    assert _differ("Nobody was hurt when the camp in Yida was bombed.",
                   "At least 20 people were wounded when the camp in Yida was bombed.") == ["injured"]
    assert _differ("Robbers stole $137 million of jewels from the Harry Winston store in Paris.",
                   "Robbers snatched $108 million worth of jewels from a Paris store.") == ["money"]


def test_conservative_where_the_numbers_may_be_about_different_things() -> None:
    # another quake (magnitudes differ), another time, a subset, vague counts, other currencies, no shared name
    assert _differ("A 5.6 magnitude quake hit Qeshm island, injuring five people.",
                   "A magnitude-5.2 quake injured three people on Qeshm island.") == []
    assert _differ("The quake on Qeshm island injured five people.",
                   "A quake on Qeshm island in September injured 40 people.") == []
    assert _differ("The Baghdad bombing killed 60 people.", "The Baghdad bombing killed dozens of people.") == []
    assert _differ("The Baghdad bombing killed 60 people.",
                   "Among them, 12 police officers were killed in the Baghdad bombing.") == []
    assert _differ("Robbers stole 85 million euros of jewels in Paris.", "Robbers stole $108 million of jewels in Paris.") == []
    assert _differ("Robbers stole $2.6 million of jewels in Paris.",
                   "A month ago a thief stole $136 million of jewels in Cannes.") == []


def test_discrepancy_from_two_real_articles_reaches_the_brief(tmp_path: Path) -> None:
    """Two ECB+ reports (CC BY 3.0) of the same Iranian quake: five people injured, or two."""
    analyses, sources = [], []
    for k, path in enumerate(sorted((DATA / "fixture").glob("*.txt"))):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines())
        article = Article(id=path.name, title=meta.get("Title", ""), text=body, source="Fixture",
                          url=f"https://example.org/{k}", outlet=meta["Outlet"])
        sentences = tuple(split_sentences(body))
        analyses.append(Analysis(article=article, sentences=sentences, key_facts=sentences[:3]))
        sources.append([{"outlet": meta["Outlet"], "name": "Fixture", "title": article.title, "url": article.url,
                         "published": None}])
    cfg = Config()
    story = build_story([0, 1], analyses, sources, cfg)
    # the brief corroborates only the stories it shows, after ranking: the same facts and discrepancies
    later = build_story([0, 1], analyses, sources, cfg, corroborated=False)
    assert later.discrepancies == () and later.facts != story.facts
    assert with_corroboration(later, [sources[analyses.index(a)] for a in later.analyses]) == story
    [d] = story.discrepancies
    assert d.about == "people injured"
    assert {(c.value, c.outlet) for c in d.claims} == {("two", "ECB+ 20_3ecb"), ("five", "ECB+ 20_2ecb")}
    assert all(c.text in {s for a in analyses for s in a.sentences} for c in d.claims)  # verbatim
    brief = Brief(title="T", date=date(2026, 1, 1), generated=datetime(2026, 1, 1),
                  stories=(story,))
    data = brief_data(brief)["stories"][0]
    assert data["discrepancies"][0]["about"] == "people injured"
    assert {"text", "outlet", "url"} <= set(data["discrepancies"][0]["claims"][0])
    assert all({"outlets", "independent", "attributed_to"} <= set(f) for f in data["facts"])
    quake = next(f for f in data["facts"] if f["text"].startswith("A strong 5.6"))
    assert (quake["outlets"], quake["independent"], quake["attributed_to"]) == (2, 2, "state television")
    html = render_html(brief)
    assert "Reports differ" in html and 'data-confirmation="2 outlets · 2 independent reports"' in html
    assert 'data-confirmation="single source"' in html
    markdown = render_markdown(brief)
    assert "**Reports differ**" in markdown and "· 2 outlets · 2 independent reports" in markdown


# ---- confirmation and near-copies --------------------------------------------------------------------


def test_near_copies_count_once() -> None:
    """ECB+ 18: two copies of one Canadian Press story and an independent report confirm the same fact."""
    group, _ = _check_set()["ecb-18"]
    wanted = {"18_4ecb.xml", "18_11ecb.xml", "18_3ecb.xml"}
    articles = [a for a in group["articles"] if a["id"] in wanted]
    reports = [Report(tuple(a["sentences"]), (a["outlet"],)) for a in articles]
    groups = corroborate.near_copy_groups(reports)
    ids = [a["id"] for a in articles]
    assert groups[ids.index("18_4ecb.xml")] == groups[ids.index("18_11ecb.xml")] != groups[ids.index("18_3ecb.xml")]
    fact = Fact(articles[ids.index("18_4ecb.xml")]["sentences"][3], articles[ids.index("18_4ecb.xml")]["outlet"])
    [counted], _ = corroborate.corroborate([fact], [ids.index("18_4ecb.xml")], reports)
    assert (counted.outlets, counted.independent) == (3, 2)


def test_a_syndicated_copy_under_two_outlets_is_one_report() -> None:
    text = ("The Indian navy captured 23 pirates who threatened a merchant vessel in the Gulf of Aden on Saturday, "
            "a navy spokesman said.")
    reports = [Report((text, "The pirates were handed over to the authorities."), ("Wire", "Daily Paper")),
               Report(("An Indian warship seized 23 Somali and Yemeni pirates in the Gulf of Aden.",), ("Other",))]
    [fact], _ = corroborate.corroborate([Fact(text, "Wire")], [0], reports)
    assert (fact.outlets, fact.independent) == (3, 2)


def test_a_fact_no_other_article_states_is_single_source() -> None:
    reports = [Report(("The Indian navy captured 23 pirates in the Gulf of Aden.",), ("A",)),
               Report(("Somali pirates released a Greek chemical tanker on Saturday.",), ("B",))]
    [fact], _ = corroborate.corroborate([Fact(reports[0].sentences[0], "A")], [0], reports)
    assert (fact.outlets, fact.independent) == (1, 1)


def test_a_contradicting_number_is_no_confirmation() -> None:
    fact = "A 5.6 magnitude quake hit Qeshm island off Iran on Sunday, injuring five people."
    other = "A 5.6 magnitude quake hit Qeshm island off Iran on Sunday, injuring two people."
    story = corroborate._Story([Report((fact,), ("A",)), Report((other,), ("B",))])
    assert story.confirm(fact, 0).articles == ()


# ---- attribution -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("The talks have stalled, diplomats say.", "diplomats"),
        ("Diplomats say the talks have stalled.", "Diplomats"),
        ("The Interior Ministry said 40 people had been arrested.", "The Interior Ministry"),
        ("At least 12 people were killed, according to witnesses.", "witnesses"),
        ("A senior official, who spoke on condition of anonymity, said the deal was done.", "A senior official (unnamed)"),
        ("The deal was done, said one diplomat who asked not to be named.", "one diplomat (unnamed)"),
        ('"We have received around 50 people with injuries," Ema Suryani, a doctor, told AFP.', "Ema Suryani, a doctor"),
        ("The quake struck at 7:37 a.m., according to the U.S. Geological Survey.", "the U.S. Geological Survey"),
        ("Constable Tim Fanning said at least a dozen people were at the party.", "Constable Tim Fanning"),
        ("The governor also said that five people had been treated.", "The governor"),
        ("He said the plan would work.", None),
        ("Forty people died in the attack.", None),
        ("A classified European Union report for 2009 says Israel is pursuing annexation.",
         "A classified European Union report for 2009"),
    ],
)
def test_attribution(sentence: str, who: str | None) -> None:
    assert attribution(sentence) == who


# ---- the check set -----------------------------------------------------------------------------------


def test_check_set_is_marked_consistently() -> None:
    groups = _check_set()
    assert len(groups) >= 30
    assert sum(g["split"] == "held-out" for g, _ in groups.values()) >= len(groups) // 3
    for group, marks in groups.values():
        ids = {a["id"]: a for a in group["articles"]}
        for fact in marks["facts"]:
            assert fact["sentence"] < len(ids[fact["article"]]["sentences"])
            assert set(fact["confirmed_by"]) <= set(ids) - {fact["article"]}
            assert 1 <= fact["independent"] <= 1 + len(fact["confirmed_by"])
        for d in marks["discrepancies"]:
            assert d["a"][0] in ids and d["b"][0] in ids and d["a"][0] != d["b"][0]


def test_check_set_floors() -> None:
    """The dev figures of bench/corroboration.py stay above floors (the held-out third is for the bench only)."""
    tp = fp = c_tp = c_fp = 0
    for group, marks in _check_set().values():
        if group["split"] != "dev":
            continue
        pos = {a["id"]: k for k, a in enumerate(group["articles"])}
        reports = _reports(group)
        unsure = {(d["kind"], tuple(sorted((pos[d["a"][0]], pos[d["b"][0]])))) for d in marks.get("unsure", [])
                  if not d.get("all")}
        unsure_kinds = {d["kind"] for d in marks.get("unsure", []) if d.get("all")}
        gold = {(d["kind"], tuple(sorted((pos[d["a"][0]], pos[d["b"][0]])))) for d in marks["discrepancies"]}
        found = {(d.kind, p) for d in find_disagreements(reports) for p in d.pairs}
        scored = {p for p in found if p not in unsure and p[0] not in unsure_kinds}
        tp, fp = tp + len(scored & gold), fp + len(scored - gold)
        story = corroborate._Story(reports)
        for fact in marks["facts"]:
            own = pos[fact["article"]]
            confirmed = set(story.confirm(group["articles"][own]["sentences"][fact["sentence"]], own).articles)
            wanted = {pos[x] for x in fact["confirmed_by"]}
            c_tp, c_fp = c_tp + len(confirmed & wanted), c_fp + len(confirmed - wanted)
    assert tp / (tp + fp) >= floor("corroboration.dev.discrepancy_precision") and tp >= 20
    assert c_tp / (c_tp + c_fp) >= floor("corroboration.dev.confirmation_precision")


def test_fast_on_a_big_story() -> None:
    """80 articles of 40 sentences: corroborating 7 facts stays well under a few seconds."""
    group, _ = _check_set()["ecb-41"]
    base = [s for a in group["articles"] for s in a["sentences"]]
    reports = [Report(tuple(base[(k + j) % len(base)] for j in range(40)), (f"Outlet {k}",)) for k in range(80)]
    facts = [Fact(reports[k].sentences[0], f"Outlet {k}") for k in range(7)]
    start = time.perf_counter()
    corroborate.corroborate(facts, list(range(7)), reports)
    assert time.perf_counter() - start < 15
