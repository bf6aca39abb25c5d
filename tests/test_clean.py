from __future__ import annotations

import pytest

from briefing.clean import clean_text, decode, derive_title, is_junk_line
from briefing.errors import SourceError
from tests.conftest import SEED


def test_seed_artefacts_removed_and_wording_kept() -> None:
    raw = SEED.read_text(encoding="utf-8")
    text = clean_text(raw)
    assert "![]()" not in text and "WAR.WIRE" not in text
    assert text.startswith("The North Atlantic Treaty Organization (NATO) leaders agreed")
    assert text.rstrip().endswith('History does not repeat itself," the official said.')
    # every kept line of the original is present word for word
    for line in raw.splitlines()[1:-1]:
        assert line.strip() in text
    # one sentence per line in the source becomes one paragraph each
    assert "\n\nBut they left details to be hammered out" in text


@pytest.mark.parametrize(
    "line",
    ["![]() |", "WAR.WIRE |", "Click here to subscribe to our newsletter", "Read more", "Read more: Iraq talks stall",
     "By Jane Doe, Reuters", "BY JOHN SMITH", "Advertisement", "Share this article", "Copyright 2024 Example News"],
)
def test_junk_lines(line: str) -> None:
    assert is_junk_line(line)


@pytest.mark.parametrize(
    "line",
    ["By Tuesday, troops had left.", "From there, the convoy moved north.", "Read the statement below, he said.",
     "NATO leaders met in Brussels."],
)
def test_article_lines_are_kept(line: str) -> None:
    assert not is_junk_line(line)
    assert clean_text(line) == line


def test_whitespace_and_wrapping() -> None:
    text = clean_text("Title line\n\nThe  minister\u00a0said the talks\nwould resume.\r\n\r\n\n\nSecond   paragraph.")
    assert text == "Title line\n\nThe minister said the talks would resume.\n\nSecond paragraph."


def test_decode_other_encodings() -> None:
    assert decode("Le ministre a déclaré que la réunion aura lieu à Genève.".encode("latin-1")).startswith("Le ministre a déclaré")
    assert decode("\ufeffBOM text".encode("utf-8")) == "BOM text"
    with pytest.raises(SourceError, match="empty"):
        decode(b"  \n ")
    with pytest.raises(SourceError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_derived_title_is_short_and_from_the_text() -> None:
    text = clean_text(SEED.read_text(encoding="utf-8"))
    title = derive_title(text)
    assert title == "NATO leaders agreed in principle at a summit in Istanbul last month to provide such training"
    assert derive_title("The United Nations (UN) said on Monday that talks would resume.") == "UN said on Monday that talks would resume"
    long = "Officials " + " ".join(["met"] * 30) + "."
    assert derive_title(long).endswith("…") and len(derive_title(long).split()) == 16
    assert derive_title("Ceasefire holds in the north.\n\nMore text follows here.") == "Ceasefire holds in the north"


@pytest.mark.parametrize(
    ("lead", "title"),
    [
        ("WASHINGTON — President Trump spoke in intimate terms on Tuesday about the talks with North Korea and the "
         "summit that is planned for June, aides said.",
         "President Trump spoke in intimate terms on Tuesday about the talks with North Korea"),
        ("(CNN) -- A convicted bomber could face the death penalty after a jury in Boston found him guilty on Monday.",
         "A convicted bomber could face the death penalty"),
        ("LONDON, May 2 (Reuters) - Britain will hold talks with the European Union next week on trade.",
         "Britain will hold talks with the European Union next week on trade"),
        ("WEST PALM BEACH, Fla. — A teenager was charged with murder on Friday in the death of her mother.",
         "A teenager was charged with murder on Friday in the death of her mother"),
        ("NATO — the alliance of 26 nations — agreed on Friday to train Iraqi forces.",
         "NATO — the alliance of 26 nations — agreed on Friday to train Iraqi forces"),
    ],
)
def test_derived_headline_drops_datelines_and_ends_at_a_clause(lead: str, title: str) -> None:
    derived = derive_title(lead + "\n\nThe second paragraph adds more detail about the events of the day.")
    assert derived == title
    assert 6 <= len(derived.split()) <= 16 and "…" not in derived


@pytest.mark.parametrize(
    "text",
    ["São Paulo é a maior cidade do Brasil.", "Économie: le ministre a démissionné à Genève.",
     "Müller sagte, die Gespräche würden fortgesetzt."],
)
def test_short_latin1_files_decode_as_western(text: str) -> None:
    """Detection alone reads these as Baltic or Central European ('Săo', 'ŕ Genčve', 'M³ller')."""
    assert decode(text.encode("latin-1")) == text


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Scroll down for video", "prompt"),
        ("Star-crossed lovers: Jamie Silvonek (left), 14, and her boyfriend Caleb Barnes, 20, in court.", "caption"),
        ("Mr Flynn (pictured) arrives at the court in Washington on Friday.", "caption"),
        ("Image copyright Getty Images", "caption"),
        ("By . Jane Doe .", "byline"),
        ("By Nada Tawfik, BBC News, New York", "byline"),
        ("PUBLISHED: 12:03 EST, 1 May 2014 | UPDATED: 13:10 EST, 1 May 2014", "byline"),
        ("Copyright 2018 The Associated Press.", "byline"),
        ("Follow us on Twitter for the latest news.", "prompt"),
        ("Share this article", "prompt"),
        ("WASHINGTON —", "dateline"),
        ("(CNN)", "dateline"),
        ("Related stories", "fragment"),
        ("Troops in Basra, 2004", "fragment"),
        ("- LOOK-UP TOOL: Check cases in your area", "fragment"),
        ("Fitness guru Joe Wicks has also called on the Prime Minister not to trade away standards", "unfinished"),
        ("The minister said that " + "the talks, which began in May and were " * 8 + "long.", "run-on"),
        ("NATO agreed on Friday to train Iraqi security forces.", None),
        ("He said the talks would resume.", None),
        ("“We will not give up,” she said.", None),
    ],
)
def test_sentence_junk(sentence: str, kind: str | None) -> None:
    from briefing.clean import sentence_junk

    assert sentence_junk(sentence) == kind


@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("WASHINGTON (Reuters) - The Senate voted on Tuesday to end the shutdown.",
         "The Senate voted on Tuesday to end the shutdown."),
        ("(CNN) -- A convicted bomber could face the death penalty, prosecutors said.",
         "A convicted bomber could face the death penalty, prosecutors said."),
        ("Star-crossed lovers: Jamie Silvonek (left), 14, and her boyfriend Caleb Barnes, 20, pictured together "
         "Prosecutors say the girl planned the killing for weeks.", "Prosecutors say the girl planned the killing for weeks."),
        ("Scroll down for video", None),
        ("The army withdrew from the town on Monday.", "The army withdrew from the town on Monday."),
    ],
)
def test_a_fact_is_a_verbatim_span_without_dateline_or_run_in_caption(sentence: str, span: str | None) -> None:
    from briefing.clean import fact_span

    assert fact_span(sentence) == span
    assert span is None or span in sentence


def test_page_furniture_is_never_a_key_fact() -> None:
    from briefing.analyse import analyse_article
    from briefing.models import Article

    text = ("WASHINGTON (Reuters) - The Senate voted on Tuesday to end the government shutdown after three weeks. "
            "Scroll down for video. "
            "Senator Jane Roe (pictured) speaks to reporters in Washington on Tuesday after the vote on the bill. "
            "By . John Doe . "
            "The House is expected to approve the bill on Wednesday, leaders of both parties said. "
            "PUBLISHED: 12:03 EST, 1 May 2014 | UPDATED: 13:10 EST, 1 May 2014. "
            "The shutdown had closed national parks and delayed pay for 800,000 federal workers.")
    analysis = analyse_article(Article(id="a", title="Senate ends shutdown", text=text, source="S"), facts=3)
    assert analysis.key_facts[0] == "The Senate voted on Tuesday to end the government shutdown after three weeks."
    assert all(f in text for f in analysis.key_facts)
    for furniture in ("Scroll", "(pictured)", "By .", "PUBLISHED", "WASHINGTON"):
        assert not any(furniture in f for f in analysis.key_facts), furniture
