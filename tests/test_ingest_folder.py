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
    assert a.fetched == NOW
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


def test_only_the_folders_own_regular_files_are_read(tmp_path: Path) -> None:
    import os
    import socket

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "own.txt").write_text("Diplomats met in Brussels on Monday. They agreed to meet again.\n")
    (folder / "alias.txt").symlink_to(folder / "own.txt")  # a link inside the folder is read
    secret = tmp_path / "secret.txt"
    secret.write_text("Internal note: the password is hunter2 and the server is in room 4.\n")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "secret.txt").symlink_to(secret)
    (folder / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "linked.txt").write_text("A file in a linked folder outside this one is not read.\n")
    (folder / "linked-dir.txt").symlink_to(tmp_path / "elsewhere")
    (folder / "sub").symlink_to(tmp_path / "elsewhere", target_is_directory=True)  # not walked into
    os.mkfifo(folder / "pipe.txt")  # reading it would block for ever
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    try:
        articles, excluded = read(folder)
    finally:
        sock.close()
    assert sorted(Path(a.id).name for a in articles) == ["own.txt", "own.txt"]
    assert all("hunter2" not in a.text and "root:" not in a.text for a in articles)
    reasons = {e.item: e.error for e in excluded}
    outside = "a link to a file outside the folder; skipped"
    assert reasons == {
        "passwd.txt": outside, "secret.txt": outside, "dangling.txt": outside, "linked-dir.txt": outside,
        "pipe.txt": "a FIFO, not a regular file; only regular files are read",
        "sock.txt": "a socket, not a regular file; only regular files are read",
    }


def test_summarize_refuses_devices_and_fifos_in_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    os.mkfifo(tmp_path / "pipe.txt")
    for target, kind in (("/dev/zero", "a character device"), (str(tmp_path / "pipe.txt"), "a FIFO")):
        done = subprocess.run([sys.executable, "-m", "briefing", "summarize", target], capture_output=True, text=True,
                              timeout=60, cwd=tmp_path)
        assert done.returncode == 1
        assert done.stderr.strip().splitlines() == [
            f"Error: {Path(target).name}: {kind}, not a regular file; only regular files are read"]
