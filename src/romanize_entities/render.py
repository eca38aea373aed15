"""Standalone HTML pages of linked documents, drawn by displaCy.

displaCy's entity renderer already supports `kb_url_template`, which turns a
span's `kb_id_` into a link; we only choose the template per entity (Wikidata
when the entry has an ID, else a page of the run's own entity index).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

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
) -> str:
    """One standalone HTML page showing the entities of `docs`, IDs as links.

    With a `table`, an entity that has a Wikidata ID links there; every other
    linked entity uses `kb_url_template` (default: an anchor named after the ID).
    """
    doc_list = [docs] if isinstance(docs, Doc) else list(docs)
    parsed = []
    for doc in doc_list:
        ents = []
        for ent in doc.ents:
            entity = table.get(ent.kb_id_) if (table is not None and ent.kb_id_) else None
            url = ""
            if entity is not None and entity.wikidata:
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
    body = displacy.render(parsed, style="ent", manual=True, page=False, jupyter=False)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title></head>\n<body style=\"max-width: 60em; margin: auto\">"
        f"<h1>{escape(title)}</h1>\n{body}\n</body></html>\n"
    )
