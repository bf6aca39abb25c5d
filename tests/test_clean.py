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
