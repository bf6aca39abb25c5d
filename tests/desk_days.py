"""Three days of real articles through `brief ingest --date D` and `brief build --date D`, for the archive and
search tests.

The folder is read as an inbox: each day's files are copied in and filed under that day by `brief ingest
--date D` (30 March to 1 April 2026, across a month end), then `brief build --date D` builds the day. The USAF
tanker contract is reported on each of the three days (one continuing story); two ECB+ reports of one quake
(tests/data/corroboration/fixture) make a two-article story on the second day; the other articles are one-day
stories.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from briefing.cli import cli
from briefing.config import Config, load_config
from tests.conftest import SAMPLES, write_config

FIXTURE = Path(__file__).resolve().parent / "data" / "corroboration" / "fixture"

FIRST_DAY = date(2026, 3, 30)
DAYS = [FIRST_DAY + timedelta(days=k) for k in range(3)]
ARTICLES: list[list[Any]] = [  # file names in samples/articles, or paths
    ["nato-iraq-training.txt", "usaf_tanker_contract__100911.txt", "gum_news_korea.txt", "amalgum_news_misrata.txt"],
    ["amalgum_news_nato.txt", "usaf_tanker_contract__102977.txt", "amalgum_news_sarkozy.txt",
     FIXTURE / "ecbplus_20_2ecb.txt", FIXTURE / "ecbplus_20_3ecb.txt"],
    ["usaf_tanker_contract__108294.txt", "amalgum_news_ossetia.txt", "gum_news_election.txt"],
]


@dataclass
class Desk:
    folder: Path
    config_path: Path
    cfg: Config
    briefs: dict[date, dict[str, Any]]  # each day's brief.json

    @property
    def out(self) -> Path:
        return self.cfg.brief.output_dir


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 30, tzinfo=ZoneInfo("UTC"))


def build_days(folder: Path, formats: tuple[str, ...] = ("html,json,pdf", "html,json", "html,json")) -> Desk:
    """Ingest and build the three days in ``folder`` (config, store, inbox and out/ inside it) with the CLI."""
    inbox = folder / "articles"
    inbox.mkdir()
    config_path = write_config(folder, inbox)
    cfg = load_config(config_path)
    briefs = {}
    for day, names, chosen in zip(DAYS, ARTICLES, formats, strict=True):
        for name in names:
            source = name if isinstance(name, Path) else SAMPLES / name
            shutil.copy(source, inbox / source.name)
        for command in (["ingest"], ["build", "--format", chosen]):
            result = CliRunner().invoke(cli, [*command, "--date", day.isoformat(), "--config", str(config_path)])
            assert result.exit_code == 0, result.output
        briefs[day] = json.loads((cfg.brief.output_dir / day.isoformat() / "brief.json").read_text("utf-8"))
    return Desk(folder, config_path, cfg, briefs)


def tanker_id(desk: Desk) -> str:
    """The id of the continuing tanker story (the same on each day)."""
    (story,) = [s for s in desk.briefs[FIRST_DAY]["stories"] if "Boeing" in s["headline"]]
    return str(story["id"])
