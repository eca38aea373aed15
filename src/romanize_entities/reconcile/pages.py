"""HTML of the service: the preview card OpenRefine shows in its pane, and the entity page.

Both are self-contained (inline CSS, no script, no external resource), so they
render the same inside OpenRefine's iframe, in a browser tab and offline.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from romanize_entities.aliases import Entity
from romanize_entities.reconcile.service import (
    PREVIEW_HEIGHT,
    PREVIEW_WIDTH,
    TYPE_NAMES,
    life_dates,
)

__all__ = ["entity_page", "not_found_page", "preview_card"]

WIKIDATA_URL = "https://www.wikidata.org/wiki/{}"
#: Spellings shown on the card; the rest are counted ("+12 more") and listed on the entity page.
CARD_SPELLINGS = 6
CARD_SOURCES = 2


def _source_link(source: str) -> str:
    """A source as a link labelled with its host when it is a URL, else as text."""
    parts = urlsplit(source)
    if parts.scheme in ("http", "https") and parts.netloc:
        return (f'<a href="{escape(source, quote=True)}" target="_blank" rel="noopener">'
                f"{escape(parts.netloc)}</a>")
    return escape(source)


def _wikidata(entity: Entity) -> str:
    if not entity.wikidata:
        return ""
    url = WIKIDATA_URL.format(entity.wikidata)
    return f'<a href="{escape(url, quote=True)}" target="_blank" rel="noopener">' \
           f"{escape(entity.wikidata)}</a>"


def preview_card(entity: Entity, spellings: list[str],
                 width: int = PREVIEW_WIDTH, height: int = PREVIEW_HEIGHT) -> str:
    """The ``/preview?id=`` card: name, Hangul, Hanja, dates, spellings, sources; *width*×*height*.

    Long lists are cut (the entity page has them all) and the note is clamped to
    two lines, so the card fits the frame the manifest announces.
    """
    others = [s for s in spellings if s != entity.name]
    shown = others[:CARD_SPELLINGS]
    more = len(others) - len(shown)
    scripts = " ".join(escape(s) for s in (entity.hangul, entity.hanja) if s)
    dates = life_dates(entity)
    kind = TYPE_NAMES.get(entity.type, entity.type)
    sources = " · ".join(_source_link(s) for s in entity.sources[:CARD_SOURCES])
    if len(entity.sources) > CARD_SOURCES:
        sources += f" · +{len(entity.sources) - CARD_SOURCES}"
    meta = " · ".join(x for x in (escape(kind), escape(dates), _wikidata(entity),
                                  f"<code>{escape(entity.id)}</code>") if x)
    listed = (escape(" · ".join(shown)) or "—") + (f" (+{more} more)" if more else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(entity.name)}</title>
<style>
html, body {{ margin: 0; padding: 0; }}
.card {{ box-sizing: border-box; width: {width}px; height: {height}px; overflow: hidden;
  padding: 8px 10px; font: 13px/1.35 system-ui, sans-serif; color: #222; background: #fff; }}
.card h1 {{ font-size: 16px; margin: 0 0 2px; }}
.card .scripts {{ font-size: 15px; margin-left: 6px; font-weight: normal; }}
.card .meta {{ color: #555; margin: 0 0 4px; }}
.card .note {{ margin: 0 0 4px; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; overflow: hidden; }}
.card .spellings, .card .sources {{ margin: 0 0 3px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.card .label {{ color: #777; }}
.card a {{ color: #1a5fb4; }}
</style></head>
<body><div class="card" id="card">
<h1>{escape(entity.name)}<span class="scripts" lang="ko">{scripts}</span></h1>
<p class="meta">{meta}</p>
<p class="note">{escape(entity.note or "")}</p>
<p class="spellings"><span class="label">Spellings:</span> {listed}</p>
<p class="sources"><span class="label">Sources:</span> {sources or "—"}</p>
</div></body></html>
"""


def entity_page(entity: Entity, spellings: list[str], preview_url: str = "") -> str:
    """``/entity/{id}`` (the manifest's ``view``): everything the table says about the entity."""
    rows = [
        ("ID", f"<code>{escape(entity.id)}</code>"),
        ("Type", escape(TYPE_NAMES.get(entity.type, entity.type))),
        ("Hangul", f'<span lang="ko">{escape(entity.hangul)}</span>' if entity.hangul else ""),
        ("Hanja", f'<span lang="ko">{escape(entity.hanja)}</span>' if entity.hanja else ""),
        ("Born", escape(str(entity.born)) if entity.born else ""),
        ("Died", escape(str(entity.died)) if entity.died else ""),
        ("Wikidata", _wikidata(entity)),
        ("Note", escape(entity.note or "")),
    ]
    table = "\n".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows if v)
    attested = set(entity.spellings())
    items = "\n".join(
        f"<li>{escape(s)}{'' if s in attested else ' <small>(generated)</small>'}</li>"
        for s in spellings
    )
    sources = "\n".join(f"<li>{_source_link(s)}</li>" for s in entity.sources)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(entity.name)} — romanize-entities</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; max-width: 48em; margin: 1em auto; padding: 0 1em; }}
th {{ text-align: left; padding-right: 1em; vertical-align: top; color: #555; }}
small {{ color: #777; }}
</style></head>
<body>
<h1>{escape(entity.name)}</h1>
<table>
{table}
</table>
<h2>Spellings ({len(spellings)})</h2>
<ul>
{items}
</ul>
<h2>Sources</h2>
<ul>
{sources}
</ul>
</body></html>
"""


def not_found_page(ident: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Not found</title></head><body>"
            f"<p>No entity <code>{escape(ident)}</code> in this table.</p></body></html>\n")
