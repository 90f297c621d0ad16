"""The reviewer area's command (run with the web venv's flask; `make reviewer` does):

    flask --app web create-reviewer NAME [--display-name "Full Name"] [--replace]
"""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from web.review import auth


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
        raise click.ClickException(str(problem)) from problem
    click.echo(f"Reviewer {name!r} can now log in at /review/login.")
