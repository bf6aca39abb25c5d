"""Every sentence the brief presents as a fact appears verbatim in its source article."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.analyse import analyse_article
from briefing.analyse.facts import SUMMARIZERS
from briefing.clean import clean_text
from briefing.ingest import ReadContext
from briefing.ingest.folder import read_article_file
from tests.conftest import NOW, SAMPLES

CTX = ReadContext(store=None, now=NOW, zone=ZoneInfo("UTC"))
ARTICLES = sorted(SAMPLES.glob("*.txt"))


@pytest.mark.parametrize("method", sorted(SUMMARIZERS))
def test_key_facts_are_verbatim_in_every_sample(method: str) -> None:
    for path in ARTICLES:
        article = read_article_file(path, "Samples", CTX, 5_000_000)
        raw = path.read_text(encoding="utf-8")
        analysis = analyse_article(article, 3, method)
        assert 1 <= len(analysis.key_facts) <= 3
        positions = [article.text.index(f) for f in analysis.key_facts]
        assert positions == sorted(positions), "key facts are in article order"
        for fact in analysis.key_facts:
            assert fact in raw or " ".join(fact.split()) in " ".join(raw.split()), f"{path.name}: {fact!r}"
        for issue in analysis.open_issues:
            assert issue.evidence in article.text and (issue.question == "" or issue.question.endswith("?"))


words = st.sampled_from(["NATO", "said", "the", "minister", "Iraq", "U.S.", "talks", "Mr.", "3.5", "\"Yes,\"", "why?", "no!"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(words, min_size=1, max_size=25).map(" ".join), min_size=1, max_size=12))
def test_any_text_gives_verbatim_facts(paragraphs: list[str]) -> None:
    from briefing.models import Article

    text = clean_text("\n\n".join(p + "." for p in paragraphs))
    if not text:
        return
    analysis = analyse_article(Article(id="h", title="t", text=text, source="s"), 3)
    for fact in analysis.key_facts:
        assert fact in text


def test_run_on_text_is_never_a_fact() -> None:
    from briefing.models import Article

    run_on = " ".join(["the minister said NATO would fund the talks"] * 400)
    text = f"Talks resumed in Brussels on Monday.\n\n{run_on}\n\nNo date was set for a vote."
    analysis = analyse_article(Article(id="r", title="t", text=text, source="s"), 3)
    assert analysis.key_facts == ("Talks resumed in Brussels on Monday.", "No date was set for a vote.")
    only = analyse_article(Article(id="r", title="t", text=run_on, source="s"), 3)
    assert only.key_facts == () and all(len(i.evidence) < 2000 for i in only.open_issues)
