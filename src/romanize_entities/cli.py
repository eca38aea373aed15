"""The `romanize-entities` command line: one typer app, one command per job."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from romanize_entities.romanization import SYSTEMS, romanize
from romanize_entities.settings import ModelOption, SetOption, ThresholdOption

app = typer.Typer(
    name="romanize-entities",
    help="Find Korean people, organizations, events and places in English text and link "
    "every romanized spelling to one canonical entity ID.",
    no_args_is_help=True,
    add_completion=False,
    # plain click help: typed metavars below instead of <bool>/<str> noise
    rich_markup_mode=None,
)


def _hide_argument_types() -> None:
    """Typer prints the Python type after an argument even when it has a metavar
    ("INPUT <list[Path]>") and braces around a required one in the usage line
    ("{INPUT}..."); show the metavar the way click does: "INPUT...", "[TEXT]"."""
    from typer.core import TyperArgument

    shown = TyperArgument.display_type_rich
    usage = TyperArgument._usage_display_name

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if self.metavar is not None else shown(self, ctx)

    def usage_display_name(self: Any) -> str:
        if self.metavar is None:
            return usage(self)
        name = self.metavar if self.required else f"[{self.metavar}]"
        return name + ("..." if self.nargs != 1 else "")

    setattr(TyperArgument, "display_type_rich", display_type_rich)  # noqa: B010
    setattr(TyperArgument, "_usage_display_name", usage_display_name)  # noqa: B010


_hide_argument_types()


# Options shared by every command that loads an alias table.
AliasesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--aliases", "-a", metavar="FILE",
        help="Extra alias file merged over the packaged table."),
]
NoDefaultOption = Annotated[
    bool, typer.Option("--no-default", help="Do not load the packaged table.")
]


def _print_version(value: bool) -> None:
    if value:
        from romanize_entities import __version__

        typer.echo(f"romanize-entities {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
) -> None:
    """Find Korean people, organizations, events and places in English text and link
    every romanized spelling to one canonical entity ID."""


def _settings(
    threshold: float | None, sets: list[str] | None, aliases: list[Path] | None,
    no_default: bool,
) -> tuple[list[Path], bool, dict[str, Any]]:
    """--aliases/--no-default/--threshold/--set checked together; exit 2 on a bad one."""
    from romanize_entities.settings import SettingsError, resolve_settings

    try:
        return resolve_settings(threshold, sets, aliases, no_default)
    except SettingsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@app.command("romanize")
def romanize_command(
    text: Annotated[str, typer.Argument(
        metavar="TEXT",
        help="Hangul text; anything else passes through.")],
    system: Annotated[
        str, typer.Option("--system", "-s", metavar="SYSTEM", help=f"One of: {', '.join(SYSTEMS)}.")
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


@app.command("check")
def check_command(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE",
        help="Alias YAML files, merged in order.")],
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings count as problems (exit 1).")
    ] = False,
    require_sources: Annotated[
        bool | None,
        typer.Option(
            "--require-sources/--no-require-sources",
            help="Every entity needs sources (default: only for the packaged table file).",
        ),
    ] = None,
    with_default: Annotated[
        bool,
        typer.Option("--with-default",
                     help="Check FILE... merged over the packaged table, as `run -a FILE` "
                          "loads them (an id that clashes with a packaged entity is an error)."),
    ] = False,
) -> None:
    """Validate alias files and print every problem as FILE:LINE:COL: MESSAGE.

    Exit status: 0 clean, 1 problems (warnings only with --strict), 2 usage
    error or unreadable file.

    Example:

      romanize-entities check data/aliases.yaml my_aliases.yaml --strict

      romanize-entities check my_aliases.yaml --with-default
    """
    from romanize_entities.aliases import AliasTableError, default_table_path, parse_file
    from romanize_entities.aliases.validate import check_references, merge_files

    parsed = []
    if with_default:
        parsed.append(parse_file(default_table_path()))
    for path in files:
        try:
            parsed.append(parse_file(path))
        except OSError as exc:
            typer.echo(f"error: cannot read {path}: {exc.strerror or exc}", err=True)
            raise typer.Exit(2) from exc
    if require_sources is None:
        packaged = default_table_path()
        require_sources = any(
            packaged.exists() and path.resolve() == packaged.resolve() for path in files
        )
    records, _version, problems = merge_files(parsed, require_sources=require_sources)
    problems += check_references(records)
    if not any(p.severity == "error" for p in problems):
        from romanize_entities.aliases import AliasTable

        try:  # index-level checks: spellings and keys shared between entities
            table = AliasTable._from_parsed(parsed, require_sources=require_sources)
            problems = table.warnings
        except AliasTableError as exc:  # pragma: no cover - merge_files found them above
            problems = exc.problems
    if with_default:  # the packaged table's own warnings are not the user's to fix
        mine = {os.path.realpath(p) for p in files}
        problems = [p for p in problems
                    if p.severity == "error" or os.path.realpath(p.path) in mine]
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    typer.echo(f"{len(files)} file(s): {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        raise typer.Exit(1)


@app.command("lookup")
def lookup_command(
    text: Annotated[str, typer.Argument(
        metavar="TEXT",
        help="A name as written, in any romanization or Hangul.")],
    aliases: AliasesOption = None,
    no_default: NoDefaultOption = False,
    limit: Annotated[int, typer.Option(
        "--limit", "-n", min=1, metavar="N",
        help="Candidates shown.")] = 5,
    threshold: ThresholdOption = None,
    set_: SetOption = None,
) -> None:
    """Print ranked candidate entities for TEXT: id, name, type, score, method.

    The candidates are the component's, under its rules and threshold (an
    English word such as "On" is not the UN): a candidate the component would
    not link is marked "(below threshold)" or "(not linked: tie)".

    Example:

      romanize-entities lookup "Pak Hon Yong"
    """
    from romanize_entities.aliases import AliasTableError
    from romanize_entities.component import load

    paths, include_default, settings = _settings(threshold, set_, aliases, no_default)
    settings["candidates_limit"] = max(limit, int(settings.get("candidates_limit", limit)))
    nlp = load(paths, include_default, settings=settings, initialize=False)
    pipe: Any = nlp.get_pipe("romanize_entities")
    try:
        pipe.initialize()
    except AliasTableError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc  # a broken alias file is a configuration error
    _show_table_warnings(pipe.table, paths)
    candidates, linked = pipe.candidates_for(text)
    if not candidates:
        typer.echo("no candidates", err=True)
        raise typer.Exit(1)
    for rank, cand in enumerate(candidates[:limit]):
        ent = pipe.table[cand.entity_id]
        if cand.entity_id == linked:
            mark = "  (links)"
        elif not cand.verified and cand.method != "fuzzy":
            mark = "  (unverified: retrieval only, never links)"
        elif cand.score < pipe.threshold:
            mark = "  (below threshold)"
        elif rank == 0 and not linked:
            mark = "  (not linked: tie)"
        else:
            mark = ""
        typer.echo(f"{cand.entity_id}\t{ent.name}\t{ent.type}\t{cand.score:.3f}\t"
                   f"{cand.method}{mark}")


@app.command("run")
def run_command(
    inputs: Annotated[list[Path], typer.Argument(
        metavar="INPUT",
        help="Files or folders of documents.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Output folder.")],
    aliases: AliasesOption = None,
    no_default: NoDefaultOption = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", metavar="N", help="Worker processes.")] = 1,
    html: Annotated[bool, typer.Option("--html", help="Also write html/<doc>.html pages.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Discard earlier results in --out and start over.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    engine: Annotated[
        str, typer.Option("--engine", metavar="ENGINE", help="local (worker processes) or spark.")
    ] = "local",
    master: Annotated[
        str | None,
        typer.Option(
            "--master", metavar="URL",
            help="Spark master URL for --engine spark, e.g. local[2]."),
    ] = None,
    threshold: ThresholdOption = None,
    set_: SetOption = None,
    model: ModelOption = None,
) -> None:
    """Link every document under INPUT... and write mentions.jsonl, entities.csv,
    spellings.csv, errors.jsonl and run.json to --out (see docs/batch.md).

    A rerun with the same --out resumes: unchanged finished documents are not
    processed again. Exit status: 0 all documents linked (skipped file types
    do not count), 1 some documents failed, 2 usage or configuration error.

    Example:

      romanize-entities run examples/letters --out out/ -j 4

      romanize-entities run /shared/archive --out out/ --engine spark --master local[2]
    """
    from romanize_entities.aliases import AliasTableError
    from romanize_entities.batch import BatchConfigError, run_batch

    paths, include_default, settings = _settings(threshold, set_, aliases, no_default)
    try:
        result = run_batch(
            inputs, out, aliases=paths, include_default=include_default,
            jobs=jobs, force=force, html=html, quiet=quiet, engine=engine, master=master,
            settings=settings, model=model,
        )
    except AliasTableError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    except BatchConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except OSError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    for warning in result.warnings:
        typer.echo(warning, err=True)
    c = result.counts()
    typer.echo(
        f"{c['documents']} document(s): {c['done']} linked, {c['unchanged']} unchanged, "
        f"{c['failed']} failed, {c['skipped']} skipped; {c['mentions']} mention(s)",
        err=True,
    )
    typer.echo(f"outputs in {result.out_dir}/:")
    for path in result.outputs:
        typer.echo(f"  {path}")
    if c["failed"]:
        typer.echo(f"see {result.out_dir / 'errors.jsonl'} for the failed documents", err=True)
    raise typer.Exit(result.exit_code)


@app.command("suggest")
def suggest_command(
    inputs: Annotated[list[Path], typer.Argument(
        metavar="INPUT",
        help="Files or folders of documents.")],
    aliases: AliasesOption = None,
    no_default: NoDefaultOption = False,
    min_count: Annotated[
        int, typer.Option(
            "--min-count", min=1, metavar="N",
            help="List a capitalized span seen this often.")
    ] = 2,
    limit: Annotated[
        int | None, typer.Option(
            "--limit", "-n", min=1, metavar="N",
            help="Show at most N suggestions.")
    ] = None,
    yaml_only: Annotated[
        bool, typer.Option("--yaml-only", help="Print only the YAML snippet.")
    ] = False,
    threshold: ThresholdOption = None,
    set_: SetOption = None,
) -> None:
    """List names found in INPUT... but not linked, with counts, contexts and the
    nearest known entities, then a draft alias YAML to check and paste (see
    docs/suggest.md).

    Korean-looking names are always listed; other capitalized spans from
    --min-count occurrences. Exit status: 0 when it ran (also with nothing to
    suggest), 2 usage or configuration error (missing INPUT, broken alias file).

    Example:

      romanize-entities suggest examples/letters > review.txt

      romanize-entities suggest letter.txt -a mine.yaml --yaml-only > new.yaml
    """
    from romanize_entities.aliases import AliasTableError
    from romanize_entities.component import load
    from romanize_entities.suggest import PASTE_MARKER, format_table, suggest, yaml_snippet

    paths, include_default, settings = _settings(threshold, set_, aliases, no_default)
    for raw in inputs:
        if not raw.exists():
            typer.echo(f"error: {raw}: input not found", err=True)
            raise typer.Exit(2)
    nlp = load(paths, include_default, settings=settings, initialize=False)
    try:
        pipe: Any = nlp.get_pipe("romanize_entities")
        pipe.initialize()
        _show_table_warnings(pipe.table, paths)
        found = suggest(
            inputs, min_count=min_count, limit=limit, nlp=nlp,
            on_problem=lambda exc: typer.echo(f"skipped {exc}", err=True),
        )
    except AliasTableError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    except OSError as exc:
        shown = f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)
        typer.echo(f"error: {shown}", err=True)
        raise typer.Exit(2) from exc
    if not found:
        typer.echo("no unlinked names found", err=True)
        return
    if not yaml_only:
        typer.echo(format_table(found))
        typer.echo("")
        typer.echo(PASTE_MARKER)
    typer.echo(yaml_snippet(found), nl=False)


def _show_table_warnings(table: Any, paths: list[Path]) -> None:
    """Warnings about the user's alias files (an unknown key such as `alias:`) on stderr,
    not only in the debug log; the packaged table's own are for `check`."""
    from romanize_entities.aliases import user_warnings

    for problem in user_warnings(table, paths):
        typer.echo(str(problem), err=True)


_Built = TypeVar("_Built")


def _built_or_exit(build: Callable[[], _Built]) -> _Built:
    """Build a pipeline or service from the user's tables and settings; a configuration
    error (broken or missing alias file, unknown or ill-typed setting) exits 2 with its
    message, never a traceback. Shared by `evaluate` and `serve`."""
    from romanize_entities.aliases import AliasTableError

    try:
        return build()
    except AliasTableError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    except OSError as exc:
        typer.echo(f"error: cannot read alias file: {exc}", err=True)
        raise typer.Exit(2) from exc
    except Exception as exc:  # spaCy's config validation: unknown key, wrong type
        # spaCy appends the whole resolved config as a dict; the lines before it say why
        shown = " ".join(ln.strip() for ln in str(exc).splitlines()
                         if ln.strip() and not ln.lstrip().startswith("{"))
        typer.echo(f"error: invalid component setting: {shown}", err=True)
        raise typer.Exit(2) from exc


def main() -> None:
    """The console script (also `python -m romanize_entities`)."""
    app(prog_name="romanize-entities")


@app.command("evaluate")
def evaluate_command(
    gold: Annotated[Path, typer.Argument(
        help="Gold mentions: JSONL (doc, start, end, label, entity_id) or a spaCy DocBin "
             "(.spacy).")],
    docs: Annotated[Path | None, typer.Argument(
        help="The documents: a folder (gold 'doc' = path relative to it) or one file. "
             "Not used with a DocBin.")] = None,
    aliases: AliasesOption = None,
    no_default: NoDefaultOption = False,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", min=0.0, max=1.0, help="Link threshold (default: the component's).",
    )] = None,
    set_options: Annotated[list[str] | None, typer.Option(
        "--set", help="Component setting KEY=VALUE (VALUE read as JSON, else a string); "
                      "repeatable.",
    )] = None,
    json_out: Annotated[Path | None, typer.Option(
        "--json", help="Also write the full report as JSON to this file.")] = None,
    no_sweep: Annotated[bool, typer.Option(
        "--no-sweep", help="Skip the threshold sweep 0.60-0.95.")] = False,
) -> None:
    """Score the linker against gold mentions: precision, recall and F1 for spans and
    links per label, right/wrong/missed per type, must-stay-unlinked mentions that
    were linked, and a threshold sweep to choose a threshold (see docs/evaluate.md).

    Exit status: 0 scored, 2 usage error or unusable gold, documents or alias file.

    Example:

      romanize-entities evaluate tests/data/corpus/gold.jsonl tests/data/corpus/docs

      romanize-entities evaluate gold.jsonl letter.txt -a mine.yaml --json report.json
    """
    from romanize_entities.evaluate import (
        DEFAULT_SWEEP,
        GoldError,
        build_pipeline,
        check_gold,
        evaluate,
        read_documents,
        read_gold_docbin,
        read_gold_jsonl,
        render_text,
    )
    from romanize_entities.settings import parse_set_options

    def fail(message: str) -> typer.Exit:
        typer.echo(f"error: {message}", err=True)
        return typer.Exit(2)

    paths = list(aliases or [])
    if no_default and not paths:
        raise fail("--no-default needs at least one --aliases FILE")
    try:
        settings = parse_set_options(list(set_options or []))
    except ValueError as exc:
        raise fail(str(exc)) from exc
    nlp = _built_or_exit(lambda: build_pipeline(
        paths, include_default=not no_default, threshold=threshold, settings=settings))
    try:
        if gold.suffix == ".spacy":
            if docs is not None:
                raise GoldError(f"{gold}: a DocBin holds its own texts; give no DOCS")
            mentions, texts = read_gold_docbin(gold, nlp)
        else:
            if docs is None:
                raise GoldError("DOCS is required with JSONL gold")
            texts = read_documents(docs)
            default_doc = next(iter(texts)) if docs.is_file() and len(texts) == 1 else None
            mentions = read_gold_jsonl(gold, default_doc=default_doc)
        check_gold(mentions, texts, str(gold))
    except GoldError as exc:
        raise fail(str(exc)) from exc
    report = evaluate(nlp, mentions, texts, sweep=None if no_sweep else DEFAULT_SWEEP)
    typer.echo(render_text(report), nl=False)
    if json_out is not None:
        import json

        try:
            json_out.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False)
                                + "\n", encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {json_out}: {exc.strerror or exc}") from exc
@app.command("import-wikidata")
def import_wikidata_command(
    export: Annotated[Path, typer.Argument(help="Wikidata export: Special:EntityData or "
                                           "wbgetentities entity JSON, or SPARQL JSON results.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the entries here (default: stdout).")
    ] = None,
    entity_type: Annotated[
        str | None,
        typer.Option("--type", help="Entity type for every item (default: PERSON for humans; "
                                    "other items are skipped)."),
    ] = None,
    aliases: AliasesOption = None,
    no_default: NoDefaultOption = False,
) -> None:
    """Turn a Wikidata export into draft alias entries marked `review: true`.

    en label -> name, en aliases -> aliases, ko label -> hangul, a ko alias written
    wholly in Han characters -> hanja, birth/death years, the QID as wikidata and
    the item page as source. Ids never reuse one of the packaged table or of
    --aliases files (a clash gets -YYYY or -qNNN and a note). See docs/aliases.md.

    Exit status: 0 written, 2 unreadable or unrecognised input.

    Example:

      romanize-entities import-wikidata Q123.json --out drafts.yaml
    """
    from romanize_entities.aliases import default_table_path
    from romanize_entities.wikidata_import import (
        WikidataImportError,
        known_from_files,
        read_export,
        render,
        to_drafts,
    )

    if entity_type is not None:
        entity_type = entity_type.upper()
    try:
        items = read_export(export)
        tables = ([] if no_default else [default_table_path()]) + list(aliases or [])
        known = known_from_files(tables)
        drafts, skipped = to_drafts(items, known, entity_type=entity_type)
    except (WikidataImportError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except OSError as exc:
        typer.echo(f"error: cannot read {exc.filename or export}: {exc.strerror or exc}",
                   err=True)
        raise typer.Exit(2) from exc
    text = render(drafts, skipped, source=export.name)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
    for skip in skipped:
        typer.echo(f"skipped {skip.qid}: {skip.reason}", err=True)
    typer.echo(f"{len(drafts)} draft entr{'y' if len(drafts) == 1 else 'ies'} "
               f"(review: true), {len(skipped)} skipped", err=True)


@app.command("serve")
def serve_command(
    aliases: AliasesOption = None,
    no_default: NoDefaultOption = False,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", min=0.0, max=1.0,
                     help="Link threshold (0-1) for match: true; default the component's."),
    ] = None,
    settings: Annotated[
        list[str] | None,
        typer.Option("--set", help="Component setting KEY=VALUE (VALUE read as JSON, else "
                     "text), e.g. --set candidates_limit=10; repeatable."),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
) -> None:
    """Serve the alias table as a W3C Entity Reconciliation API 0.2 service for OpenRefine.

    Add http://HOST:PORT/reconcile in OpenRefine (Reconcile > Start reconciling >
    Add standard service); see docs/serve.md. Needs the serve extra:
    pip install 'romanize-entities[serve]'.

    Example:

      romanize-entities serve -a my_aliases.yaml --port 8000
    """
    from romanize_entities.settings import parse_set_options

    paths = list(aliases or [])
    if no_default and not paths:
        typer.echo("error: --no-default needs at least one --aliases FILE", err=True)
        raise typer.Exit(2)
    try:
        import uvicorn

        from romanize_entities.reconcile import build_service
        from romanize_entities.reconcile.app import build_app
    except ImportError as exc:
        typer.echo("error: serve needs the serve extra: pip install 'romanize-entities[serve]' "
                   f"({exc})", err=True)
        raise typer.Exit(2) from exc
    try:
        options = parse_set_options(settings or [])
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    service = _built_or_exit(lambda: build_service(
        paths, include_default=not no_default, threshold=threshold, settings=options))
    typer.echo(f"{len(service.table)} entities; reconciliation service at "
               f"http://{host}:{port}/reconcile", err=True)
    uvicorn.run(build_app(service), host=host, port=port, log_level="info",
                limit_concurrency=100, timeout_keep_alive=5)


if __name__ == "__main__":  # python -m romanize_entities.cli, from a checkout
    main()
