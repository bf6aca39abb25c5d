"""The one exception tree of briefing. The CLI turns each into a one-line message and an exit code."""

from __future__ import annotations


class BriefingError(Exception):
    """Base of every error briefing raises on purpose."""


class ConfigError(BriefingError):
    """The configuration file is missing or invalid (exit status 2)."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class SourceError(BriefingError):
    """A source or one article could not be read."""


class RenderError(BriefingError):
    """The brief could not be rendered."""


class DeliveryError(BriefingError):
    """The brief could not be delivered to every recipient."""


class EngineError(BriefingError):
    """The analysis engine failed: a Dask cluster could not be reached or broke, a worker process died."""


class StoreError(BriefingError):
    """The store could not be opened or written."""


class QueryError(BriefingError):
    """A search query cannot be read (exit status 2, like bad usage)."""
