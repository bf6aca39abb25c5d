"""The archive: out/index.html and out/briefs.atom after builds on three days, story permalinks, `brief story`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import feedparser
import lxml.html
import pytest
from click.testing import CliRunner

from briefing.archive import Entry, atom_feed, render_index
from briefing.build import build
from briefing.cli import cli
from briefing.store import Store
from tests.desk_days import DAYS, FIRST_DAY, Desk, build_days, morning, tanker_id


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    return build_days(tmp_path_factory.mktemp("desk"))


def _brief_json(desk: Desk, day: date) -> dict:
    return json.loads((desk.out / day.isoformat() / "brief.json").read_text("utf-8"))


def test_index_lists_every_brief_newest_first_with_counts_top_lines_and_links(desk: Desk) -> None:
    page = lxml.html.parse(str(desk.out / "index.html")).getroot()
    sections = page.xpath('//section[@class="brief"]')
    assert [s.get("data-date") for s in sections] == [d.isoformat() for d in reversed(DAYS)]
    for section in sections:
        day = date.fromisoformat(section.get("data-date"))
        data = _brief_json(desk, day)
        count = len(data["stories"])
        assert section.xpath('.//p[@class="count"]')[0].text_content().startswith(f"{count} stories")
        assert [li.text_content() for li in section.xpath('.//ul[@class="toplines"]/li')] == data["top_lines"]
        (heading,) = section.xpath('.//h2/a')
        assert heading.get("href") == f"{day.isoformat()}/brief.html"
        assert heading.xpath('.//time')[0].get("datetime") == day.isoformat()
        # every story of the day, linked to its permalink in the day's brief.html, which has that anchor
        links = [a.get("href") for a in section.xpath('.//ol[@class="stories"]//a')]
        assert links == [f"{day.isoformat()}/brief.html#story-{s['id']}" for s in data["stories"]]
        brief_page = lxml.html.parse(str(desk.out / day.isoformat() / "brief.html")).getroot()
        for story in data["stories"]:
            (anchor,) = brief_page.get_element_by_id(f"story-{story['id']}").xpath('.//a[@class="permalink"]')
            assert anchor.get("href") == f"#story-{story['id']}"
        files = {a.text_content(): a.get("href") for a in section.xpath('.//p[@class="files"]/a')}
        expected = {"HTML": f"{day.isoformat()}/brief.html", "JSON": f"{day.isoformat()}/brief.json"}
        if day == FIRST_DAY:
            expected["PDF"] = f"{day.isoformat()}/brief.pdf"
        assert files == expected
        assert all((desk.out / href).is_file() for href in files.values())


def test_each_story_number_is_its_permalink(desk: Desk) -> None:
    page = lxml.html.parse(str(desk.out / FIRST_DAY.isoformat() / "brief.html")).getroot()
    stories = page.xpath('//article[@class="story"]')
    assert len(stories) == len(desk.briefs[FIRST_DAY]["stories"])
    for number, (article, story) in enumerate(zip(stories, desk.briefs[FIRST_DAY]["stories"], strict=True), start=1):
        (heading,) = article.xpath("./h2")
        assert heading.get("id") == f"story-{story['id']}"
        assert heading.text_content() == f"{number} {story['headline']}"
        (link,) = heading.xpath('./span[@class="number"]/a[@class="permalink"]')
        assert (link.get("href"), link.text_content()) == (f"#story-{story['id']}", str(number))


def test_atom_feed_has_one_entry_per_brief_with_links_and_top_lines(desk: Desk) -> None:
    feed = feedparser.parse(str(desk.out / "briefs.atom"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Test Brief"
    assert [e.title for e in feed.entries] == [f"Test Brief — {d:%A} {d.day} {d:%B %Y}" for d in reversed(DAYS)]
    assert len({e.id for e in feed.entries}) == 3 and all(e.id.startswith("urn:uuid:") for e in feed.entries)
    for entry, day in zip(feed.entries, reversed(DAYS), strict=True):
        data = _brief_json(desk, day)
        assert entry.summary == "\n".join(data["top_lines"])
        assert datetime.fromisoformat(entry.updated) == datetime.fromisoformat(data["generated"])
        alternate = [link.href for link in entry.links if link.rel == "alternate"]
        assert [Path(h).name for h in alternate] == ["brief.html"] and f"{day.isoformat()}/brief.html" in alternate[0]
        enclosures = [link.href for link in entry.links if link.rel == "enclosure"]
        assert len(enclosures) == (1 if day == FIRST_DAY else 0)
    newest = max(datetime.fromisoformat(b["generated"]) for b in desk.briefs.values())
    assert datetime.fromisoformat(feed.feed.updated) == newest.replace(microsecond=0)


def test_rebuilding_a_day_keeps_one_entry_and_its_id(desk: Desk, tmp_path: Path) -> None:
    before = feedparser.parse(str(desk.out / "briefs.atom"))
    build(desk.cfg, DAYS[1], formats=["html", "json"], now=morning(DAYS[1]).replace(hour=9))
    after = feedparser.parse(str(desk.out / "briefs.atom"))
    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    rebuilt = after.entries[1]
    assert datetime.fromisoformat(rebuilt.updated) == morning(DAYS[1]).replace(hour=9)
    page = lxml.html.parse(str(desk.out / "index.html")).getroot()
    assert len(page.xpath('//section[@class="brief"]')) == 3

    # A brief built into another folder is listed there, not in the first folder's archive.
    other = tmp_path / "elsewhere"
    build(desk.cfg, DAYS[2], formats=["json"], out_dir=other, now=morning(DAYS[2]))
    listed = lxml.html.parse(str(other / "index.html")).getroot().xpath('//section[@class="brief"]')
    assert [s.get("data-date") for s in listed] == [DAYS[2].isoformat()]
    assert [a.get("href") for a in listed[0].xpath('.//p[@class="files"]/a')] == [f"{DAYS[2].isoformat()}/brief.json"]
    assert listed[0].xpath('.//h2/a')[0].get("href") == f"{DAYS[2].isoformat()}/brief.json"
    # The store now records that day's brief in the other folder: the first folder's archive, rebuilt with
    # day 1, lists the two days whose files it holds; building day 3 there again brings it back.
    build(desk.cfg, DAYS[0], formats=["html", "json", "pdf"], now=morning(DAYS[0]))
    dates = [s.get("data-date") for s in lxml.html.parse(str(desk.out / "index.html")).getroot().xpath('//section[@class="brief"]')]
    assert dates == [DAYS[1].isoformat(), DAYS[0].isoformat()]
    build(desk.cfg, DAYS[2], formats=["html", "json"], now=morning(DAYS[2]))
    assert len(lxml.html.parse(str(desk.out / "index.html")).getroot().xpath('//section[@class="brief"]')) == 3


def test_untrusted_text_is_escaped_in_the_index_and_the_feed() -> None:
    hostile = 'He said "<script>alert(1)</script>" & left\x0b\x00 the room.'
    entry = Entry(day=date(2026, 3, 30), title="Brief <b>", generated=datetime(2026, 3, 30, 6, tzinfo=UTC),
                  top_lines=(hostile,), stories=({"id": "abc\"onload=x", "headline": "<img src=x onerror=alert(1)>"},),
                  more_stories=0, files={"html": "2026-03-30/brief.html"})
    page = lxml.html.fromstring(render_index([entry], "Brief <b>"))
    assert not page.xpath('//script') and not page.xpath('//img') and not page.xpath('//h1/b')
    assert page.xpath('.//ul[@class="toplines"]/li')[0].text_content() == 'He said "<script>alert(1)</script>" & left the room.'
    assert page.xpath('.//ol[@class="stories"]//a')[0].get("href") == '2026-03-30/brief.html#story-abc"onload=x'
    feed = feedparser.parse(atom_feed([entry], "Brief <b>"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Brief <b>"
    assert feed.entries[0].summary == 'He said "<script>alert(1)</script>" & left the room.'


def test_an_empty_archive_says_so() -> None:
    page = lxml.html.fromstring(render_index([], "Test Brief"))
    assert page.xpath('//p[@class="empty"]')[0].text_content() == "No brief has been built into this folder yet."
    feed = feedparser.parse(atom_feed([], "Test Brief"))
    assert not feed.bozo and feed.entries == []


# ---- brief story ----


def test_brief_story_prints_the_history_day_by_day(desk: Desk) -> None:
    story_id = tanker_id(desk)
    result = CliRunner().invoke(cli, ["story", story_id[:6], "--config", str(desk.config_path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"Story {story_id}: ")
    assert "in 3 briefs, 2026-03-30 to 2026-04-01" in out
    blocks = out.split("\n\n")[1:]
    assert [b.split(" · ")[0] for b in blocks] == [d.isoformat() for d in DAYS]
    assert blocks[0].split("\n")[0].endswith("· new")
    assert all(b.split("\n")[0].endswith("· continuing since 2026-03-30") for b in blocks[1:])
    with Store(desk.cfg.store.path) as store:
        versions = [store.load_brief(d) for d in DAYS]
    for k, (block, data) in enumerate(zip(blocks, versions, strict=True)):
        assert data is not None
        story = next(s for s in data["stories"] if s["id"] == story_id)
        assert f"  {story['headline']}\n" in block
        assert f"{DAYS[k].isoformat()}/brief.html#story-{story_id}" in block
        earlier = set() if k == 0 else set(next(s for s in versions[k - 1]["stories"] if s["id"] == story_id)["key_facts"])
        for fact in story["key_facts"]:
            mark = "+" if k and fact not in earlier else "-"
            assert f"    {mark} {fact}\n" in block
        for issue in story["open_issues"]:
            assert f"    [{issue['status'].replace('_', ' ')}] {issue['topic']}: {issue['question']}\n" in block
    assert "+ " in blocks[1] and "(+ new since the brief of 2026-03-30)" in blocks[1]


def test_brief_story_of_an_unknown_id_is_one_line_and_status_2(desk: Desk) -> None:
    result = CliRunner().invoke(cli, ["story", "ffff0000ffff", "--config", str(desk.config_path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: No brief in the store has a story")
    assert result.stdout == ""
