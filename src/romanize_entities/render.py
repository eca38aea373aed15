"""Standalone HTML pages of linked documents, drawn by displaCy.

displaCy's entity renderer already supports `kb_url_template`, which turns a
span's `kb_id_` into a link; we only choose the template per entity (Wikidata
when the entry has an ID, else a page of the run's own entity index).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from urllib.parse import quote

from spacy import displacy
from spacy.tokens import Doc

from romanize_entities.aliases import AliasTable

WIKIDATA_URL = "https://www.wikidata.org/wiki/{}"


def render_html(
    docs: Doc | Iterable[Doc],
    *,
    table: AliasTable | None = None,
    kb_url_template: str = "#{}",
    title: str = "romanize-entities",
    site_relpath: str | None = None,
) -> str:
    """One standalone HTML page showing the entities of `docs`, IDs as links.

    With a `table`, an entity that has a Wikidata ID links there; every other
    linked entity uses `kb_url_template` (default: an anchor named after the ID).

    With `site_relpath` (the document's path relative to the report folder, as
    in `mentions.jsonl`) the page is one of the batch report's document pages
    (`romanize_entities.report`): every linked entity links to the report's
    `entities/<id>.html`, every mark gets the id `m<start>` (its start offset in
    the whole text, as in `mentions.jsonl`) so entity pages can link to it, and a
    link leads back to the index. `docs` are then the consecutive chunks of one text.
    """
    doc_list = [docs] if isinstance(docs, Doc) else list(docs)
    up = "../" * site_relpath.count("/") if site_relpath is not None else ""
    if site_relpath is not None:
        kb_url_template = up + "entities/{}.html"
    parsed = []
    starts: list[int] = []
    offset = 0
    for doc in doc_list:
        ents = []
        for ent in doc.ents:
            entity = table.get(ent.kb_id_) if (table is not None and ent.kb_id_) else None
            url = ""
            starts.append(offset + ent.start_char)
            if site_relpath is not None and ent.kb_id_:
                url = kb_url_template.format(quote(ent.kb_id_))
            elif entity is not None and entity.wikidata:
                url = WIKIDATA_URL.format(entity.wikidata)
            elif ent.kb_id_:
                url = kb_url_template.format(ent.kb_id_)
            ents.append({
                "start": ent.start_char,
                "end": ent.end_char,
                "label": ent.label_,
                "kb_id": ent.kb_id_,
                "kb_url": url or "#",
            })
        parsed.append({"text": doc.text, "ents": ents, "title": doc.user_data.get("title")})
        offset += len(doc.text)
    body = displacy.render(parsed, style="ent", manual=True, page=False, jupyter=False)
    nav = style = ""
    if site_relpath is not None:
        body = _anchor_marks(body, starts)
        nav = f'<p><a href="{up}index.html">← all entities and documents</a></p>\n'
        style = "<style>mark:target { outline: 3px solid #e66100; }</style>"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title>{style}</head>\n"
        f"<body style=\"max-width: 60em; margin: auto\">{nav}"
        f"<h1>{escape(title)}</h1>\n{body}\n</body></html>\n"
    )


_MARK = re.compile(r'<mark class="entity"')


def _anchor_marks(body: str, starts: list[int]) -> str:
    """Give the n-th `<mark>` displaCy drew the id `m<start of the n-th entity>`.

    displaCy draws one mark per entity, in order; if it ever drew a different
    number the page is left without anchors rather than with wrong ones.
    """
    found = _MARK.findall(body)
    if len(found) != len(starts):
        return body
    ids = iter(starts)
    return _MARK.sub(lambda _: f'<mark id="m{next(ids)}" class="entity"', body)
