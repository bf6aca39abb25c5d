"""Load ``config.toml`` into a typed configuration.

Every problem in the file is collected and reported with its key and a fix, then one
``ConfigError`` is raised. Unknown keys are reported, not ignored. Relative paths resolve
against the config file's folder, not the working directory.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from briefing.errors import ConfigError

SUMMARIZERS = ("default", "lexrank", "lsa", "textrank", "luhn", "edmundson", "kl", "sumbasic", "lead")
FORMATS = ("pdf", "html", "md", "json")
SOURCE_TYPES = ("folder", "feed", "web")
SECURITY = ("none", "starttls", "ssl")


@dataclass
class BriefConfig:
    title: str = "Daily Brief"
    timezone: str = "UTC"
    output_dir: Path = Path("out")
    formats: list[str] = field(default_factory=lambda: ["pdf", "html"])
    facts_per_article: int = 3
    max_stories: int = 30
    issues_per_story: int = 5  # open issues listed per story, the most confident first
    summarizer: str = "default"
    templates_dir: Path | None = None  # user templates, searched before the built-in ones
    strict: bool = False  # exit status 1 when any article or source was excluded
    workers: int = 0  # analysis processes; 0 = one per core
    quiet_days: int = 3  # a story not reported again is listed under "Gone quiet" for up to this many days


@dataclass
class StoreConfig:
    path: Path = Path("briefing.db")


@dataclass
class SourceConfig:
    name: str = ""
    type: str = "folder"
    path: Path | None = None  # folder
    url: str | None = None  # feed
    urls: list[str] = field(default_factory=list)  # web
    full_text: bool = False  # feed: follow each item's link
    weight: float = 1.0  # importance of this source when ranking stories
    window_days: int = 0  # folder: also take articles up to this many days older than the brief date
    inbox: bool = False  # folder: every file belongs to the day it is ingested (see README)
    timeout: float = 20.0  # feed, web: seconds per connect or read; one fetch gets three times that
    max_bytes: int = 5_000_000
    give_up_after: float = 300.0  # feed, web: seconds for the whole source; what is left waits for the next run
    allow_private_hosts: bool = False  # feed, web: may fetch loopback, private and link-local addresses


@dataclass
class EmailConfig:
    enabled: bool = False
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_env: str = "BRIEF_SMTP_PASSWORD"
    sender: str = "brief@example.org"
    recipients: list[str] = field(default_factory=list)
    subject: str = "{title} — {date}"
    timeout: float = 30.0
    give_up_after: float = 120.0  # seconds: the whole delivery gives up after this


@dataclass
class ScheduleConfig:
    time: str = "06:30"
    catch_up_hours: float = 12.0


@dataclass
class WatchConfig:
    """The reader's watchlist: stories that mention these are pinned in the brief's "Watchlist" section."""

    actors: list[str] = field(default_factory=list)  # people and organisations, matched by identity (aliases)
    places: list[str] = field(default_factory=list)  # places, matched by identity, alias or demonym
    terms: list[str] = field(default_factory=list)  # words or phrases, whole words, any case

    def items(self) -> list[tuple[str, Literal["actor", "place", "term"]]]:
        """(item, kind) of each entry, in config order: actors, places, terms."""
        return [(a, "actor") for a in self.actors] + [(p, "place") for p in self.places] + [(t, "term") for t in self.terms]


@dataclass
class EngineConfig:
    """Where the analyses run: "local" (this machine, ``[brief] workers`` processes) or "dask" (a cluster)."""

    kind: str = "local"  # a name in briefing.engine.ENGINES
    scheduler: str = ""  # dask: the scheduler's address, tcp://HOST:PORT
    timeout: float = 10.0  # dask: seconds to reach the scheduler and find a worker before the build fails


@dataclass
class Config:
    brief: BriefConfig = field(default_factory=BriefConfig)
    store: StoreConfig = field(default_factory=StoreConfig)
    sources: list[SourceConfig] = field(default_factory=list)
    email: EmailConfig = field(default_factory=EmailConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    watch: WatchConfig = field(default_factory=WatchConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)
    path: Path | None = None  # the file it was loaded from

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.brief.timezone)


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false", Path: "a path string"}


def _toml(value: Any) -> str:
    """A scalar as TOML writes it (for the fix a message suggests)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' if isinstance(value, str) else str(value)


def _convert(key: str, value: Any, hint: Any, base: Path, problems: list[str]) -> Any:
    """Check one value against its type hint and convert it (paths resolve against ``base``)."""
    origin = get_origin(hint)
    if origin is not None and type(None) in get_args(hint):  # Optional[X]
        hint = next(a for a in get_args(hint) if a is not type(None))
        origin = get_origin(hint)
    if origin is list:
        (item,) = get_args(hint)
        if not isinstance(value, list):
            kind = _TYPE_NAMES[item].split(" ", 1)[1]  # "a string" -> "string"
            fix = f"; write it in brackets: {key.rsplit('.', 1)[-1]} = [{_toml(value)}]" if not isinstance(value, dict) else ""
            problems.append(f"Config value '{key}': expected a list of {kind}s, got {value!r}{fix}")
            return None
        return [_convert(f"{key}[{i}]", v, item, base, problems) for i, v in enumerate(value)]
    ok = {
        bool: isinstance(value, bool),
        int: isinstance(value, int) and not isinstance(value, bool),
        float: isinstance(value, (int, float)) and not isinstance(value, bool),
        str: isinstance(value, str),
        Path: isinstance(value, str),
    }[hint]
    if not ok:
        problems.append(f"Config value '{key}': expected {_TYPE_NAMES[hint]}, got {value!r}")
        return None
    if hint is Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else (base / path).resolve()
    return float(value) if hint is float else value


def _section(cls: type, data: Any, prefix: str, base: Path, problems: list[str]) -> Any:
    """Build dataclass ``cls`` from a TOML table, reporting unknown keys and wrong types."""
    obj = cls()
    if not isinstance(data, dict):
        problems.append(f"Config value '{prefix}': expected a table like [{prefix}], got {data!r}")
        return obj
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    for key, value in data.items():
        full = f"{prefix}.{key}"
        if key not in names:
            known = ", ".join(sorted(names))
            problems.append(f"Config key '{full}' is unknown: remove it or use one of {known}")
            continue
        converted = _convert(full, value, hints[key], base, problems)
        if converted is not None:
            setattr(obj, key, converted)
    for f in dataclasses.fields(cls):  # relative default paths also resolve against the config folder
        current = getattr(obj, f.name)
        if isinstance(current, Path) and not current.is_absolute():
            setattr(obj, f.name, (base / current).resolve())
    return obj


def _validate(cfg: Config, problems: list[str]) -> None:
    b = cfg.brief
    try:
        zoneinfo.ZoneInfo(b.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(f"Config value 'brief.timezone': unknown time zone {b.timezone!r}; use an IANA name such as 'Europe/Brussels' or 'UTC'")
    for fmt in b.formats:
        if fmt not in FORMATS:
            problems.append(f"Config value 'brief.formats': unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if b.summarizer not in SUMMARIZERS:
        problems.append(f"Config value 'brief.summarizer': unknown method {b.summarizer!r}; choose from {', '.join(SUMMARIZERS)}")
    for key in ("facts_per_article", "max_stories"):
        if getattr(b, key) < 1:
            problems.append(f"Config value 'brief.{key}': must be at least 1, got {getattr(b, key)}")
    if b.workers < 0:
        problems.append(f"Config value 'brief.workers': must be 0 (one per core) or more, got {b.workers}")
    if b.quiet_days < 0:
        problems.append(f"Config value 'brief.quiet_days': must be 0 (no \"Gone quiet\" section) or more days, got {b.quiet_days}")
    for kind in ("actors", "places", "terms"):
        for i, entry in enumerate(getattr(cfg.watch, kind)):
            if isinstance(entry, str) and not any(ch.isalnum() for ch in entry):
                problems.append(f"Config value 'watch.{kind}[{i}]': {entry!r} has no letter or digit to match; write a name or words, or remove it")
    if b.issues_per_story < 0:
        problems.append(f"Config value 'brief.issues_per_story': must be 0 or more (0 lists no open issue), got {b.issues_per_story}")
    names: set[str] = set()
    for i, s in enumerate(cfg.sources):
        key = f"sources[{i}]"
        if not s.name:
            problems.append(f"Config value '{key}.name': every source needs a name, e.g. name = \"Wire\"")
        elif s.name in names:
            problems.append(f"Config value '{key}.name': the name {s.name!r} is used twice; give each source its own name")
        names.add(s.name)
        if s.type not in SOURCE_TYPES:
            problems.append(f"Config value '{key}.type': unknown type {s.type!r}; choose from {', '.join(SOURCE_TYPES)}")
        elif s.type == "folder" and s.path is None:
            problems.append(f"Config value '{key}.path': a folder source needs path = \"folder/with/articles\"")
        elif s.type == "feed" and not s.url:
            problems.append(f"Config value '{key}.url': a feed source needs url = \"https://…/rss.xml\"")
        elif s.type == "web" and not s.urls:
            problems.append(f"Config value '{key}.urls': a web source needs urls = [\"https://…\"]")
        for limit in ("timeout", "give_up_after"):
            if getattr(s, limit) <= 0:
                problems.append(f"Config value '{key}.{limit}': must be more than 0 seconds, got {getattr(s, limit):g}")
    e = cfg.email
    one_line = [("brief.title", b.title), ("email.sender", e.sender), ("email.subject", e.subject)]
    one_line += [(f"email.recipients[{i}]", r) for i, r in enumerate(e.recipients)]
    for key, value in one_line:  # they go into email headers, where a line break is refused (or injects one)
        if isinstance(value, str) and value.splitlines() not in ([], [value]):
            problems.append(f"Config value '{key}': must be one line (it goes into an email header); remove the line break")
    if e.security not in SECURITY:
        problems.append(f"Config value 'email.security': unknown mode {e.security!r}; choose from {', '.join(SECURITY)}")
    if not 0 < e.port < 65536:
        problems.append(f"Config value 'email.port': must be a port number between 1 and 65535, got {e.port}")
    if e.enabled and not e.recipients:
        problems.append("Config value 'email.recipients': email is enabled but no recipient is set; add recipients = [\"you@example.org\"]")
    _validate_engine(cfg.engine, problems)
    hh, _, mm = cfg.schedule.time.partition(":")
    if not (hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60 and len(mm) == 2):
        problems.append(f"Config value 'schedule.time': expected HH:MM (24-hour clock), got {cfg.schedule.time!r}")
    if cfg.schedule.catch_up_hours < 0:
        problems.append("Config value 'schedule.catch_up_hours': must be 0 or more")


def _validate_engine(e: EngineConfig, problems: list[str]) -> None:
    from briefing.engine import ENGINES

    if e.kind not in ENGINES:
        problems.append(f"Config value 'engine.kind': unknown engine {e.kind!r}; choose from {', '.join(ENGINES)}")
    if e.timeout <= 0:
        problems.append(f"Config value 'engine.timeout': must be more than 0 seconds, got {e.timeout:g}")
    if e.kind != "dask":
        return
    if importlib.util.find_spec("distributed") is None:
        problems.append("Config value 'engine.kind': \"dask\" needs the distributed package; "
                        "install it with pip install 'briefing[dask]', or set kind = \"local\"")
    scheme, _, rest = e.scheduler.partition("://")
    host, _, port = rest.rpartition(":")
    if scheme != "tcp" or not host or not port.isdigit() or not 0 < int(port) < 65536 or "/" in rest:
        problems.append(f"Config value 'engine.scheduler': expected the Dask scheduler's address as tcp://HOST:PORT, "
                        f"e.g. scheduler = \"tcp://10.0.0.5:8786\", got {e.scheduler!r}")


def parse_config(data: dict[str, Any], base: Path, path: Path | None = None) -> Config:
    """Build a ``Config`` from parsed TOML; raise ``ConfigError`` listing every problem."""
    problems: list[str] = []
    cfg = Config(path=path)
    sections = {"brief": BriefConfig, "store": StoreConfig, "email": EmailConfig, "schedule": ScheduleConfig,
                "watch": WatchConfig, "engine": EngineConfig}
    for key, value in data.items():
        if key in sections:
            setattr(cfg, key, _section(sections[key], value, key, base, problems))
        elif key == "sources":
            if not isinstance(value, list):
                problems.append("Config value 'sources': expected [[sources]] tables")
                continue
            cfg.sources = [_section(SourceConfig, s, f"sources[{i}]", base, problems) for i, s in enumerate(value)]
        else:
            problems.append(f"Config key '{key}' is unknown: remove it or use one of brief, store, sources, email, schedule, watch, engine")
    if not data.get("store"):  # default store path also resolves against the config folder
        cfg.store = _section(StoreConfig, {}, "store", base, problems)
    if not data.get("brief"):
        cfg.brief = _section(BriefConfig, {}, "brief", base, problems)
    _validate(cfg, problems)
    if problems:
        raise ConfigError(problems)
    return cfg


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate a config file (default: ``config.toml`` in the current folder).

    Raises:
        ConfigError: the file is missing, is not valid TOML, or has invalid values.
    """
    path = Path(path or "config.toml")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"Config file not found: {path}; pass --config PATH or run in the folder that holds config.toml") from None
    except OSError as exc:
        raise ConfigError(f"Config file {path} cannot be read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}") from None
    return parse_config(data, path.resolve().parent, path.resolve())
