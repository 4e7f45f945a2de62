"""`python -m intake_api COMMAND`: the app's commands without `flask --app intake_api`,
e.g. `python -m intake_api triage-worker --loop`."""

from __future__ import annotations

from flask.cli import FlaskGroup

from intake_api import create_app


def main() -> None:
    """Run one of the app's commands (`--help` lists them)."""
    FlaskGroup(create_app=create_app, help=__doc__).main(prog_name="python -m intake_api")


if __name__ == "__main__":
    main()
