"""Open issues: seed expectations, no false alarms on settled news, question form and checks, the article's own
questions, merging across articles and the cap, robustness, and pinned quality floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing import evaluation as issues_eval
from briefing.analyse.issues import extract_open_issues, rule_issues
from briefing.analyse.issues.questions import check_question
from briefing.analyse.issues.story import StoryIssue, cap_issues
from briefing.analyse.sentences import split_sentences
from briefing.clean import clean_text
from briefing.config import Config
from briefing.evaluation import read_article_text
from briefing.models import Actor, Analysis, Article, OpenIssue, Story
from tests.quality import floor

DATA = Path(__file__).resolve().parent / "data" / "open_issues"
ROOT = DATA.parents[2]


def _issues(text: str) -> tuple[list[str], list[OpenIssue]]:
    sentences = split_sentences(text)
    return sentences, extract_open_issues(sentences)


def _rules(text: str) -> tuple[list[str], list[OpenIssue]]:
    sentences = split_sentences(text)
    return sentences, rule_issues(sentences)


def _check_form(sentences: list[str], issues: list[OpenIssue]) -> None:
    for issue in issues:
        assert issue.evidence in sentences  # verbatim, one of the given sentences
        assert issue.question == "" or (issue.question.endswith("?") and len(issue.question) > 10)
        if issue.question:  # every question shown passes the checks
            i = sentences.index(issue.evidence)
            assert check_question(issue.question, issue.evidence, sentences[i - 1] if i else "") is None
        assert 1 <= len(issue.topic.split()) <= 4
        assert issue.status == "new"


@pytest.fixture(scope="module")
def seed() -> tuple[list[str], list[OpenIssue]]:
    raw = (DATA / "seed" / "nato-iraq-training.txt").read_text(encoding="utf-8")
    return _issues(clean_text(raw))


def test_seed_has_the_five_expected_issues(seed: tuple[list[str], list[OpenIssue]]) -> None:
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
    assert any(i.question == "Will an agreement be reached?" for i in issues)  # the fifth: the agreement itself


def test_seed_leaves_out_background_and_opinion(seed: tuple[list[str], list[OpenIssue]]) -> None:
    _, issues = seed
    evidence = " ".join(i.evidence for i in issues)
    assert "Crime has soared" not in evidence
    assert "History does not repeat itself" not in evidence
    assert "race against the clock" not in evidence
    assert len(issues) <= 8


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
    sentences, issues = _rules(sentence)
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
    sentences, issues = _rules(sentence)
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
    assert _rules(sentence)[1] == []
    assert [i for i in _issues(sentence)[1] if i.question] == []


def test_duplicates_are_merged() -> None:
    text = (
        "Diplomats said it was unclear who would fund the mission. "
        "Officials also could not say who would fund the mission in the long run."
    )
    issues = _issues(text)[1]
    assert [i.topic for i in issues] == ["funding"]
    assert [i.topic for i in _rules(text)[1]] == ["funding"]


def test_pronoun_from_previous_sentence() -> None:
    text = "The committee met Mr John Smith on Monday. It is unclear whether he will resign."
    issues = _issues(text)[1]
    assert [i.question for i in issues] == ["Will Mr John Smith resign?"]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # another person named before the pronoun: it is not resolved (was "Hillary Clinton's former ... advisor")
        ("Hillary Clinton criticised the decision. It is unclear whether Trump offered a pardon to his former national "
         "security advisor.", "Did Trump offer a pardon to his former national security advisor?"),
        ("Trump met Hillary Clinton on Monday. It is unclear whether he will resign.", "Will he resign?"),  # two people
        ("Governor Andrew Cuomo has not said whether he will run for a third term.",  # whole name, not "Governor Andrew"
         "Will Governor Andrew Cuomo run for a third term?"),
    ],
)
def test_a_pronoun_is_replaced_only_by_a_certain_referent(text: str, question: str) -> None:
    assert [i.question for i in _rules(text)[1]] == [question]


@pytest.mark.parametrize(
    ("question", "evidence"),
    [  # the malformed questions of the real 76-article day
        ("Will there be the interviewing Trump?", "Mueller's team discussed the possibility of interviewing Trump."),
        ("Had the president criminal intent when he fired James B?",
         "The question is whether the president had criminal intent when he fired James B. Comey."),
        ("Will the Trump campaign dismiss that case, arguing in court filings that the Trump is a?",
         "The Trump campaign moved to dismiss that case, arguing in court filings that the Trump is a private entity."),
        ("Will the the council decide?", "The council will decide."),  # doubled article
        ("Who will the minister appoint to?", "Who the minister will appoint to the board is unclear."),  # dangling
        ("Will Governor Andrew run for a third term?", "Governor Andrew Cuomo has not said whether he will run."),
        ("Will Obama resign?", "It is unclear whether Mr Smith will resign."),  # a name not in the evidence
        ("The council will decide?", "The council will decide."),  # no question word
        ("Who the mission?", "Who would fund the mission is unclear."),  # no verb
    ],
)
def test_malformed_questions_are_rejected(question: str, evidence: str) -> None:
    assert check_question(question, evidence) is not None


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("Who will fund the NATO mission?", "Other issues included who would command the NATO mission and who would fund it."),
        ("Will the court sentence Tsarnaev to death?", "The court will decide whether to sentence Tsarnaev to death."),
        ("Has the appeal succeeded?", "The court is expected to rule next week on whether the appeal has succeeded."),
        ("Is the report true?", "The report could not be independently confirmed."),
    ],
)
def test_well_formed_questions_pass(question: str, evidence: str) -> None:
    assert check_question(question, evidence) is None


def test_malformed_phrasing_is_dropped_but_the_evidence_kept() -> None:
    text = ("Mueller's team discussed the possibility of interviewing Trump, according to two people familiar with "
            "the talks, and it remains unclear whether the president had criminal intent when he fired James B. Comey.")
    sentences, issues = _issues(text)
    _check_form(sentences, issues)
    for i in issues:
        assert "interviewing Trump?" not in i.question and "James B?" not in i.question


@pytest.mark.parametrize(
    ("text", "question"),
    [  # the article's own questions (point 5)
        ("Dzhokhar Tsarnaev was convicted on Wednesday of all 30 charges. Tsarnaev could face the death penalty.",
         "Will Tsarnaev face the death penalty?"),
        ('"Will he resign?" reporters asked the minister on Tuesday. He did not answer.', "Will he resign?"),
        ("Governor Andrew Cuomo has not said whether he will run for a third term.",
         "Will Governor Andrew Cuomo run for a third term?"),
        ("It remains to be seen whether Athens will have the money to pay the IMF on 9 April.",
         "Will Athens have the money to pay the IMF on 9 April?"),
        ("Local media said the rebel commander was killed in an air strike. The report could not be independently "
         "confirmed.", "Is the report true?"),
        ("It is unclear whether the talks will resume next week.", "Will the talks resume next week?"),
    ],
)
def test_the_articles_own_questions_are_found(text: str, question: str) -> None:
    sentences, issues = _issues(text)
    _check_form(sentences, issues)
    assert question in [i.question for i in issues]


def _story(texts: list[tuple[str, str]], actors: tuple[Actor, ...] = ()) -> Story:
    analyses = []
    for k, (outlet, text) in enumerate(texts):
        sentences = tuple(split_sentences(text))
        article = Article(id=f"a{k}", title=f"t{k}", text=text, source="Wire", outlet=outlet)
        analyses.append(Analysis(article=article, sentences=sentences, key_facts=(),
                                 open_issues=tuple(extract_open_issues(list(sentences)))))
    merged = tuple(i for a in analyses for i in a.open_issues)
    return Story(id="s", headline="h", analyses=tuple(analyses), key_facts=(), open_issues=merged, actors=actors)


def test_issues_of_different_articles_asking_the_same_thing_are_merged_with_their_outlets() -> None:
    story = _story([
        ("Reuters", "It is unclear whether the talks will resume next week."),
        ("AP", "Officials said it was unclear whether the talks would resume next week."),
        ("BBC", "It remains unclear who will fund the new hospital."),
    ])
    capped = cap_issues(story, 5)
    talks = [i for i in capped.open_issues if "talks" in i.question]
    assert len(talks) == 1
    assert isinstance(talks[0], StoryIssue)
    assert {s["outlet"] for s in talks[0].sources} == {"Reuters", "AP"}
    assert any("fund" in i.question for i in capped.open_issues)


def test_the_cap_keeps_the_most_confident_and_salient() -> None:
    text = " ".join([
        "It is unclear whether the talks will resume next week.",
        "Governor Andrew Cuomo has not said whether he will run for a third term.",
        "It remains unclear who will fund the new hospital.",
        "The minister refused to say whether the government would sell the airport.",
        "It is not known whether the bridge will reopen in May.",
        "Officials have yet to decide whether the stadium will be rebuilt.",
        "The council has not said whether the library will close.",
    ])
    story = _story([("Reuters", text)], actors=(Actor("Andrew Cuomo", "person", mentions=5),))
    assert len([i for i in story.open_issues if i.question]) > 3
    capped = cap_issues(story, 3)
    assert len(capped.open_issues) == 3
    assert any("Cuomo" in i.question for i in capped.open_issues)  # the story's main actor ranks up
    scores = [i.score for i in capped.open_issues if isinstance(i, StoryIssue)]
    assert scores == sorted(scores, reverse=True)
    assert cap_issues(story, 0).open_issues == ()


def test_an_issue_settled_in_the_same_story_is_dropped() -> None:
    story = _story([
        ("Reuters", "Tsarnaev could face the death penalty."),
        ("AP", "A federal jury sentenced Tsarnaev to the death penalty on Friday."),
    ])
    assert any("death penalty" in i.question for i in story.open_issues)
    assert not any("death penalty" in i.question for i in cap_issues(story, 5).open_issues)


def test_issues_per_story_config() -> None:
    from briefing.config import BriefConfig, parse_config
    from briefing.errors import ConfigError

    assert BriefConfig().issues_per_story == 5
    assert parse_config({"brief": {"issues_per_story": 2}}, ROOT).brief.issues_per_story == 2
    with pytest.raises(ConfigError):
        parse_config({"brief": {"issues_per_story": -1}}, ROOT)


def test_agreement_figures() -> None:
    assert issues_eval.cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == 1.0
    assert abs(issues_eval.fleiss_kappa([[1, 0, 1, 0], [1, 0, 1, 0], [1, 0, 0, 0]]) - 23 / 35) < 1e-9
    a = [{"topic": "vote", "question": "Will it pass?", "evidence": [{"line": 2, "prefix": "x"}]}]
    b = [{"topic": "vote", "question": "Will it pass?", "evidence": [{"line": 2, "prefix": "x"}, {"line": 3, "prefix": "y"}]},
         {"topic": "fund", "question": "Who will fund it?", "evidence": [{"line": 5, "prefix": "z"}]}]
    c = [{"topic": "fund", "question": "Who will fund it?", "evidence": [{"line": 5, "prefix": "z"}]}]
    adj = issues_eval.adjudicate([a, b, c])
    assert [(i["topic"], [e["line"] for e in i["evidence"]]) for i in adj] == [("vote", [2]), ("fund", [5])]


def test_detokenise_ecbplus_lines() -> None:
    line = "Ketsoyan would not say what the `` American Pie '' star was n't being treated for ."
    assert issues_eval.detokenise(line) == 'Ketsoyan would not say what the "American Pie" star wasn\'t being treated for.'


def test_annotated_set_is_complete_and_split_by_document() -> None:
    arts = issues_eval.load_set()
    assert len(arts) == 300 and len({a["doc"] for a in arts}) == 300
    batches = json.loads((DATA / "batches.json").read_text(encoding="utf-8"))
    assert all(a["split"] == batches["split"][a["doc"]] for a in arts)
    adjudicated = json.loads((DATA / "annotated" / "adjudicated.json").read_text(encoding="utf-8"))["articles"]
    assert {a["doc"] for a in adjudicated} == set(batches["shared"])


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


def test_quality_floor_on_wikinews_dev_set() -> None:
    """Pinned floor on the Wikinews part of gold.json (since the detector, part of its training data: a regression
    check, not a generalisation figure; measured evidence-only F1 0.651 when pinned)."""
    gold = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))["articles"]
    tp = npred = ngold = 0
    for article in gold:
        if article["corpus"] != "wikinews":
            continue
        path = DATA / "wikinews" / Path(article["file"]).name
        sentences = split_sentences(read_article_text(path))
        pred = extract_open_issues(sentences)
        hits, _, _ = issues_eval.match(pred, article["issues"], False, sentences)
        tp, npred, ngold = tp + hits, npred + len(pred), ngold + len(article["issues"])
    precision, recall, f1 = issues_eval.prf(tp, npred, ngold)
    assert ngold == 28
    assert f1 >= floor("issues.wikinews_dev.evidence_f1"), (precision, recall, f1)


def test_quality_floor_on_ecbplus_dev_split() -> None:
    """Pinned floor on the ECB+ dev split (measured evidence-only P 0.737, F1 0.667 when pinned); the 24 dev
    documents' texts (CC BY 3.0) are in tests/data/open_issues/ecbplus_dev_docs.jsonl."""
    docs = issues_eval.load_ecbplus(Path(__file__).parent / "data" / "open_issues" / "ecbplus_dev_docs.jsonl")
    total = issues_eval.Counts()
    for a in issues_eval.load_set():
        if a["split"] == "dev":
            sentences = issues_eval.ecbplus_sentences(a, docs)
            total.add(issues_eval.score_article(extract_open_issues(sentences), a["issues"], sentences))
    precision, recall, f1 = issues_eval.prf(total.etp, total.pred, total.gold)
    assert precision >= floor("issues.ecbplus_dev.evidence_precision"), (precision, recall, f1)
    assert f1 >= floor("issues.ecbplus_dev.evidence_f1"), (precision, recall, f1)


# --- the cue table, the word lists, and rule bugs --------------------------------------------------------------


def test_every_cue_is_named_once_and_asked_by_an_asker() -> None:
    from briefing.analyse.issues.cues import CUE_BY_NAME, CUES
    from briefing.analyse.issues.rules import ASKERS

    assert len(CUE_BY_NAME) == len(CUES)  # a repeated name would hide a cue
    for cue in CUES:
        assert cue.side in {"subj", "obj"} and cue.ask in ASKERS and cue.keys, cue.name
        if cue.ask == "fixed":  # the same matter every time: its own topic and question
            assert cue.topic and cue.question.endswith("?"), cue.name
        else:
            assert "{t}" in cue.question, cue.name
    # the cues the article uses to state a matter open lower the detector's threshold
    from briefing.analyse.issues import EXPLICIT_CUES

    assert {"cue:remains_unclear", "cue:refused", "cue:quoted_question"} <= EXPLICIT_CUES
    assert "cue:unless" not in EXPLICIT_CUES


def test_word_class_files_are_checked_when_read() -> None:
    from briefing.analyse.issues import wordlists

    assert wordlists.parse_word_classes("# comment\nwould\taux=will modal\n") == {"aux": {"would": "will"},
                                                                                 "modal": {"would": ""}}
    with pytest.raises(ValueError, match="line 2"):
        wordlists.parse_word_classes("a\tstop\nb stop\n", "x.tsv")  # a space, not a tab
    with pytest.raises(LookupError, match="no word of class 'stopp'"):
        wordlists.word_class(wordlists.RULE_WORDS, "stopp")
    nouns = {verb: noun for verb, noun, _ in wordlists.verb_nouns()}
    assert nouns["fund"] == "funding" and len(nouns) == len(wordlists.verb_nouns())  # one line per verb


def test_a_rule_bug_is_an_error_not_a_dropped_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.analyse.issues import rules

    sentences = ["The date of the vote remains unclear."]
    assert extract_open_issues(sentences)  # the subject-side cue "remains unclear" phrases an issue

    def broken(*args: object) -> None:
        raise IndexError("a clause shape the asker does not cover")

    monkeypatch.setitem(rules.ASKERS, "subject", broken)
    with pytest.raises(IndexError):
        extract_open_issues(sentences)
    with pytest.raises(IndexError):
        rule_issues(sentences)


def test_an_article_whose_issue_rules_fail_is_left_out_and_the_brief_built(
    sample_config: Config, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging
    from datetime import date

    import briefing.analyse.issues as issues
    from briefing.build import build
    from tests.conftest import NOW

    real = issues.scan_sentence
    marker = "Sulat al-Fursan"  # a phrase of one sample article only (amalgum_news_basra.txt)

    def scan(index: int, sentences: list[str]) -> object:
        if marker in sentences[index]:
            raise KeyError("a rule bug")
        return real(index, sentences)

    monkeypatch.setattr(issues, "scan_sentence", scan)
    sample_config.brief.workers = 1  # the patched rules run in this process only
    with caplog.at_level(logging.WARNING, logger="briefing.build"):
        result = build(sample_config, date(2026, 11, 25), formats=["json"], now=NOW)
    failed = [e for e in result.brief.excluded if "analysis failed" in e.error]
    assert failed and all("a rule bug" in e.error and "Basra" in e.item for e in failed)
    assert any("not included" in r.getMessage() and "Basra" in r.getMessage() for r in caplog.records)
    assert len(result.brief.stories) >= 8 and result.paths["json"].exists()
    shown = [a.article.title for s in result.brief.stories + result.brief.more_stories for a in s.analyses]
    assert not any("Basra for second day" in t for t in shown)
