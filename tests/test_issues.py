"""Open issues (issue 4): seed expectations, no false alarms on settled news, question form, robustness,
and a pinned quality floor on the Wikinews part of the development set."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from briefing.clean import clean_text
from briefing.ingest.folder import read_article_text
from briefing.issues import extract_open_issues
from briefing.models import OpenIssue
from briefing.text import split_sentences

DATA = Path(__file__).resolve().parent / "data" / "open_issues"
ROOT = DATA.parents[2]


def _issues(text: str) -> tuple[list[str], list[OpenIssue]]:
    sentences = split_sentences(text)
    return sentences, extract_open_issues(sentences)


def _check_form(sentences: list[str], issues: list[OpenIssue]) -> None:
    for issue in issues:
        assert issue.evidence in sentences  # verbatim, one of the given sentences
        assert issue.question.endswith("?") and len(issue.question) > 10
        assert 1 <= len(issue.topic.split()) <= 4
        assert issue.status == "new"


@pytest.fixture(scope="module")
def seed() -> tuple[list[str], list[OpenIssue]]:
    raw = (DATA / "seed" / "nato-iraq-training.txt").read_text(encoding="utf-8")
    return _issues(clean_text(raw))


def test_seed_has_the_four_expected_issues(seed: tuple[list[str], list[OpenIssue]]) -> None:
    sentences, issues = seed
    _check_form(sentences, issues)
    by_topic = {i.topic: i for i in issues}
    assert {"command", "funding", "protection", "training location"} <= set(by_topic)
    assert by_topic["command"].question == "Who will command the NATO mission?"
    assert by_topic["funding"].question == "Who will fund the NATO mission?"  # "it" resolved
    assert by_topic["command"].evidence == by_topic["funding"].evidence  # one sentence, two issues
    assert "whether the US-led coalition would provide that protection" in by_topic["protection"].evidence
    assert "outside the war-scarred country" in by_topic["training location"].evidence
    assert by_topic["protection"].question.startswith("Will the US-led coalition provide")


def test_seed_leaves_out_background_and_opinion(seed: tuple[list[str], list[OpenIssue]]) -> None:
    _, issues = seed
    evidence = " ".join(i.evidence for i in issues)
    assert "Crime has soared" not in evidence
    assert "History does not repeat itself" not in evidence
    assert "race against the clock" not in evidence
    assert len(issues) <= 6


def test_settled_news_yields_no_issue() -> None:
    text = (
        "The parliament approved the budget on Tuesday by 320 votes to 210. "
        "The finance minister said the plan was fair and would protect public services. "
        "Unemployment fell to 4.1% last year, the lowest level since 2001. "
        "Analysts expect growth to slow next year as exports weaken. "
        '"This is a good day for the country," the prime minister told reporters. '
        "The opposition called the budget a missed opportunity."
    )
    assert _issues(text)[1] == []


def test_wikinews_article_without_open_issue_yields_none() -> None:
    body = (DATA / "wikinews" / "gum_news_election.txt").read_text(encoding="utf-8").partition("\n\n")[2]
    assert _issues(body)[1] == []


@pytest.mark.parametrize(
    ("sentence", "topic", "question"),
    [
        ("It remains unclear how long the withdrawal will take.", "withdrawal", "How long will the withdrawal take?"),
        ("The minister refused to say whether the government would fund the new hospital.", "funding",
         "Will the government fund the new hospital?"),
        ("The court is expected to rule next week on whether the appeal has succeeded.", "appeal",
         "Has the appeal succeeded?"),
        ("The president has yet to name the date of the election.", "election date",
         "When will the president name the date of the election?"),
        ("The IDF is investigating the claim.", "claim", "What will the investigation into the claim find?"),
    ],
)
def test_topic_from_clause_head_and_question(sentence: str, topic: str, question: str) -> None:
    sentences, issues = _issues(sentence)
    _check_form(sentences, issues)
    assert [(i.topic, i.question) for i in issues] == [(topic, question)]


@pytest.mark.parametrize(
    ("sentence", "topic", "question"),
    [
        ("The opposition called on the prime minister to publish the report.", "report publication",
         "Will the prime minister publish the report?"),
        ("The union plans to sue the council over the closures.", "council lawsuit",
         "Will the union sue the council over the closures?"),
        ("Campaigners called for an independent inquiry into the collapse.", "independent inquiry",
         "Will there be an independent inquiry?"),
        ("Protesters marched, calling for an end to Mubarak's rule.", "Mubarak's rule",  # one article, not "an an"
         "Will there be an end to Mubarak's rule?"),
        ("There are ongoing negotiations with the rebels.", "negotiations",
         "What will the negotiations with rebels produce?"),
        ("The company denied the allegations.", "allegations", "Are the allegations true?"),
        ("The names of the victims have not been released.", "names",
         "When will the names of the victims be released?"),
        ("The man was arrested on suspicion of fraud.", "fraud", "Will charges of fraud follow?"),
        ("The Bill now faces opposition from peers.", "Bill", "Will the Bill pass?"),
    ],
)
def test_recall_families(sentence: str, topic: str, question: str) -> None:
    """Demands, plans not yet carried out, calls, negotiations, denials, unknowns, suspicion, bills facing votes."""
    sentences, issues = _issues(sentence)
    _check_form(sentences, issues)
    assert [(i.topic, i.question) for i in issues] == [(topic, question)]


@pytest.mark.parametrize(
    "sentence",
    [
        "He attacked Tory plans to process asylum claims abroad.",  # "plans" is a noun: nothing pending
        "A Labour peer has withdrawn proposals to change the law.",  # withdrawn: settled
        "The legislation would have ended the right of male heirs.",  # counterfactual
        "It is hard to see how the plan can work.",  # rhetorical
        "\"Wouldn't this be a good opportunity to start again?\" he asked.",  # rhetorical quoted question
        "MPs urged the government to redraft the clauses.",  # a recommendation
        'He told reporters: "If I would ask you in response to the same question how fast the American forces can '
        'leave Iraq, the answer would be as soon as there is peace."',  # a question put for argument's sake
    ],
)
def test_recall_families_leave_out(sentence: str) -> None:
    assert _issues(sentence)[1] == []


def test_duplicates_are_merged() -> None:
    text = (
        "Diplomats said it was unclear who would fund the mission. "
        "Officials also could not say who would fund the mission in the long run."
    )
    issues = _issues(text)[1]
    assert [i.topic for i in issues] == ["funding"]


def test_pronoun_from_previous_sentence() -> None:
    text = "The committee met Mr John Smith on Monday. It is unclear whether he will resign."
    issues = _issues(text)[1]
    assert [i.question for i in issues] == ["Will Mr John Smith resign?"]


@pytest.mark.parametrize(
    "text",
    [
        " ".join(["whether the council would decide who will fund it"] * 5000),  # one 50,000-word sentence
        " ".join(["word"] * 50_000),
        " ".join(["Who will win? Why did it fail? What is unclear whether?"] * 500),  # only questions
        " ".join(['"We will see whether it works," he said. "Nobody knows who will pay."'] * 300),  # only quotes
        "unless " * 20_000,
        "(((( [[[[ " * 5000,
        "",
    ],
)
def test_pathological_input_returns(text: str) -> None:
    sentences = split_sentences(text)
    issues = extract_open_issues(sentences)
    _check_form(sentences, issues)
    assert len(issues) <= 12


def _load_eval():  # the matching rule lives in the benchmark, next to its guideline
    spec = importlib.util.spec_from_file_location("issues_eval", ROOT / "bench" / "issues_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quality_floor_on_wikinews_dev_set() -> None:
    """Pinned floor: lowering it needs a reason in the commit message (measured F1 0.754 when pinned)."""
    ev = _load_eval()
    gold = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))["articles"]
    tp = npred = ngold = 0
    for article in gold:
        if article["corpus"] != "wikinews":
            continue
        path = DATA / "wikinews" / Path(article["file"]).name
        pred = extract_open_issues(split_sentences(read_article_text(path)))
        hits, _, _ = ev.match(pred, article["issues"])
        tp, npred, ngold = tp + hits, npred + len(pred), ngold + len(article["issues"])
    precision, recall, f1 = ev.prf(tp, npred, ngold)
    assert ngold == 28
    assert f1 >= 0.72, (precision, recall, f1)
