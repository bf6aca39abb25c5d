"""HTTP for the feed and web readers: one polite, bounded fetch, and URL canonicalisation.

``fetch`` sends a User-Agent naming the tool, limits redirects, retries connect errors, 429 and
5xx with back-off, caps the bytes read while streaming, checks the content type, and makes
conditional GETs with the ETag / Last-Modified kept in the store's ``http_cache`` table. Every
failure is raised as ``SourceError`` with a message a user can act on.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_plus, urlsplit, urlunsplit

logger = logging.getLogger(__name__)

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
