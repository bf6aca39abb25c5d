"""URLs: which outlet published an article, from its address.

An outlet is the publisher a reader knows ("The New York Times"), as opposed to the configured
source it reached us through (a folder called "Newsdesk", a feed). ``briefing/data/outlets.tsv``
maps common news domains to their names; an unknown domain shows as itself (``example.org``).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

# Host labels that name a site's edition or device, not the outlet: "www.bbc.co.uk" is bbc.co.uk.
_EDITION_LABELS = frozenset({"www", "www1", "www2", "m", "mobile", "amp", "edition", "uk", "us", "eu", "intl",
                             "international", "feeds", "rss", "news"})


@cache
def _outlets() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in files("briefing.data").joinpath("outlets.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            domain, _, name = line.partition("\t")
            table[domain.strip().lower()] = name.strip()
    return table


def site_of(url: str | None) -> str | None:
    """The site an http(s) URL belongs to, without edition labels (``https://www.bbc.co.uk/x`` -> ``bbc.co.uk``)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or "." not in host:
        return None
    labels = host.split(".")
    while len(labels) > 2 and labels[0] in _EDITION_LABELS and ".".join(labels) not in _outlets():
        labels = labels[1:]
    return ".".join(labels)


def outlet_from_url(url: str | None) -> str | None:
    """The outlet's name for an article URL: the table's name for its domain (or a parent domain), else the site."""
    site = site_of(url)
    if site is None:
        return None
    labels = site.split(".")
    for start in range(len(labels) - 1):
        name = _outlets().get(".".join(labels[start:]))
        if name:
            return name
    return site


def outlet_for(url: str | None, *named: str | None) -> str | None:
    """An article's outlet: the table's name for its URL's domain, else the first name its metadata gives
    (a header's ``Outlet:``, a feed item's source, a page's ``og:site_name``, the feed's title), else its site.

    The table wins over a page's own spelling so that one outlet keeps one name across feeds and pages.
    """
    site = site_of(url)
    known = outlet_from_url(url)
    if known and known != site:
        return known
    return next((" ".join(n.split()) for n in named if n and n.strip()), None) or site
