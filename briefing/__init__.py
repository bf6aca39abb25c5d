"""briefing: turn a day's news articles into a trustworthy daily brief (PDF, HTML, JSON)."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
