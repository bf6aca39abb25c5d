"""Open issues: the matters an article presents as unresolved."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.models import OpenIssue


def extract_open_issues(sentences: Sequence[str]) -> list[OpenIssue]:
    """Return the open issues stated in ``sentences`` (evidence verbatim). To be implemented (issue 4)."""
    return []
