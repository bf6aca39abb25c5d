"""URLs: the canonical form that identifies an article, and which outlet published it.

An outlet is the publisher a reader knows ("The New York Times"), as opposed to the configured
source it reached us through (a folder called "Newsdesk", a feed). ``briefing/data/outlets.tsv``
maps common news domains to their names; an unknown domain shows as itself (``example.org``).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from urllib.parse import unquote_plus, urlsplit, urlunsplit

# Query parameters that only track the reader, never select the content.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "matomo_", "hsa_", "at_", "__hs", "_hs")
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "twclid", "igshid", "mkt_tok",
        "_ga", "_gl", "ocid", "cmpid", "icid", "ncid", "ito", "ns_mchannel", "ns_source", "ns_campaign",
        "ns_linkname", "ns_fee", "sr_share", "smid", "wt_mc", "wt.mc_id", "soc_src", "soc_trk",
        "ref_src", "ref_url", "xtor", "oly_anon_id", "oly_enc_id", "vero_id",
    }
)
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The URL that identifies an article: tracking parameters, fragment and default port dropped.

    The scheme and host are lower-cased (they are case-insensitive), the path and the remaining
    query parameters are kept in their order (they may select the content), and an empty path
    becomes ``/``. Two links to the same article from two feeds thus compare equal.

    Args:
        url: an absolute URL as found in a feed or config.

    Returns:
        The canonical form; a string that does not parse as a URL is returned stripped.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if not scheme or not parts.netloc:
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and str(port) != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    if parts.username or parts.password:
        auth = parts.username or ""
        if parts.password:
            auth += f":{parts.password}"
        host = f"{auth}@{host}"
    # Filter the raw pairs so the kept ones keep their exact encoding.
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not _is_tracking(unquote_plus(pair.partition("=")[0]))
    )
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


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
