"""Publication dates: the forms feeds and pages really use, read strictly, never guessed from digits elsewhere."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from briefing.clean import extract_html
from briefing.dates import parse_date
from briefing.ingest.feed import read_feed
from briefing.ingest.web import read_web
from briefing.models import Article
from tests.http_server import LocalServer, http_server_fixture  # noqa: F401 - the fixture
from tests.test_ingest_feed import context, feed
from tests.test_ingest_web import web

CET = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020/1/10 14:33:00", datetime(2020, 1, 10, 14, 33, tzinfo=UTC)),
        ("10.01.2020", datetime(2020, 1, 10, tzinfo=UTC)),
        ("2020年1月10日", datetime(2020, 1, 10, tzinfo=UTC)),
        ("2020年1月10日 14:33", datetime(2020, 1, 10, 14, 33, tzinfo=UTC)),
        ("Fri, 10 Jan 2020 14:33:00 +0800", datetime(2020, 1, 10, 6, 33, tzinfo=UTC)),
        ("Fri, 10 Jan 2020 14:33:00 +08:00", datetime(2020, 1, 10, 6, 33, tzinfo=UTC)),
        ("Fri, 10 Jan 2020 14:33:00 CET", datetime(2020, 1, 10, 13, 33, tzinfo=UTC)),
        ("Fri, 10 Jan 2020 14:33 GMT+8", datetime(2020, 1, 10, 6, 33, tzinfo=UTC)),  # news' GMT+8, not POSIX's
        ("Fri, 10 Jan 2020 14:33:00 EST", datetime(2020, 1, 10, 19, 33, tzinfo=UTC)),
        ("Fri, 10 Jan 2020 14:33:00 XYZ", datetime(2020, 1, 10, 14, 33, tzinfo=UTC)),  # unknown zone: the given one
        ("2020-01-10T14:33:00Z", datetime(2020, 1, 10, 14, 33, tzinfo=UTC)),
        ("2020-01-10", datetime(2020, 1, 10, tzinfo=UTC)),
    ],
)
def test_dates_feeds_write(value: str, expected: datetime) -> None:
    assert parse_date(value, UTC) == expected


@pytest.mark.parametrize(
    "value",
    ["2020", "January 2020", "10 Jan", "12:30", "tomorrow", "", "Mon, 32 Jan 2020 10:00:00 GMT",
     "uploadfile/2020-1-10/202011014255757825.jpg", "http://example.com/2019/05/03/story.html"],
)
def test_incomplete_or_foreign_values_are_no_date(value: str) -> None:
    # "2020" alone must not become a day of today's month: nothing is filled in from the clock
    assert parse_date(value, UTC) is None


def test_a_date_without_zone_is_read_in_the_configured_zone() -> None:
    zone = ZoneInfo("Europe/Paris")
    assert parse_date("2020/1/10 14:33:00", zone) == datetime(2020, 1, 10, 14, 33, tzinfo=zone)


def test_feed_dates_feedparser_rejects(http_server: LocalServer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="briefing"):
        items = [a for a in read_feed(feed(http_server, "/feeds/dates.rss"), context()) if isinstance(a, Article)]
    when = {a.title: a.published for a in items}
    assert when["Slashes"] == datetime(2020, 1, 10, 14, 33, tzinfo=UTC)
    assert when["Dots"] == when["Chinese"] == datetime(2020, 1, 10, tzinfo=UTC)
    assert when["Odd zone"] == datetime(2020, 1, 10, 14, 33, tzinfo=CET)
    assert when["GMT offset"] == datetime(2020, 1, 10, 6, 33, tzinfo=UTC)
    # no date, digits in its link and image name: dated by the fetch time, and the log says so
    assert when["No date"] is None and when["Unreadable"] is None
    assert all(a.fetched and a.fetched.date() == context().now.date() for a in items if a.published is None)
    logged = [r.getMessage() for r in caplog.records]
    assert any("no date; it is dated by the fetch time" in m and "/2019/05/03/f" in m for m in logged)
    assert any("an unreadable date 'sometime last week'" in m for m in logged)


def test_page_date_comes_from_metadata_never_the_url(http_server: LocalServer) -> None:
    (article,) = read_web(web(http_server, "/pages/dated-url-only.html?from=/2019/05/03/"), context())
    assert isinstance(article, Article) and article.published is None


def test_deeply_nested_page_falls_back_to_plain_text() -> None:
    body = ("<p>NATO agreed on Friday to train Iraqi security forces, officials in Brussels said.</p>"
            "<p>The mission will start next month with 300 trainers.</p>")
    page = f"<html><head><title>T</title></head><body>{'<div>' * 300}{body}{'</div>' * 300}</body></html>"
    extracted = extract_html(page, name="deep.html")
    assert extracted.text == ("NATO agreed on Friday to train Iraqi security forces, officials in Brussels said."
                              "\n\nThe mission will start next month with 300 trainers.")


def test_extraction_libraries_log_through_ours(caplog: pytest.LogCaptureFixture) -> None:
    trafilatura_logger = logging.getLogger("trafilatura")
    with caplog.at_level(logging.DEBUG):
        extract_html("<html><body><p>" + "Word " * 5 + "</p></body></html>", name="tiny.html")
        trafilatura_logger.error("after extraction")  # outside extraction, the library's own handling
    ours = [r for r in caplog.records if r.name == "briefing.clean"]
    theirs = [r for r in caplog.records if r.name.startswith("trafilatura")]
    assert ours and all(r.getMessage().startswith("tiny.html: ") and r.levelno <= logging.INFO for r in ours)
    assert [r.getMessage() for r in theirs] == ["after extraction"]


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_files_with_a_bom_are_read(tmp_path, codec: str) -> None:  # type: ignore[no-untyped-def]
    from briefing.evaluation import read_article_text

    bom = {"utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}[codec]
    path = tmp_path / "wide.txt"
    path.write_bytes(bom + "Title: Wide\n\nNATO agreed — to train Iraqi forces.\n".encode(codec))
    assert read_article_text(path) == "NATO agreed — to train Iraqi forces."
