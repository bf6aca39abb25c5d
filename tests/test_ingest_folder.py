from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from briefing.config import SourceConfig
from briefing.ingest import READERS, ReadContext
from briefing.ingest.folder import split_header
from briefing.models import Article, Excluded
from tests.conftest import NOW

CTX = ReadContext(store=None, now=NOW, zone=ZoneInfo("UTC"))


def read(folder: Path) -> tuple[list[Article], list[Excluded]]:
    items = list(READERS["folder"](SourceConfig(name="F", type="folder", path=folder, max_bytes=100_000), CTX))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Excluded)]


def test_header_block() -> None:
    header, body = split_header("Title: NATO agrees\nDate: 2004-08-05\nSource: https://example.org/s\n\nBody text.")
    assert header == {"title": "NATO agrees", "date": "2004-08-05", "source": "https://example.org/s"}
    assert body == "Body text."
    # an ordinary first paragraph with a colon is not a header
    assert split_header("Update: talks resumed today.\n\nMore.")[0] == {}
    assert split_header("Note: nothing\nmore text here\n\nBody")[0] == {}


def test_reads_txt_md_html_and_reports_bad_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title: Talks resume\nDate: 2004-08-05\nSource: https://example.org/a\n\n"
                                    "Diplomats met in Brussels. They agreed to meet again.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("Ministers met in Geneva on Monday.\n\nNo deal was reached.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes("Le ministre a déclaré que la réunion aura lieu à Genève la semaine prochaine.".encode("latin-1"))
    (tmp_path / "d.html").write_text(
        "<html><head><title>Summit ends</title></head><body><nav>Home | World</nav><article><h1>Summit ends</h1>"
        + "".join(f"<p>The summit ended on day {i} with a joint statement from all the leaders present there.</p>" for i in range(6))
        + "</article><footer>Copyright</footer></body></html>", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "huge.txt").write_text("word " * 50_000)
    (tmp_path / "only-junk.txt").write_text("![]() |\nWAR.WIRE |\n")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF-1.4")
    articles, excluded = read(tmp_path)
    by_name = {Path(a.id).name: a for a in articles}
    assert sorted(by_name) == ["a.txt", "b.md", "c.txt", "d.html"]
    a = by_name["a.txt"]
    assert (a.title, a.url, a.published.isoformat(), a.source) == (
        "Talks resume", "https://example.org/a", "2004-08-05T00:00:00+00:00", "F")
    assert a.fetched == NOW and a.day.isoformat() == "2004-08-05"
    assert by_name["b.md"].title == "Ministers met in Geneva on Monday" and by_name["b.md"].published is None
    assert "déclaré" in by_name["c.txt"].text
    html = by_name["d.html"]
    assert html.title == "Summit ends" and "joint statement" in html.text and "Home | World" not in html.text
    reasons = {e.item: e.error for e in excluded}
    assert set(reasons) == {"empty.txt", "huge.txt", "only-junk.txt"}
    assert "empty" in reasons["empty.txt"]
    assert "over the 100,000-byte limit" in reasons["huge.txt"]
    assert "no article text" in reasons["only-junk.txt"]


def test_missing_folder_is_one_exclusion(tmp_path: Path) -> None:
    from briefing.config import parse_config
    from briefing.ingest import read_sources

    cfg = parse_config({"sources": [{"name": "Gone", "type": "folder", "path": "nowhere"}]}, tmp_path)
    (item,) = list(read_sources(cfg, CTX))
    assert isinstance(item, Excluded) and "does not exist" in item.error
