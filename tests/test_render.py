"""The rendered brief, checked for structure: PDF read back, HTML parsed, JSON shape."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from briefing.build import BuildResult, build
from briefing.config import Config
from briefing.models import Actor, Article, Brief, OpenIssue, Story
from briefing.render import render_html, render_pdf, write_atomic
from tests.conftest import NOW


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    from briefing.config import load_config
    from tests.conftest import SAMPLES, write_config

    folder = tmp_path_factory.mktemp("brief")
    cfg = load_config(write_config(folder, SAMPLES))
    return build(cfg, date(2026, 11, 25), now=NOW)


def test_writes_every_format(built: BuildResult) -> None:
    assert sorted(built.paths) == ["html", "json", "md", "pdf"]
    for path in built.paths.values():
        assert path.parent.name == "2026-11-25" and path.stat().st_size > 0
    assert not list(built.paths["pdf"].parent.glob(".*"))  # no temporary files left behind


def test_pdf_read_back(built: BuildResult) -> None:
    reader = PdfReader(built.paths["pdf"])
    assert len(reader.pages) >= 4
    meta = reader.metadata
    assert meta.title == "Test Brief — Wednesday 25 November 2026"
    assert meta.creator.startswith("briefing ")
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for story in built.brief.stories:
        for fact in story.key_facts[:1]:
            assert " ".join(fact.split())[:60] in flat
    assert f"Page 1 of {len(reader.pages)}" in flat and "Page 2 of" in flat
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Top lines of the day" in titles and "Contents" in titles
    assert sum(t.split(" ", 1)[1] in {s.headline for s in built.brief.stories} for t in titles if t[0].isdigit()) == len(built.brief.stories)
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), "font not embedded"
    assert any("Brief-Serif" in f for f in fonts) and any("Brief-Sans" in f for f in fonts)


def test_html_sections(built: BuildResult) -> None:
    tree = lxml_html.fromstring(built.paths["html"].read_text(encoding="utf-8"))
    stories = tree.xpath("//article[@class='story']")
    assert len(stories) == len(built.brief.stories) >= 8
    assert tree.xpath("//section[@id='top-lines']//li")
    assert len(tree.xpath("//nav[@id='contents']/ol/li")) == len(stories)
    first = stories[0]
    assert first.xpath(".//h2")[0].text_content().strip().endswith(built.brief.stories[0].headline)
    facts = built.brief.stories[0].facts
    assert [li.text_content() for li in first.xpath(".//ul[@class='facts']/li")] == [f"{f.text} ({f.outlet})" for f in facts]
    assert [f.text for f in facts] == list(built.brief.stories[0].key_facts)
    links = tree.xpath("//ul[@class='sources']/li/a/@href")
    assert len(links) >= len(stories) - 1 and all(link.startswith("http") for link in links)  # the seed has no URL
    index_lists = tree.xpath("//section[@id='actor-index']/ul")
    assert [ul.get("class") for ul in index_lists] == ["index-person", "index-organization", "index-place"]
    for ul in index_lists:
        names = ul.xpath(".//span[@class='index-name']/text()")
        assert names == sorted(names, key=str.lower)
    rows = tree.xpath("//section[@id='issue-table']//tbody/tr")
    assert len(rows) == sum(len(s.open_issues) for s in built.brief.stories) > 0
    nato = [s for s in stories if "NATO leaders agreed in principle" in s.xpath(".//h2")[0].text_content()]
    assert nato, "the seed NATO article is a story of the sample brief"


def test_json_brief(built: BuildResult) -> None:
    data = json.loads(built.paths["json"].read_text(encoding="utf-8"))
    assert set(data) >= {"title", "date", "generated", "top_lines", "stories", "excluded"}
    assert data["date"] == "2026-11-25" and data["generated"].startswith("2026-11-25T06:30:00")
    story = data["stories"][0]
    assert set(story) >= {"id", "headline", "status", "continuing_since", "key_facts", "open_issues", "actors", "sources"}
    assert story["status"] in ("new", "continuing")
    assert set(story["sources"][0]) >= {"name", "title", "url", "published"}


def _tiny_brief(text: str) -> Brief:
    article = Article(id="x", title=text, text=text, source="S<script>", url="javascript:alert(1)")
    story = Story(id="1", headline=text, analyses=(), key_facts=(text,),
                  open_issues=(OpenIssue("funding", "Who will pay?", text),),
                  actors=(Actor("A <b>", "person", role="chief"),))
    from briefing.models import Analysis

    story = Story(**{**story.__dict__, "analyses": (Analysis(article, (text,), (text,)),)})
    return Brief(title="T", date=date(2026, 1, 2), generated=NOW, stories=(story,))


def test_untrusted_text_is_escaped() -> None:
    page = render_html(_tiny_brief("<script>alert('x')</script> & <img src=x onerror=1>"))
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "<img src=x" not in page
    assert "A &lt;b&gt;" in page


def test_pdf_never_fetches_outside_assets(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    brief = _tiny_brief("Plain text.")
    pdf = render_pdf(brief)  # renders with the template's own fonts and stylesheet
    assert pdf.startswith(b"%PDF")
    from briefing.render import _restricted_fetcher

    fetcher = _restricted_fetcher([Path(str(files("briefing.templates")))])
    with pytest.raises(ValueError, match="refusing"):
        fetcher.fetch(secret.as_uri())
    with pytest.raises(ValueError, match="refusing"):
        fetcher.fetch("http://127.0.0.1:9/x.css")


def test_templates_are_package_data() -> None:
    """The built-in templates resolve through the package, as they do from an installed wheel."""
    root = files("briefing.templates")
    for name in ("brief.html", "brief.css", "brief.md", "fonts/DejaVuSerif.ttf", "fonts/LICENSE.txt"):
        assert root.joinpath(name).is_file(), name
    import tomllib

    from tests.conftest import ROOT

    setup = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setup["package-dir"]["briefing.templates"] == "templates"
    assert {"*.html", "*.css", "*.md", "fonts/*"} <= set(setup["package-data"]["briefing.templates"])


def test_user_templates_come_first(tmp_path: Path, sample_config: Config) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "brief.md").write_text("CUSTOM {{ brief.title }} {{ counts.stories }}")
    sample_config.brief.templates_dir = tmp_path / "mine"
    result = build(sample_config, date(2026, 11, 25), formats=["md"], out_dir=tmp_path / "o", now=NOW)
    assert result.paths["md"].read_text().startswith("CUSTOM Test Brief ")


def test_actor_index_merges_aliases_across_stories() -> None:
    from briefing.render import actor_index

    one = Story(id="1", headline="a", analyses=(), key_facts=(),
                actors=(Actor("Hoshyar Zebari", "person", role="Iraq's interim Foreign Minister"), Actor("NATO", "organization")))
    two = Story(id="2", headline="b", analyses=(), key_facts=(), actors=(Actor("Zebari", "person"), Actor("Iraq", "place")))
    brief = Brief(title="T", date=date(2026, 1, 2), generated=NOW, stories=(one, two))
    entries = {e["name"]: e for e in actor_index(brief)}
    assert entries["Hoshyar Zebari"]["stories"] == [1, 2]
    assert entries["Hoshyar Zebari"]["role"] == "Iraq's interim Foreign Minister"
    assert "Zebari" not in entries and entries["Iraq"]["stories"] == [2]


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """Atomic writes go through a temporary file, which mkstemp makes 0600; the brief must stay readable to others
    as a plain open() would leave it (a web server serving out/, a colleague's account)."""
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "brief.html", "<p>brief</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "brief.html").stat().st_mode) == 0o644


def _linked_brief(url: str, text: str = "Plain text.") -> Brief:
    brief = _tiny_brief(text)
    story = brief.stories[0]
    article = Article(id="x", title="The story", text=text, source="Wire", url=url)
    from briefing.models import Analysis

    story = Story(**{**story.__dict__, "analyses": (Analysis(article, (text,), ()),)})
    return Brief(title="T", date=date(2026, 1, 2), generated=NOW, stories=(story,))


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "file:///etc/passwd",
                                 "data:text/html,<script>alert(1)</script>", "//evil.example/x", "vbscript:x"])
def test_only_http_urls_become_links(url: str) -> None:
    from briefing.render import render_markdown

    brief = _linked_brief(url)
    page = lxml_html.fromstring(render_html(brief))
    hrefs = [a.get("href") for a in page.iter("a")]
    assert hrefs and all(h.startswith("#") for h in hrefs)
    assert "The story" in page.text_content()
    markdown = render_markdown(brief)
    assert "](" not in markdown and "The story" in markdown
    pdf = PdfReader(__import__("io").BytesIO(render_pdf(brief)))
    uris = [str(a.get_object()["/A"].get("/URI")) for p in pdf.pages for a in p.get("/Annots") or []
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]
    assert uris == []


def test_http_urls_stay_links_in_every_format() -> None:
    from briefing.render import render_markdown

    url = "https://news.example/2026/01/02/story_(1)"
    brief = _linked_brief(url)
    page = lxml_html.fromstring(render_html(brief))
    assert url in [a.get("href") for a in page.iter("a")]
    assert "[The story](https://news.example/2026/01/02/story_%281%29)" in render_markdown(brief)
    pdf = PdfReader(__import__("io").BytesIO(render_pdf(brief)))
    uris = [str(a.get_object()["/A"].get("/URI")) for p in pdf.pages for a in p.get("/Annots") or []
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]
    assert url in uris


def test_markdown_escapes_article_html_and_markup() -> None:
    from briefing.render import render_markdown

    hostile = "<img src=x onerror=alert(1)> <script>alert(1)</script> <iframe src=//x></iframe> [click](http://x) *b*"
    markdown = render_markdown(_tiny_brief(hostile))
    import re

    for raw in ("<img", "<script", "<iframe", "[click](", "*b*", "S<script>"):
        assert not re.search(r"(?<!\\)" + re.escape(raw), markdown), raw  # only backslash-escaped
    assert r"\<script\>alert(1)\</script\>" in markdown and r"\[click\](http://x)" in markdown


def test_displayed_titles_are_capped() -> None:
    from briefing.render import MAX_TITLE_CHARS, brief_data

    title = "Council " + "word " * 50_000
    brief = _linked_brief("https://news.example/a")
    article = Article(id="x", title=title, text="Plain text.", source="Wire", url="https://news.example/a")
    from briefing.models import Analysis

    story = Story(**{**brief.stories[0].__dict__, "headline": title, "analyses": (Analysis(article, (), ()),)})
    data = brief_data(Brief(title="T", date=date(2026, 1, 2), generated=NOW, stories=(story,)))
    shown = data["stories"][0]
    assert len(shown["headline"]) <= MAX_TITLE_CHARS and shown["headline"].endswith("word…")
    assert len(shown["sources"][0]["title"]) <= MAX_TITLE_CHARS
    pdf = PdfReader(__import__("io").BytesIO(render_pdf(Brief(title="T", date=date(2026, 1, 2), generated=NOW,
                                                            stories=(story,)))))
    assert len(pdf.pages) <= 4


def _big_brief(stories: int = 5, actors_per_story: int = 40, more: int = 60) -> Brief:
    """A brief whose index of actors and "Also reported" are longer than the PDF shows: every story has its own
    actors ("Zed 0-01"…) and "Common Figure", who is in every story."""
    from briefing.models import Analysis

    kinds = ("person", "organization", "place")
    main = []
    for i in range(stories):
        text = f"Council {i} met on Tuesday."
        article = Article(id=f"a{i}", title=f"Story {i}", text=text, source="Wire", url=f"https://news.example/{i}")
        actors = (Actor("Common Figure", "person"),) + tuple(
            Actor(f"Zed {i}-{j:02d}", kinds[j % 3]) for j in range(actors_per_story))
        main.append(Story(id=f"s{i}", headline=f"Story {i}", analyses=(Analysis(article, (text,), (text,)),),
                          key_facts=(text,), actors=actors))
    others = tuple(Story(id=f"m{k}", headline=f"Minor {k:03d}", analyses=(), key_facts=()) for k in range(more))
    return Brief(title="T", date=date(2026, 1, 2), generated=NOW, stories=tuple(main), more_stories=others)


def test_pdf_caps_the_index_and_also_reported(tmp_path: Path) -> None:
    """The PDF lists at most MAX_INDEX_PDF actors (those of most stories) and MAX_MORE_PDF "Also reported" stories
    and says how many more brief.html has; brief.html and brief.json have every one."""
    import re

    from briefing.render import MAX_INDEX_PDF, MAX_MORE_PDF, write_brief

    brief = _big_brief()
    actors = 1 + 5 * 40
    assert actors > MAX_INDEX_PDF and len(brief.more_stories) > MAX_MORE_PDF
    paths = write_brief(brief, tmp_path, ["pdf", "html", "json"])
    reader = PdfReader(paths["pdf"])
    text = "\n".join(page.extract_text() for page in reader.pages)
    index_text = text[text.rindex("Index of actors"):]
    assert index_text.count("→") == MAX_INDEX_PDF  # one arrow before the story numbers of each entry
    assert "Common Figure" in index_text  # the actor of most stories is kept
    assert f"{actors - MAX_INDEX_PDF} more in brief.html" in " ".join(index_text.split())
    minor = set(re.findall(r"Minor \d{3}", text))
    assert minor == {f"Minor {k:03d}" for k in range(MAX_MORE_PDF)}  # the best-ranked first
    assert f"and {len(brief.more_stories) - MAX_MORE_PDF} more in brief.html" in " ".join(text.split())
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert {"Also reported", "Index of actors"} <= set(titles)
    assert reader.metadata.title == "T — Friday 2 January 2026"

    page = lxml_html.fromstring(paths["html"].read_text(encoding="utf-8"))
    assert len(page.xpath("//section[@id='actor-index']//span[@class='index-name']")) == actors
    assert len(page.xpath("//section[@id='more-stories']/ul/li")) == len(brief.more_stories)
    assert not page.xpath("//p[@class='more-note']")
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert len({a["name"] for s in data["stories"] for a in s["actors"]}) == actors
    assert [s["headline"] for s in data["more_stories"]] == [s.headline for s in brief.more_stories]


def test_print_index_keeps_the_actors_of_most_stories() -> None:
    from briefing.render import print_index

    entries = [{"name": f"N{k}", "type": "person", "role": "", "stories": [1] * (k % 4 + 1)} for k in range(10)]
    kept = print_index(entries, cap=5)
    assert [e["name"] for e in kept] == sorted(e["name"] for e in kept)
    assert [e["name"] for e in kept] == ["N1", "N2", "N3", "N6", "N7"]  # in 4, 4, 3, 3 stories; N1 first of the 2s
    assert print_index(entries, cap=10) == entries


def test_an_unchanged_day_is_not_rendered_again(tmp_path: Path) -> None:
    """A second write of the same brief keeps every file as it is (same inode, same mtime), even at a later
    build time; a changed brief, or a file gone, is rendered again."""
    from dataclasses import replace

    from briefing.render import DIGEST_FILE, write_brief

    brief = _tiny_brief("Plain text.")
    formats = ["pdf", "html", "json"]
    paths = write_brief(brief, tmp_path, formats)
    first = {f: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for f, p in paths.items()}
    assert (paths["pdf"].parent / DIGEST_FILE).is_file()
    later = replace(brief, generated=NOW.replace(hour=NOW.hour + 1))
    assert write_brief(later, tmp_path, formats) == paths
    assert {f: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for f, p in paths.items()} == first

    changed = replace(brief, stories=(replace(brief.stories[0], headline="Another headline"),))
    write_brief(changed, tmp_path, formats)
    for fmt, path in paths.items():
        assert path.stat().st_ino != first[fmt][0] and path.read_bytes() != first[fmt][2], fmt
    assert "Another headline" in " ".join(page.extract_text() for page in PdfReader(paths["pdf"]).pages)

    paths["pdf"].unlink()
    html_inode = paths["html"].stat().st_ino
    write_brief(changed, tmp_path, formats)
    assert paths["pdf"].read_bytes().startswith(b"%PDF") and paths["html"].stat().st_ino == html_inode
    assert not list(paths["pdf"].parent.glob(".*"))  # no temporary file left behind
