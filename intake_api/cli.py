"""Commands for `flask --app intake_api ...`: migrate, add officers, issue tokens."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from intake_api.models import BOT_SCOPES, TOKEN_SCOPES
from intake_api.services import officers as officer_service
from intake_api.services import privacy
from intake_api.services import tokens as token_service

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config():  # type: ignore[no-untyped-def]
    """Alembic configuration pointing at the migrations in this package.

    `migrations/env.py` takes the URL and metadata from the current Flask app.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    return config


def upgrade_database(revision: str = "head") -> None:
    """Apply migrations up to `revision` on the app's database (needs an app context)."""
    from alembic import command

    command.upgrade(alembic_config(), revision)


@click.command("db-upgrade")
@with_appcontext
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade_command(revision: str) -> None:
    """Create or update the database schema with the Alembic migrations."""
    upgrade_database(revision)
    click.echo(f"Database at revision {revision}.", err=True)


@click.command("db-revision")
@with_appcontext
@click.option("-m", "--message", required=True, help="What the migration does, in a few words.")
def db_revision_command(message: str) -> None:
    """Write a new migration by comparing the models with the database (for developers)."""
    from alembic import command

    versions = MIGRATIONS / "versions"
    number = len([path for path in versions.glob("[0-9][0-9][0-9][0-9]_*.py")]) + 1
    # Readable, ordered file names: 0002_add_stage_deadlines.py
    command.revision(alembic_config(), message=message, autogenerate=True, rev_id=f"{number:04d}")


@click.command("create-officer")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    type=click.Choice(["officer", "manager", "admin"]),
    default="officer",
    show_default=True,
)
@click.option("--password", help="The password (otherwise --password-env, or a prompt).")
@click.option("--password-env", metavar="VAR", help="Read the password from this variable.")
@click.option("--if-missing", is_flag=True, help="Succeed quietly if the officer exists.")
def create_officer_command(
    email: str,
    name: str,
    role: str,
    password: str | None,
    password_env: str | None,
    if_missing: bool,
) -> None:
    """Add an officer who can sign in to the officer pages."""
    if password is None and password_env:
        password = os.environ.get(password_env)
        if not password:
            raise click.ClickException(f"The environment variable {password_env} is not set.")
    if password is None:
        existing = officer_service.find_officer(email)
        if existing is not None and if_missing:
            click.echo(f"Officer {existing.email} already exists.", err=True)
            return
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        outcome = officer_service.create_officer(
            email, name, role, password, actor="cli", if_missing=if_missing
        )
    except (ValueError, officer_service.OfficerExists) as exc:
        raise click.ClickException(str(exc)) from exc
    verb = "Created" if outcome.created else "Officer already exists:"
    click.echo(f"{verb} {outcome.officer.email} ({outcome.officer.role}).", err=True)


def _write_owner_only(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, readable and writable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command("create-token")
@with_appcontext
@click.argument("name")
@click.option(
    "--if-missing",
    is_flag=True,
    help="Reuse the token in --token-file if it is still valid; without --token-file, "
    "do nothing when an active token with this name exists.",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the raw token to this file (mode 600) instead of printing it.",
)
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(TOKEN_SCOPES),
    help="What the token may do (repeat for more). Default: the bot's, "
    + " and ".join(BOT_SCOPES)
    + ".",
)
@click.option(
    "--officer",
    "officer_email",
    metavar="EMAIL",
    help="Issue the token to this officer instead: it acts as them, with their role.",
)
def create_token_command(
    name: str,
    if_missing: bool,
    token_file: Path | None,
    scopes: tuple[str, ...],
    officer_email: str | None,
) -> None:
    """Issue a token for a machine client or an officer (the raw token is shown once)."""
    officer = None
    if officer_email:
        officer = officer_service.find_officer(officer_email)
        if officer is None or not officer.active:
            raise click.ClickException(f"There is no active officer {officer_email}.")
        if scopes:
            raise click.ClickException("An officer's token has their role, not scopes.")
    if if_missing:
        if token_file is not None and token_file.exists():
            raw = token_file.read_text(encoding="utf-8").strip()
            if raw and token_service.find_valid_token(raw) is not None:
                click.echo(f"Token in {token_file} is valid; reusing it.", err=True)
                return
        elif token_file is None and token_service.active_tokens_named(name):
            click.echo(f"An active token named {name} exists; not making another.", err=True)
            return
    try:
        issued = token_service.create_token(
            name, actor="cli", scopes=scopes or None, officer=officer
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if token_file is not None:
        _write_owner_only(token_file, issued.raw)
        click.echo(f"Token {name} written to {token_file}.", err=True)
    else:
        click.echo(issued.raw)
        click.echo("Keep this token secret: it is shown only once.", err=True)


@click.command("retention")
@with_appcontext
@click.option(
    "--older-than-days",
    type=click.IntRange(min=0),
    help="Anonymise cases closed more than this many days ago "
    "(default: the RETENTION_DAYS setting, 6 years).",
)
@click.option("--dry-run", is_flag=True, help="List the cases without changing them.")
def retention_command(older_than_days: int | None, dry_run: bool) -> None:
    """Anonymise closed cases past the retention period (audited)."""
    days = older_than_days if older_than_days is not None else current_app.config["RETENTION_DAYS"]
    references = privacy.anonymise_closed(int(days), actor="cli:retention", dry_run=dry_run)
    verb = "Would anonymise" if dry_run else "Anonymised"
    click.echo(f"{verb} {len(references)} case(s) closed more than {days} days ago.", err=True)
    for reference in references:
        click.echo(reference)


def _person_options(command):  # type: ignore[no-untyped-def]
    command = click.option("--phone", help="The person's phone number.")(command)
    return click.option("--email", help="The person's email address.")(command)


@click.command("export-person")
@with_appcontext
@_person_options
def export_person_command(email: str | None, phone: str | None) -> None:
    """Print as JSON everything held about the person with this email or phone."""
    try:
        data = privacy.export_person(email, phone, actor="cli:export-person")
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    click.echo(f"Exported {len(data['cases'])} case(s).", err=True)


@click.command("erase-person")
@with_appcontext
@_person_options
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_person_command(email: str | None, phone: str | None, yes: bool) -> None:
    """Erase the personal data of the person with this email or phone (audited)."""
    try:
        found = privacy.find_people(email, phone)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if not found:
        click.echo("No one with those details is held.", err=True)
        return
    if not yes:
        click.confirm(f"Erase the personal data in {len(found)} record(s)?", abort=True)
    references = privacy.erase_person(email, phone, actor="cli:erase-person")
    click.echo(f"Erased personal data from {len(references)} case(s).", err=True)
    for reference in references:
        click.echo(reference)


@click.command("triage-worker")
@with_appcontext
@click.option("--loop", is_flag=True, help="Keep running, polling for new cases.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    help="Seconds between polls when idle (default: the TRIAGE_POLL_SECONDS setting).",
)
def triage_worker_command(loop: bool, interval: float | None) -> None:
    """Triage the cases committed with triage pending (TRIAGE_MODE=worker).

    Without --loop: sweep the backlog once and stop. With --loop: sweep, then keep
    polling until stopped (SIGINT or SIGTERM finish the current batch first).
    """
    import logging
    import signal
    import threading

    from intake_api.services import triage_worker

    # The worker's own progress on stderr (not every library's: spaCy logs its own).
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    worker_log = logging.getLogger("intake_api")
    worker_log.addHandler(handler)
    worker_log.setLevel(logging.INFO)
    stop = threading.Event()
    previous = {}
    if loop and threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        triaged = triage_worker.run(loop=loop, interval=interval, stop=stop)
        left = triage_worker.pending_count()
    finally:
        worker_log.removeHandler(handler)
        for sig, handler_before in previous.items():
            signal.signal(sig, handler_before)
    click.echo(f"Triaged {triaged} case(s); {left} still pending.", err=True)


def register_commands(app: Flask) -> None:
    """Add the commands to `app.cli`."""
    for command in (
        db_upgrade_command,
        db_revision_command,
        create_officer_command,
        create_token_command,
        retention_command,
        export_person_command,
        erase_person_command,
        triage_worker_command,
    ):
        app.cli.add_command(command)
