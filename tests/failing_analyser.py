"""A test-only analyser that Dask workers and pool processes import by name: it fails on a marked article.

Kept apart from the test modules so that a worker importing it loads only the analysis (never the store).
"""

from __future__ import annotations

import os

from briefing.analyse import analyse_article
from briefing.models import Analysis, Article

FAIL = "BRIEFING-TEST-FAIL"  # an article whose text holds this fails with ValueError
KILL = "BRIEFING-TEST-KILL"  # an article whose text holds this kills the process analysing it


def analyse_or_fail(article: Article, facts: int = 3, method: str = "default") -> Analysis:
    """``analyse_article``, except for marked articles."""
    if FAIL in article.text:
        raise ValueError(f"marked to fail: {article.title}")
    if KILL in article.text:
        os._exit(13)  # a worker that dies (a crash in a C extension, the OOM killer)
    return analyse_article(article, facts, method)
