"""The analyst's desk: what changed since the last brief, gone quiet, the watchlist and the calendar.

Three days of real articles (the seed article and Wikinews reports of the samples and of tests/data/keypoints,
CC BY 2.5) go through
``briefing.build.build`` with a real SQLite store, one build a day. The folder source is not an inbox: each
article belongs to the day of its ``Date:`` header, which the test writes (the texts stay as published), so that
the calendar resolves the articles' weekdays and dates against the day of the brief:

- Tue 29 January 2008: NATO and the Iraqi training mission (the seed article), the USAF tanker contract (first
  report), North Korea's "quasi-state of war";
- Wed 30 January: the tanker contract again (a second report: the story continues), Merkel on Georgia and NATO,
  Sarkozy's campaign money;
- Thu 31 January: the tanker contract (the GAO's ruling), the central banks' cash (its "Russia's exchanges will
  re-open on Friday morning": Friday 1 February, across the month end), the Warhol exhibit (which "is to run from
  January 23 through March 9": 23 January is past and not listed, 9 March is).

``now`` is 06:30 on each day, so nothing depends on today's date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import html as lxml_html

from briefing.assemble.calendar import cues, find_dates, future_cues, settles
from briefing.assemble.days import new_facts
from briefing.assemble.watch import find_item
from briefing.build import BuildResult, build
from briefing.config import Config, load_config, parse_config
from briefing.errors import ConfigError
from briefing.models import OpenIssue
from tests.conftest import ROOT, SAMPLES

FIXTURES = ROOT / "tests" / "data" / "keypoints"
DAY1, DAY2, DAY3 = date(2008, 1, 29), date(2008, 1, 30), date(2008, 1, 31)
ARTICLES = {
    DAY1: [SAMPLES / "nato-iraq-training.txt", SAMPLES / "usaf_tanker_contract__100911.txt",
           SAMPLES / "gum_news_korea.txt"],
    DAY2: [SAMPLES / "usaf_tanker_contract__102977.txt", SAMPLES / "amalgum_news_nato.txt",
           SAMPLES / "amalgum_news_sarkozy.txt"],
    DAY3: [SAMPLES / "usaf_tanker_contract__108294.txt", FIXTURES / "markets_sep2008__113278.txt",
           FIXTURES / "gum_news_warhol.txt"],
}
WATCH = """
[watch]
actors = ["de Hoop Scheffer", "North Atlantic Treaty Organization"]
places = ["Iraq"]
terms = ["training mission", "a phrase no article has"]
"""


@dataclass
class Desk:
    cfg: Config
    results: dict[date, BuildResult]

    def json(self, day: date) -> dict:
        return json.loads((self.cfg.brief.output_dir / day.isoformat() / "brief.json").read_text(encoding="utf-8"))

    def html(self, day: date) -> lxml_html.HtmlElement:
        return lxml_html.fromstring((self.cfg.brief.output_dir / day.isoformat() / "brief.html").read_bytes())

    def story(self, day: date, words: str) -> dict:
        (found,) = [s for s in self.json(day)["stories"] if words in s["headline"]]
        return found


def dated_copy(source: Path, folder: Path, day: date) -> None:
    """Copy an article file with its ``Date:`` header set to ``day`` (a header block is added if it has none)."""
    text = source.read_text(encoding="utf-8")
    if re.match(r"(?:[A-Za-z]+: .*\n)+\n", text):
        text = re.sub(r"^Date: .*$", f"Date: {day.isoformat()}", text, count=1, flags=re.MULTILINE)
    else:
        text = f"Date: {day.isoformat()}\n\n{text}"
    (folder / source.name).write_text(text, encoding="utf-8")


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 30, tzinfo=ZoneInfo("UTC"))


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    folder = tmp_path_factory.mktemp("desk")
    articles = folder / "articles"
    articles.mkdir()
    (folder / "config.toml").write_text(f"""
[brief]
title = "Desk Brief"
formats = ["html", "json", "md"]
quiet_days = 1
workers = 1

[store]
path = "store.db"

[[sources]]
name = "Wikinews"
type = "folder"
path = "{articles.as_posix()}"
inbox = false
{WATCH}""", encoding="utf-8")
    cfg = load_config(folder / "config.toml")
    results = {}
    for day, files in ARTICLES.items():
        for source in files:
            dated_copy(source, articles, day)
        formats = ["html", "json", "md", "pdf"] if day == DAY3 else None
        results[day] = build(cfg, day, formats=formats, now=morning(day))
    return Desk(cfg, results)


# ---- what changed -------------------------------------------------------------------------------------------


def test_a_continuing_story_shows_first_what_is_new_since_the_last_brief(desk: Desk) -> None:
    first = desk.story(DAY1, "Boeing")
    second = desk.story(DAY2, "EADS")
    assert second["id"] == first["id"] and second["status"] == "continuing"
    assert second["continuing_since"] == "2008-01-29" and second["new_since"] == "2008-01-29"
    assert second["new_facts"] and set(second["new_facts"]) <= set(second["key_facts"])
    assert not set(second["new_facts"]) & set(first["key_facts"])
    # every key fact not listed as new was in the first day's version of the story
    assert set(second["key_facts"]) - set(second["new_facts"]) <= set(first["key_facts"]) | set(second["new_facts"])
    # a new story has nothing "new since"
    assert all(not s["new_facts"] and s["new_since"] is None for s in desk.json(DAY1)["stories"])

    number = [s["id"] for s in desk.json(DAY2)["stories"]].index(second["id"]) + 1
    article = desk.html(DAY2).get_element_by_id(f"story-{number}")
    headings = [h.text_content() for h in article.findall(".//h3")]
    assert headings[0] == "New since Tue 29 Jan 2008"
    listed = [li.text_content() for li in article.xpath(".//ul[contains(@class, 'new-facts')]/li")]
    assert len(listed) == len(second["new_facts"])
    assert all(li.startswith(fact) for li, fact in zip(listed, second["new_facts"], strict=True))
    markdown = (desk.cfg.brief.output_dir / "2008-01-30" / "brief.md").read_text(encoding="utf-8")
    assert "**New since Tue 29 Jan 2008**" in markdown


def test_a_fact_stated_before_is_not_new_even_in_other_words(desk: Desk) -> None:
    """``new_facts`` compares statements, not strings: a fact of the earlier version, cut or in another outlet's
    words, is not new; the other facts are, in their order."""
    earlier = desk.story(DAY1, "Boeing")
    (story,) = [s for s in desk.results[DAY2].brief.stories if s.id == earlier["id"]]
    old_fact = earlier["key_facts"][0]
    words = old_fact.split()
    shortened = " ".join(words[: len(words) * 2 // 3]) + "."  # its first two thirds, as a shorter copy gives it
    mixed = replace(story, key_facts=(story.key_facts[0], old_fact, shortened, story.key_facts[1]))
    assert new_facts(mixed, earlier) == (story.key_facts[0], story.key_facts[1])
    listed_only = {"id": earlier["id"], "headline": earlier["headline"]}  # "Also reported": no facts were shown
    assert new_facts(mixed, listed_only) == mixed.key_facts


def test_open_issues_of_a_continuing_story_carry_their_status(desk: Desk) -> None:
    third = desk.story(DAY3, "Air Force")
    assert third["status"] == "continuing"
    number = [s["id"] for s in desk.json(DAY3)["stories"]].index(third["id"]) + 1
    badges = [li.xpath(".//*[@class='badge']")[0].text_content()
              for li in desk.html(DAY3).get_element_by_id(f"story-{number}").xpath(".//li[contains(concat(' ', @class, ' '), ' issue ')]")]
    assert badges == [i["status"].replace("_", " ") for i in third["open_issues"]]


def test_stories_that_went_quiet_are_listed_with_their_last_day_for_quiet_days(desk: Desk) -> None:
    day1_ids = {s["id"]: s["headline"] for s in desk.json(DAY1)["stories"]}
    day2 = desk.json(DAY2)
    today = {s["id"] for s in [*day2["stories"], *day2["more_stories"]]}
    quiet = {q["story"]: q for q in day2["gone_quiet"]}
    assert set(quiet) == set(day1_ids) - today and quiet  # Korea at least
    assert any("Korea" in q["headline"] for q in quiet.values())
    assert {q["last_reported"] for q in quiet.values()} == {"2008-01-29"}
    assert all(q["headline"] == day1_ids[q["story"]] for q in quiet.values())
    # quiet_days = 1: on the third day the first day's stories are no longer listed, the second day's are
    day3 = desk.json(DAY3)
    quiet3 = {q["story"]: q["last_reported"] for q in day3["gone_quiet"]}
    day3_ids = {s["id"] for s in [*day3["stories"], *day3["more_stories"]]}
    assert set(quiet3) == {s["id"] for s in day2["stories"]} - day3_ids and quiet3
    assert set(quiet3.values()) == {"2008-01-30"} and not set(quiet3) & set(quiet)
    section = desk.html(DAY3).get_element_by_id("gone-quiet")
    assert section.text_content().count("last reported Wed 30 Jan 2008") == len(quiet3)
    # the first brief has no earlier one: no section at all
    assert not desk.json(DAY1)["gone_quiet"] and not desk.html(DAY1).xpath("//*[@id='gone-quiet']")


# ---- the watchlist ------------------------------------------------------------------------------------------


def test_the_watchlist_finds_actors_by_identity_places_and_terms(desk: Desk) -> None:
    nato = desk.story(DAY1, "NATO")
    hits = {w["item"]: w for w in desk.json(DAY1)["watchlist"]}
    assert list(hits) == ["de Hoop Scheffer", "North Atlantic Treaty Organization", "Iraq", "training mission"]
    assert hits["de Hoop Scheffer"]["kind"] == "actor" and hits["de Hoop Scheffer"]["stories"] == [nato["id"]]
    assert hits["de Hoop Scheffer"]["matched"] == ["Jaap de Hoop Scheffer"]  # the alias finds the full name
    assert nato["id"] in hits["North Atlantic Treaty Organization"]["stories"]  # the gazetteer: NATO
    assert hits["Iraq"]["kind"] == "place" and nato["id"] in hits["Iraq"]["stories"]
    assert hits["training mission"] == {"item": "training mission", "kind": "term", "stories": [nato["id"]],
                                        "matched": ["training mission"]}
    # the second day: Merkel's NATO story, not the tanker contract or Sarkozy
    day2 = {w["item"]: w for w in desk.json(DAY2)["watchlist"]}
    merkel = desk.story(DAY2, "Merkel")
    assert merkel["id"] in day2["North Atlantic Treaty Organization"]["stories"]
    assert "de Hoop Scheffer" not in day2 and "training mission" not in day2


def test_the_watchlist_section_comes_after_the_top_lines_and_links_its_stories(desk: Desk) -> None:
    page = desk.html(DAY1)
    ids = [e.get("id") for e in page.xpath("//body/*[@id]")]
    assert ids.index("top-lines") + 1 == ids.index("watchlist") < ids.index("contents")
    section = page.get_element_by_id("watchlist")
    items = [e.text_content() for e in section.xpath(".//*[@class='watch-item']")]
    assert items == ["de Hoop Scheffer", "North Atlantic Treaty Organization", "Iraq", "training mission"]
    assert "as “Jaap de Hoop Scheffer”" in section.text_content()
    for link in section.xpath(".//a"):
        assert page.xpath(f"//article[@id='{link.get('href')[1:]}']")


def test_no_watchlist_section_on_a_day_without_a_match(desk: Desk) -> None:
    assert desk.results[DAY3].brief.watchlist == () and desk.json(DAY3)["watchlist"] == []
    assert not desk.html(DAY3).xpath("//*[@id='watchlist']")
    markdown = (desk.cfg.brief.output_dir / "2008-01-31" / "brief.md").read_text(encoding="utf-8")
    assert "## Watchlist" not in markdown and "## Watchlist" in (
        desk.cfg.brief.output_dir / "2008-01-29" / "brief.md").read_text(encoding="utf-8")


def test_places_match_with_their_demonyms_and_terms_as_whole_words() -> None:
    assert find_item("Iraq", "place", [], ["Iraqi forces battle militants in Basra"]) == "Iraqi"
    assert find_item("iraq", "place", [], ["the Iraqi forces"]) == "Iraqi"  # written in lower case: any case
    assert find_item("Turkey", "place", [], ["a turkey dinner"]) is None  # a proper noun keeps its case
    assert find_item("training mission", "term", [], ["NATO agreed a Training  Mission."]) == "Training Mission"
    assert find_item("training mission", "term", [], ["retraining missions"]) is None
    assert find_item("training mission", "term", [], ["a headline"], ["The text speaks of a training mission."])
    assert find_item("Scheffer", "actor", [], ["Jaap de Hoop Scheffer said"]) is None  # actors: by the actors only


# ---- the calendar -------------------------------------------------------------------------------------------


def test_coming_up_lists_dated_events_after_the_brief_day(desk: Desk) -> None:
    day1 = desk.json(DAY1)["calendar"]
    nato = desk.story(DAY1, "NATO")
    # "ambassador-level meeting planned for Thursday evening", "at the latest Friday" (Friday 1 February)
    assert {(e["date"], e["story"]) for e in day1} >= {("2008-01-31", nato["id"]), ("2008-02-01", nato["id"])}
    assert [e["date"] for e in day1] == sorted(e["date"] for e in day1)
    # North Korea's "The broadcasts began on August 10": a past act, not an event to come
    assert not [e for e in day1 if e["story"] == desk.story(DAY1, "Korea")["id"]]
    assert any("began on August 10" in a.article.text for s in desk.results[DAY1].brief.stories for a in s.analyses)
    calendar = desk.json(DAY3)["calendar"]
    by_date = {e["date"]: e for e in calendar}
    friday = by_date["2008-02-01"]  # a weekday name across the month end
    assert friday["what"] == "Russia's exchanges will re-open on Friday morning." and friday["when"] == "Friday"
    assert friday["story"] == desk.story(DAY3, "central banks")["id"]
    assert by_date["2008-03-09"]["what"].startswith("USI's exhibit") and by_date["2009-01-30"]
    assert all(e["date"] > "2008-01-31" for e in calendar)  # 23 January (the exhibit's opening) is past
    assert not any("January 23" in e["when"] for e in calendar)
    article_texts = {a.article.title: a.article.text for s in desk.results[DAY3].brief.stories for a in s.analyses}
    assert any("from January 23 through March 9" in t for t in article_texts.values())
    for event in calendar:  # verbatim sentences of the day's articles
        assert any(event["what"] in text for text in article_texts.values())
        assert event["outlet"] and set(event) >= {"date", "what", "story", "outlet", "issues"}


def test_coming_up_and_gone_quiet_come_before_the_index_in_every_format(desk: Desk) -> None:
    page = desk.html(DAY3)
    ids = [e.get("id") for e in page.xpath("//body/*[@id]")]
    assert ids.index("coming-up") < ids.index("gone-quiet") < ids.index("actor-index")
    rows = page.get_element_by_id("coming-up").xpath(".//tbody/tr")
    assert [r.xpath(".//*[@class='event-date']")[0].text_content() for r in rows][:1] == ["Fri 1 Feb 2008"]
    markdown = (desk.cfg.brief.output_dir / "2008-01-31" / "brief.md").read_text(encoding="utf-8")
    assert markdown.index("## Coming up") < markdown.index("## Gone quiet")
    assert "**Fri 1 Feb 2008**: “Russia's exchanges will re-open on Friday morning.”" in markdown
    from pypdf import PdfReader

    reader = PdfReader(str(desk.results[DAY3].paths["pdf"]))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Coming up" in text and "Gone quiet" in text and "Russia's exchanges will re-open" in text


def test_weekdays_resolve_against_the_article_date() -> None:
    thursday = date(2008, 7, 31)
    (friday,) = find_dates("Russia's exchanges will re-open on Friday morning.", thursday)
    assert friday.day == date(2008, 8, 1) and friday.when == "Friday"
    (tuesday,) = find_dates("Parliament will hold the vote on Tuesday.", date(2004, 7, 30))
    assert tuesday.day == date(2004, 8, 3)
    (next_thursday,) = find_dates("The talks resume next Thursday.", thursday)
    assert next_thursday.day == date(2008, 8, 7)
    # weekdays of what was said or done, and weekdays without a word of the future: no event
    assert find_dates("Italian Minister for Defence Ignazio La Russa said Wednesday that his country will send ten "
                      "instructors.", date(2011, 4, 21)) == []
    assert find_dates("The vote on Tuesday was close.", thursday) == []
    assert find_dates("I went back the next Tuesday night and there was almost no one there.", thursday) == []
    assert find_dates("They will meet next week.", thursday) == []  # no day to give


def test_dates_resolve_against_the_article_date() -> None:
    published = date(2004, 12, 10)
    (march,) = find_dates("The minister said on Monday that talks will resume on 12 March.", published)
    assert march.day == date(2005, 3, 12)  # a date of the sentence's future, in next year
    assert find_dates("The ceasefire agreed on 12 March held.", published) == []  # past
    (deadline,) = find_dates("The parties have a deadline of 30 June 2005.", published)
    assert (deadline.day, deadline.when) == (date(2005, 6, 30), "30 June 2005")
    (signing,) = find_dates("The agreement is scheduled to be signed on December 20.", published)
    assert signing.day == date(2004, 12, 20)
    (iso,) = find_dates("Elections are due on 2005-01-30.", published)
    assert iso.day == date(2005, 1, 30)
    (tomorrow,) = find_dates("The summit opens tomorrow.", published)
    assert tomorrow.day == date(2004, 12, 11)
    assert find_dates("He expected the cars of tomorrow to be safe.", published) == []
    assert find_dates("In June 2008 he left, and the 2008 March protests ended.", published) == []  # no day


def test_an_event_is_linked_to_the_open_issue_it_could_settle() -> None:
    funding = OpenIssue("funding", "Who will fund the NATO training mission?",
                        "Other issues included who would command the NATO mission and who would fund it.")
    command = OpenIssue("command", "Who will command the mission?", "Nobody knows who will command it.")
    vote = "NATO ambassadors will decide on Thursday who will fund the training mission."
    assert settles(vote, funding)
    assert not settles("The festival runs through March 11 this year.", command)


def test_the_cue_table_is_data() -> None:
    table = cues()
    assert ("next",) in table.ahead and ("said",) in table.reported and table.relative
    assert future_cues("The vote is due to take place") == [9, 12, 16]  # "is due", "due to", "to take place"
    assert future_cues("They'll vote on Friday.") == [0] and future_cues("They voted on Friday.") == []


# ---- configuration ------------------------------------------------------------------------------------------


def test_watch_and_quiet_days_are_typed_and_errors_say_how_to_fix_them(tmp_path: Path) -> None:
    cfg = parse_config({"watch": {"actors": ["NATO"], "places": ["Iraq"], "terms": ["training mission"]}}, tmp_path)
    assert cfg.watch.items() == [("NATO", "actor"), ("Iraq", "place"), ("training mission", "term")]
    assert cfg.brief.quiet_days == 3
    with pytest.raises(ConfigError) as caught:
        parse_config({"watch": {"actors": "NATO", "people": [], "terms": ["--"]}, "brief": {"quiet_days": -1}}, tmp_path)
    text = "\n".join(caught.value.problems)
    assert """Config value 'watch.actors': expected a list of strings, got 'NATO'; write it in brackets: actors = ["NATO"]""" in text
    assert "Config key 'watch.people' is unknown: remove it or use one of actors, places, terms" in text
    assert "Config value 'watch.terms[0]'" in text and "Config value 'brief.quiet_days'" in text


def test_the_sample_config_documents_the_watchlist() -> None:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    for key in ("[watch]", "actors =", "places =", "terms =", "quiet_days ="):
        assert key in text
    load_config(ROOT / "config.toml")  # and it stays valid
