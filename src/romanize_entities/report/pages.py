"""HTML of the report: ``index.html`` and one ``entities/<id>.html`` per entity.

Plain tables that read well with JavaScript off; the package's ``report.js``
(inlined, with ``report.css``, so every page opens from the file system alone)
adds sorting and a filter box per table. Links are relative, so the folder can
be moved, zipped or served as it is.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib import resources
from urllib.parse import quote

from romanize_entities.aliases import Entity
from romanize_entities.report.summary import (
    Cluster,
    EntityRow,
    Summary,
)

__all__ = ["document_href", "entity_page", "index_page"]

WIKIDATA_URL = "https://www.wikidata.org/wiki/{}"
#: Documents named in one cell of the clusters table before "+N more".
CLUSTER_DOCS = 3
#: A table with more rows starts folded (a click on its heading opens it, with or
#: without JavaScript): the browser then skips laying it out when the page loads,
#: which keeps the index of a 10,000-document run opening in well under 2 s.
OPEN_ROWS = 1000


@cache
def _asset(name: str) -> str:
    return resources.files("romanize_entities.report").joinpath(name).read_text("utf-8")


def document_href(doc: str, up: str = "") -> str:
    """The document page of *doc* (its relpath), as a link from a page *up* levels deep."""
    return up + quote(doc) + ".html"


def entity_href(ident: str, up: str = "") -> str:
    return f"{up}entities/{quote(ident)}.html"


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>\n{_asset('report.css')}</style>\n</head>\n"
        f"<body>\n{body}\n<script>\n{_asset('report.js')}</script>\n</body></html>\n"
    )


def _filter(table_id: str, what: str) -> str:
    """A filter box for one table: hidden until the script shows it (useless without it)."""
    return (f'<p class="filter" hidden><label>Filter {escape(what)}: '
            f'<input type="search" data-filter="{table_id}" '
            f'placeholder="any part of a name, type, document"></label> '
            f'<span class="muted" id="{table_id}-shown"></span></p>')


def _section(key: str, heading: str, body: str, rows: int) -> str:
    """A heading and its table as a ``<details>`` block, open unless the table is long."""
    state = " open" if rows <= OPEN_ROWS else ""
    hint = "" if state else ' <span class="muted">(click to show)</span>'
    return (f'<details id="{key}-section"{state}><summary><h2 id="{key}-heading">{heading}'
            f"</h2>{hint}</summary>\n{body}\n</details>")


def _wikidata_link(qid: str) -> str:
    if not qid:
        return ""
    return (f'<a href="{escape(WIKIDATA_URL.format(qid), quote=True)}">'
            f"{escape(qid)}</a>")


def _num(n: int) -> str:
    return f'<td class="num">{n}</td>'


def index_page(summary: Summary, title: str = "romanize-entities report") -> str:
    """``html/index.html``: entities, unlinked names and documents, each a sortable table."""
    parts = [f"<h1>{escape(title)}</h1>"]
    parts.append(
        f'<p class="muted">{len(summary.documents)} documents, {summary.mentions} mentions, '
        f"{len(summary.entities)} entities linked. "
        "Click a column heading to sort; every name leads to its page.</p>")
    rows = []
    for e in summary.entities:
        rows.append(
            f'<tr><td><a href="{entity_href(e.id)}">{escape(e.name)}</a></td>'
            f"<td><code>{escape(e.id)}</code></td><td>{escape(e.type)}</td>"
            f"{_num(e.mentions)}{_num(len(e.documents))}{_num(len(e.spellings))}"
            f"<td>{_wikidata_link(e.wikidata)}</td></tr>")
    parts.append(_section("entities", f"Entities ({len(summary.entities)})", _filter(
        "entities", "entities") + "\n"
        '<table class="sortable" id="entities"><thead><tr><th>Name</th><th>ID</th>'
        '<th>Type</th><th class="num" data-type="num">Mentions</th>'
        '<th class="num" data-type="num">Documents</th>'
        '<th class="num" data-type="num">Spellings</th><th>Wikidata</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody></table>", len(rows)))
    parts.append(_clusters(summary))
    doc_rows = [
        f'<tr><td><a href="{document_href(d.doc)}">{escape(d.doc)}</a></td>'
        f"{_num(d.mentions)}{_num(d.linked)}{_num(len(d.entities))}</tr>"
        for d in summary.documents
    ]
    parts.append(_section("documents", f"Documents ({len(doc_rows)})", _filter(
        "documents", "documents") + "\n"
        '<table class="sortable" id="documents"><thead><tr><th>Document</th>'
        '<th class="num" data-type="num">Mentions</th>'
        '<th class="num" data-type="num">Linked</th>'
        '<th class="num" data-type="num">Entities</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(doc_rows)}\n</tbody></table>", len(doc_rows)))
    return _page(title, "\n".join(parts))


def _spelling_list(counts: dict[str, int] | Cluster) -> str:
    items = counts.spellings if isinstance(counts, Cluster) else counts
    ordered = sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))
    return " · ".join(f"{escape(s)} ({n})" for s, n in ordered)


def _clusters(summary: Summary) -> str:
    if not summary.clusters:
        return ('<h2 id="unlinked-heading">Unlinked names</h2>\n'
                '<p class="muted">Every name found was linked to an entity.</p>')
    if summary.clustered:
        heading = f"Unlinked name clusters ({len(summary.clusters)})"
        note = ("Names not in the table, grouped where their spellings may be one Korean "
                "name. <code>romanize-entities suggest</code> drafts alias entries for them.")
        first = "Cluster"
    else:
        heading = f"Unlinked names ({len(summary.clusters)})"
        note = ("Person names not in the table, by spelling (this run's mentions carry no "
                "<code>cluster</code>). <code>romanize-entities suggest</code> drafts alias "
                "entries for them.")
        first = "Name"
    rows = []
    for c in summary.clusters:
        docs = list(c.documents)
        links = ", ".join(f'<a href="{document_href(d)}">{escape(d)}</a>'
                          for d in docs[:CLUSTER_DOCS])
        if len(docs) > CLUSTER_DOCS:
            links += f' <span class="muted">+{len(docs) - CLUSTER_DOCS} more</span>'
        rows.append(f"<tr><td>{escape(c.key)}</td><td>{_spelling_list(c)}</td>"
                    f"{_num(c.mentions)}{_num(len(docs))}<td>{links}</td></tr>")
    return _section("unlinked", heading, f'<p class="muted">{note}</p>\n'
                    + _filter("unlinked", "unlinked names") + "\n"
                    f'<table class="sortable" id="unlinked"><thead><tr><th>{first}</th>'
                    '<th>Spellings</th><th class="num" data-type="num">Mentions</th>'
                    '<th class="num" data-type="num">Documents</th><th>Where</th></tr>'
                    f"</thead>\n<tbody>\n{chr(10).join(rows)}\n</tbody></table>", len(rows))


def entity_page(row: EntityRow, entity: Entity | None) -> str:
    """``html/entities/<id>.html``: every spelling with its count, mentions in context."""
    up = "../"
    head = escape(row.name)
    scripts = " ".join(escape(s) for s in (entity.hangul, entity.hanja) if s) if entity else ""
    facts = [escape(row.type), f"<code>{escape(row.id)}</code>"]
    if entity is not None and (entity.born or entity.died):
        facts.append(f"{entity.born or '?'}–{entity.died or '?'}")
    if row.wikidata:
        facts.append("Wikidata " + _wikidata_link(row.wikidata))
    parts = [f'<p><a href="{up}index.html">← all entities and documents</a></p>',
             f'<h1>{head} <span lang="ko">{scripts}</span></h1>',
             f'<p class="muted">{" · ".join(facts)}</p>']
    if entity is not None and entity.note:
        parts.append(f"<p>{escape(entity.note)}</p>")
    parts.append(f"<p>{row.mentions} mentions in {len(row.documents)} documents, "
                 f"written {len(row.spellings)} ways.</p>")
    spell_rows = [
        f"<tr><td>{escape(s)}</td>{_num(n)}{_num(len(row.spelling_docs[s]))}</tr>"
        for s, n in sorted(row.spellings.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    parts.append(
        f'<h2 id="spellings-heading">Spellings ({len(row.spellings)})</h2>\n'
        '<table class="sortable" id="spellings"><thead><tr><th>Spelling</th>'
        '<th class="num" data-type="num">Mentions</th>'
        '<th class="num" data-type="num">Documents</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(spell_rows)}\n</tbody></table>")
    shown = len(row.shown)
    more = (f" (the first {shown} of {row.mentions}; the documents table below has them all)"
            if row.mentions > shown else "")
    parts.append(f'<h2 id="mentions-heading">Mentions in context{more}</h2>')
    parts.append(_filter("mentions", "mentions"))
    mention_rows = []
    for s in row.shown:
        href = document_href(s.doc, up) + f"#m{s.anchor if s.anchor >= 0 else s.start}"
        context = (f'{escape(s.left)}<mark>{escape(s.text)}</mark>{escape(s.right)}'
                   if (s.left or s.right) else f"<mark>{escape(s.text)}</mark>")
        mention_rows.append(
            f'<tr><td class="context">…{context}…</td>'
            f'<td><a href="{href}">{escape(s.doc)}</a></td></tr>')
    parts.append(
        '<table class="sortable" id="mentions"><thead><tr><th>Context</th>'
        f"<th>Document</th></tr></thead>\n<tbody>\n{chr(10).join(mention_rows)}\n"
        "</tbody></table>")
    doc_rows = [
        f'<tr><td><a href="{document_href(d, up)}">{escape(d)}</a></td>{_num(n)}</tr>'
        for d, n in row.documents.items()
    ]
    parts.append(_section(
        "documents", f"Documents ({len(row.documents)})", _filter("documents", "documents")
        + "\n"
        '<table class="sortable" id="documents"><thead><tr><th>Document</th>'
        '<th class="num" data-type="num">Mentions</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(doc_rows)}\n</tbody></table>", len(doc_rows)))
    return _page(f"{row.name} — romanize-entities report", "\n".join(parts))

