"""The day's articles as assembling sees them: the copies that carried each, their outlets, its time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from briefing.models import Analysis
from briefing.urls import outlet_from_url

if TYPE_CHECKING:
    from briefing.config import Config


def source_weights(cfg: Config) -> dict[str, float]:
    return {s.name: s.weight for s in cfg.sources}


def outlet_of(source: Mapping[str, Any]) -> str:
    """The outlet of one copy of an article: its publisher, else its URL's site, else the configured source's name."""
    return str(source.get("outlet") or outlet_from_url(source.get("url")) or source["name"])


def article_sources(analysis: Analysis, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The article's sources as stored, or one made from the article itself when there is no store."""
    if sources:
        return sources
    a = analysis.article
    return [{"outlet": a.outlet or outlet_from_url(a.url), "name": a.source, "title": a.title, "url": a.url,
             "published": a.published.isoformat() if a.published else None}]


def article_time(analysis: Analysis) -> datetime | None:
    return analysis.article.published or analysis.article.fetched


def article_day(analysis: Analysis) -> date | None:
    """The date the article belongs to: its publication date, else its ingest date."""
    when = article_time(analysis)
    return when.date() if when else None


def sort_time(when: datetime | None) -> float:
    return when.timestamp() if when else float("inf")

