"""The `romanize-entities` command line: one typer app, one command per job."""

from __future__ import annotations

from pathlib import Path
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


# Options shared by every command that loads an alias table.
AliasesOption = Annotated[
    list[Path] | None,
    typer.Option("--aliases", "-a", help="Extra alias file merged over the packaged table."),
]
NoDefaultOption = Annotated[
    bool, typer.Option("--no-default", help="Do not load the packaged table.")
]


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


@app.command("check")
def check_command(
    files: Annotated[list[Path], typer.Argument(help="Alias YAML files, merged in order.")],
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
) -> None:
    """Validate alias files and print every problem as FILE:LINE:COL: MESSAGE.

    Exit status: 0 clean, 1 problems (warnings only with --strict), 2 usage
    error or unreadable file.

    Example:

      romanize-entities check data/aliases.yaml my_aliases.yaml --strict
    """
    from romanize_entities.aliases import AliasTableError, default_table_path, parse_file
    from romanize_entities.aliases.validate import check_references, merge_files

    parsed = []
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
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    typer.echo(f"{len(files)} file(s): {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        raise typer.Exit(1)


@app.command("lookup")
def lookup_command(
    text: Annotated[str, typer.Argument(help="A name as written, in any romanization or Hangul.")],
    aliases: AliasesOption = None,
    no_default: NoDefaultOption = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Candidates shown.")] = 5,
) -> None:
    """Print ranked candidate entities for TEXT: id, name, type, score, method.

    Example:

      romanize-entities lookup "Pak Hon Yong"
    """
    from romanize_entities.aliases import DEFAULT_THRESHOLD, AliasTable, AliasTableError

    paths = list(aliases or [])
    if no_default and not paths:
        typer.echo("error: --no-default needs at least one --aliases FILE", err=True)
        raise typer.Exit(2)
    try:
        table = AliasTable.load(paths, include_default=not no_default)
    except OSError as exc:
        typer.echo(f"error: cannot read alias file: {exc}", err=True)
        raise typer.Exit(2) from exc
    except AliasTableError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc  # a broken alias file is a configuration error
    from romanize_entities.candidates import generate_candidates
    from romanize_entities.hangul import has_hangul
    from romanize_entities.linking import decide, eligible
    from romanize_entities.mentions import is_korean_name_unit
    from romanize_entities.normalize import lookup_surface

    surface = lookup_surface(text)
    candidates = generate_candidates(table, surface, limit=limit)
    if not candidates:
        typer.echo("no candidates", err=True)
        raise typer.Exit(1)
    korean = is_korean_name_unit(surface) or (has_hangul(surface) and len(surface) > 1)
    linked = decide(candidates, DEFAULT_THRESHOLD, korean_name=korean)
    for cand in candidates:
        ent = table[cand.entity_id]
        if linked is not None and cand.entity_id == linked.entity_id:
            mark = "  (links)"
        elif not eligible(cand, korean_name=korean):
            mark = "  (unverified: retrieval only, never links)"
        elif cand.score < DEFAULT_THRESHOLD:
            mark = "  (below threshold)"
        else:
            mark = "  (tie)" if linked is None else ""
        typer.echo(f"{cand.entity_id}\t{ent.name}\t{ent.type}\t{cand.score:.3f}\t"
                   f"{cand.method}{mark}")


@app.command("run")
def run_command(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders of documents.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    aliases: AliasesOption = None,
    no_default: NoDefaultOption = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.")] = 1,
    html: Annotated[bool, typer.Option("--html", help="Also write html/<doc>.html pages.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Discard earlier results in --out and start over.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="local (worker processes) or spark.")
    ] = "local",
    master: Annotated[
        str | None,
        typer.Option("--master", help="Spark master URL for --engine spark, e.g. local[2]."),
    ] = None,
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

    try:
        result = run_batch(
            inputs, out, aliases=list(aliases or []), include_default=not no_default,
            jobs=jobs, force=force, html=html, quiet=quiet, engine=engine, master=master,
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
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders of documents.")],
    aliases: AliasesOption = None,
    no_default: NoDefaultOption = False,
    min_count: Annotated[
        int, typer.Option("--min-count", min=1, help="List a capitalized span seen this often.")
    ] = 2,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Show at most N suggestions.")
    ] = None,
    yaml_only: Annotated[
        bool, typer.Option("--yaml-only", help="Print only the YAML snippet.")
    ] = False,
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
    from romanize_entities.suggest import PASTE_MARKER, format_table, suggest, yaml_snippet

    paths = list(aliases or [])
    if no_default and not paths:
        typer.echo("error: --no-default needs at least one --aliases FILE", err=True)
        raise typer.Exit(2)
    try:
        found = suggest(
            inputs, aliases=paths, include_default=not no_default, min_count=min_count,
            limit=limit, on_problem=lambda exc: typer.echo(f"skipped {exc}", err=True),
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
    from romanize_entities.aliases import AliasTableError
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
    try:
        nlp = build_pipeline(paths, include_default=not no_default, threshold=threshold,
                             settings=settings)
    except AliasTableError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    except OSError as exc:
        raise fail(f"cannot read alias file: {exc}") from exc
    except Exception as exc:  # spaCy's config validation: unknown key, wrong type
        # spaCy appends the whole resolved config as a dict; the lines before it say why
        shown = " ".join(ln.strip() for ln in str(exc).splitlines()
                         if ln.strip() and not ln.lstrip().startswith("{"))
        raise fail(f"invalid component setting: {shown}") from exc
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
    from romanize_entities.aliases import AliasTableError
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
        service = build_service(paths, include_default=not no_default, threshold=threshold,
                                settings=options)
    except AliasTableError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    except OSError as exc:
        typer.echo(f"error: cannot read alias file: {exc}", err=True)
        raise typer.Exit(2) from exc
    except Exception as exc:  # spaCy's config validation: unknown --set key, wrong type
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{len(service.table)} entities; reconciliation service at "
               f"http://{host}:{port}/reconcile", err=True)
    uvicorn.run(build_app(service), host=host, port=port, log_level="info",
                limit_concurrency=100, timeout_keep_alive=5)


def main() -> None:
    app()


if __name__ == "__main__":  # python -m romanize_entities.cli, from a checkout
    main()
