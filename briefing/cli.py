"""The ``brief`` command line: thin commands over the library. Only this module prints or exits."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from briefing import __version__
from briefing.config import FORMATS, SUMMARIZERS, Config, load_config
from briefing.errors import BriefingError, ConfigError, QueryError

F = TypeVar("F", bound=Callable[..., Any])


class DateParam(click.ParamType):
    """``today``, ``yesterday`` or ``YYYY-MM-DD``; relative days resolve in the configured time zone."""

    name = "today|yesterday|YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str | date:
        if isinstance(value, date):
            return value
        text = str(value).strip().lower()
        if text in ("today", "yesterday"):
            return text
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date: use today, yesterday or YYYY-MM-DD (e.g. 2004-08-05)", param, ctx)


def resolve_day(value: str | date, cfg: Config, now: datetime | None = None) -> date:
    if isinstance(value, date):
        return value
    today = (now or datetime.now(cfg.zone)).astimezone(cfg.zone).date()
    return today - timedelta(days=1) if value == "yesterday" else today


class FormatsParam(click.ParamType):
    name = "pdf,html,md,json"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> list[str]:
        if isinstance(value, list):
            return value
        formats = [f.strip().lower() for f in str(value).split(",") if f.strip()]
        unknown = [f for f in formats if f not in FORMATS]
        if unknown or not formats:
            self.fail(f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}", param, ctx)
        return formats


def config_option(f: F) -> F:
    return click.option(
        "--config", "-c", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Config file (default: ./config.toml).",
    )(f)


def progress_bar(label: str) -> Callable[[Iterable[Any]], Iterable[Any]] | None:
    """A progress bar on a terminal; nothing when stderr is not one (cron, CI, pipes)."""
    if not sys.stderr.isatty():
        return None

    def wrap(items: Iterable[Any]) -> Iterable[Any]:
        with click.progressbar(list(items), label=label, file=sys.stderr) as bar:
            yield from bar

    return wrap


def run(func: Callable[[], int | None]) -> None:
    """Run a command body, turning briefing errors into one clear line and an exit status."""
    try:
        status = func() or 0
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(f"Error: {problem}", err=True)
        sys.exit(2)
    except QueryError as exc:  # a search query or story id that cannot be read: bad usage
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except BriefingError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    sys.exit(status)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brief")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def cli(verbose: int, quiet: bool) -> None:
    """Turn a day's news articles into a daily brief: key facts, open issues and named actors."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if verbose < 2:  # WeasyPrint and fontTools talk about font subsetting; only debug output wants that
        for name in ("weasyprint", "fontTools"):
            logging.getLogger(name).setLevel(logging.ERROR)


@cli.command()
@click.option("--date", "day", type=DateParam(), default="today", show_default=True, help="Date of the brief.")
@config_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: [brief] output_dir); the brief lands in OUT/YYYY-MM-DD/.")
@click.option("--format", "formats", type=FormatsParam(), default=None, help="Comma-separated formats (default: [brief] formats).")
@click.option("--email/--no-email", "email", default=None,
              help="Email the PDF to [email] recipients after building (default: [email] enabled).")
def build(day: str | date, config_path: Path | None, out_dir: Path | None, formats: list[str] | None,
          email: bool | None) -> None:
    """Ingest the sources, analyse, assemble and render the brief for a date; print the paths written."""
    from briefing.build import build as build_brief

    def body() -> int:
        cfg = load_config(config_path)
        send = cfg.email.enabled if email is None else email
        chosen = list(formats or cfg.brief.formats)
        if send and "pdf" not in chosen:
            chosen.append("pdf")  # the email attaches the PDF
        day_ = resolve_day(day, cfg)
        result = build_brief(cfg, day_, formats=chosen, out_dir=out_dir, progress=progress_bar("Analysing"))
        for path in result.paths.values():
            click.echo(str(path))
        status = 0
        if result.brief.excluded:
            click.echo(f"{len(result.brief.excluded)} item(s) not included; see the brief's 'Not included' section.", err=True)
            status = 1 if cfg.brief.strict else 0
        if send:
            status = max(status, email_brief(cfg, day_, result.brief, result.paths["pdf"], force=False))
        return status

    run(body)


def email_brief(cfg: Config, day: date, brief: Any, pdf: Path, *, force: bool) -> int:
    """Send a built brief, print one line per recipient; 1 when any recipient did not get it."""
    from briefing.deliver import send_brief
    from briefing.store import Store

    with Store(cfg.store.path) as store:
        report = send_brief(cfg, day, brief, pdf, store, force=force)
    for line in report.lines():
        click.echo(line, err=True)
    report.raise_for_failures()
    return 0


@cli.command()
@click.option("--date", "day", type=DateParam(), default="today", show_default=True, help="Date of the brief.")
@click.option("--force", is_flag=True, help="Send again to recipients who already got it.")
@config_option
def send(day: str | date, force: bool, config_path: Path | None) -> None:
    """Email the brief already built for a date (it is never rebuilt here)."""
    from briefing.deliver import find_built_brief
    from briefing.store import Store

    def body() -> int:
        cfg = load_config(config_path)
        day_ = resolve_day(day, cfg)
        with Store(cfg.store.path) as store:
            data, pdf = find_built_brief(cfg, day_, store)
        return email_brief(cfg, day_, data, pdf, force=force)

    run(body)


@cli.command("schedule")
@click.option("--once", is_flag=True, help="Run the job if it is due (or missed within catch_up_hours), then exit.")
@click.option("--print-cron", is_flag=True, help="Print an equivalent crontab entry and exit.")
@click.option("--print-systemd", is_flag=True, help="Print equivalent systemd service and timer units and exit.")
@config_option
def schedule_command(once: bool, print_cron: bool, print_systemd: bool, config_path: Path | None) -> None:
    """Run the daily job (build + email) in the foreground at [schedule] time in [brief] timezone."""
    from briefing.schedule import cron_line, run_scheduler, systemd_units

    def body() -> int:
        if print_cron and print_systemd:
            raise click.UsageError("use --print-cron or --print-systemd, not both")
        cfg = load_config(config_path)
        config_file = cfg.path or Path("config.toml").resolve()
        if print_cron:
            click.echo(cron_line(cfg, config_file))
            return 0
        if print_systemd:
            for name, text in systemd_units(cfg, config_file).items():
                click.echo(f"# --- {name} (e.g. /etc/systemd/system/{name}) ---\n{text}")
            return 0
        if logging.getLogger().level == logging.WARNING:  # the default: a scheduler logs each run
            for name in ("briefing.schedule", "briefing.deliver"):
                logging.getLogger(name).setLevel(logging.INFO)
        outcomes = run_scheduler(cfg, once=once)
        return 1 if once and any(o.status == "failed" for o in outcomes) else 0

    run(body)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--facts", "-n", type=click.IntRange(min=1), default=None, help="Key facts per article (default: [brief] facts_per_article, else 3).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--summarizer", type=click.Choice(SUMMARIZERS), default=None,
              help="Ranking method (default: [brief] summarizer, else default).")
@config_option
def summarize(files: tuple[Path, ...], facts: int | None, as_json: bool, summarizer: str | None, config_path: Path | None) -> None:
    """Analyse article files and print key facts, open issues and actors."""
    from briefing.analyse import analyse_article
    from briefing.ingest import ReadContext
    from briefing.ingest.folder import read_article_file
    from briefing.render import _actor, _issue

    def body() -> int:
        cfg = load_config(config_path) if config_path or Path("config.toml").exists() else Config()
        count = facts or cfg.brief.facts_per_article
        method = summarizer or cfg.brief.summarizer
        ctx = ReadContext(store=None, now=datetime.now(cfg.zone), zone=cfg.zone)
        failed = 0
        for path in files:
            try:
                article = read_article_file(path, "files", ctx, max_bytes=50_000_000)
                analysis = analyse_article(article, count, method)
            except BriefingError as exc:
                failed += 1
                if as_json:
                    click.echo(json.dumps({"path": str(path), "error": str(exc)}, ensure_ascii=False))
                else:
                    click.echo(f"Error: {exc}", err=True)
                continue
            record = {
                "path": str(path),
                "title": article.title,
                "date": article.published.date().isoformat() if article.published else None,
                "key_facts": list(analysis.key_facts),
                "open_issues": [{k: v for k, v in _issue(i).items() if k != "status"} for i in analysis.open_issues],
                "actors": [_actor(a) for a in analysis.actors],
            }
            if as_json:
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                click.echo(format_analysis(record))
        return 1 if failed else 0

    run(body)


def format_analysis(record: dict[str, Any]) -> str:
    lines = [f"# {record['title']}" + (f" ({record['date']})" if record["date"] else ""), "", "Key facts:"]
    lines += [f"  - {fact}" for fact in record["key_facts"]]
    if record["open_issues"]:
        lines += ["", "Open issues:"] + [f"  - [{i['topic']}] {i['question']}" for i in record["open_issues"]]
    if record["actors"]:
        lines += ["", "Actors:"] + [
            f"  - {a['name']} ({a['type']}{', ' + a['role'] if a['role'] else ''})" for a in record["actors"]
        ]
    return "\n".join(lines) + "\n"


@cli.command("ingest")
@click.option("--date", "day", type=DateParam(), default=None,
              help="The day new files of inbox folders belong to (default: today).")
@config_option
def ingest_command(day: str | date | None, config_path: Path | None) -> None:
    """Fetch the configured sources into the store only."""
    from briefing.ingest import ingest
    from briefing.store import Store

    def body() -> int:
        cfg = load_config(config_path)
        with Store(cfg.store.path) as store:
            report = ingest(cfg, store, datetime.now(cfg.zone), resolve_day(day, cfg) if day else None)
        click.echo(f"{report.added} new, {report.duplicates} already known, {len(report.excluded)} not included")
        for e in report.excluded:
            click.echo(f"not included: {e.source}: {e.item}: {e.error}", err=True)
        return 0

    run(body)


@cli.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--since", "since", type=DateParam(), default=None, help="Only articles and briefs of this day or later.")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="Hits shown.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit and line.")
@config_option
def search_command(query: tuple[str, ...], since: str | date | None, limit: int, as_json: bool,
                   config_path: Path | None) -> None:
    """Search stored articles and the stories of the briefs built: words, "quoted phrases", prefix*, OR, -word."""
    from briefing.search import format_hit, search
    from briefing.store import Store

    def body() -> int:
        cfg = load_config(config_path)
        with Store(cfg.store.path) as store:
            hits = search(store, " ".join(query), resolve_day(since, cfg) if since else None, limit)
        for hit in hits:
            click.echo(json.dumps(hit.as_json(), ensure_ascii=False) if as_json else format_hit(hit))
        if not hits:
            click.echo(f"No match for {' '.join(query)!r}.", err=True)
        return 0

    run(body)


@cli.command("story")
@click.argument("story_id")
@config_option
def story_command(story_id: str, config_path: Path | None) -> None:
    """Print a story's history brief by brief: key facts (+ new), open issues and their status, sources."""
    from briefing.search import format_history, story_history
    from briefing.store import Store

    def body() -> int:
        cfg = load_config(config_path)
        with Store(cfg.store.path) as store:
            click.echo(format_history(story_history(store, story_id)), nl=False)
        return 0

    run(body)


@cli.command("watch")
@click.option("--since", "hours", type=click.FloatRange(min=0, min_open=True), default=24.0, show_default=True,
              help="Hours back: articles stored in this time.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article and line.")
@click.option("--no-fetch", "no_fetch", is_flag=True, help="Look at the store only; do not ingest the sources first.")
@config_option
def watch_command(hours: float, as_json: bool, no_fetch: bool, config_path: Path | None) -> None:
    """Print the new articles that mention the [watch] list (for a cron alert); exit status 1 when there are none."""
    from briefing.search import format_watched, watch_new_articles
    from briefing.store import Store

    def body() -> int:
        cfg = load_config(config_path)
        with Store(cfg.store.path) as store:
            found, excluded = watch_new_articles(cfg, store, hours, datetime.now(cfg.zone), fetch=not no_fetch)
        for e in excluded:
            click.echo(f"not included: {e.source}: {e.item}: {e.error}", err=True)
        for hit in found:
            click.echo(json.dumps(hit.as_json(), ensure_ascii=False) if as_json else format_watched(hit))
        if not found:
            click.echo(f"No article stored in the last {hours:g} hours mentions the watchlist.", err=True)
        return 0 if found else 1

    run(body)


@cli.command("check-config")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def check_config(path: Path | None) -> None:
    """Validate a config file and report every problem."""

    def body() -> int:
        cfg = load_config(path)
        click.echo(f"{cfg.path}: OK ({len(cfg.sources)} sources, formats {', '.join(cfg.brief.formats)})")
        return 0

    run(body)


def main() -> None:
    cli(prog_name="brief")
