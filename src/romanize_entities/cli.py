"""The `romanize-entities` command line: one typer app, one command per job."""

from __future__ import annotations

from typing import Annotated

import typer

from romanize_entities.romanization import SYSTEMS, romanize

app = typer.Typer(
    name="romanize-entities",
    help="Find Korean people, organizations, events and places in English text and link "
    "every romanized spelling to one canonical entity ID.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Keep `romanize-entities COMMAND` form even while there is one command."""


@app.command("romanize")
def romanize_command(
    text: Annotated[str, typer.Argument(help="Hangul text; anything else passes through.")],
    system: Annotated[
        str, typer.Option("--system", "-s", help=f"One of: {', '.join(SYSTEMS)}.")
    ] = "rr",
    name: Annotated[bool, typer.Option("--name", help="Apply personal-name rules.")] = False,
    common_surnames: Annotated[
        bool, typer.Option("--common-surnames", help="Kim, Park, Lee instead of Gim, Bak, I.")
    ] = False,
    hyphen: Annotated[
        bool | None,
        typer.Option("--hyphen/--no-hyphen", help="Hyphenate given names (ALA-LC form for MR)."),
    ] = None,
) -> None:
    """Romanize Hangul.

    Examples:

      romanize-entities romanize 독립                      # dongnip

      romanize-entities romanize 박헌영 --name --system mr  # Pak Hŏnyŏng

      romanize-entities romanize 김정은 --name -s dprk      # Kim Jong Un
    """
    try:
        result = romanize(
            text,
            system,
            name=name,
            surnames="common" if common_surnames else "strict",
            hyphen=hyphen,
        )
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(result)


def main() -> None:
    app()
