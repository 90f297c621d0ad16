"""Command-line tools for the reviewer area (run with the web venv's flask):

    flask --app web create-reviewer NAME [--display-name "Full Name"] [--replace]
    flask --app web purge-conversations
"""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from web.review import auth


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_reviewer)
    app.cli.add_command(purge_conversations)


@click.command("create-reviewer")
@click.argument("name")
@click.option("--display-name", help="the name shown on sign-offs (default: NAME)")
@click.option("--replace", is_flag=True, help="set a new password for an existing reviewer (and unlock it)")
@with_appcontext
@click.password_option("--password", prompt="Password (at least 12 characters)",
                       help="read from the prompt when not given; prefer the prompt, which is not saved in shell history")
def create_reviewer(name: str, display_name: str | None, replace: bool, password: str) -> None:
    """Create a reviewer account for /review."""
    try:
        auth.create_reviewer(current_app.config["REVIEW_DB"], name, display_name or name, password, replace)
    except ValueError as problem:
        raise click.ClickException(str(problem))
    click.echo(f"Reviewer {name!r} can now log in at /review/login.")


@click.command("purge-conversations")
@with_appcontext
def purge_conversations() -> None:
    """Count and delete conversations idle longer than CONVERSATION_IDLE_MINUTES (env TRACKER_DB);
    delete kept messages past FALLBACK_RETENTION_DAYS."""
    from audit.retention import known_schools, purge

    click.echo(str(purge(review_db=current_app.config["REVIEW_DB"], schools=known_schools())))
