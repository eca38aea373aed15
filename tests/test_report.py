"""The static report of `run --html`: index, entity pages, document pages.

Checked two ways: the HTML as written (parsed, every link followed on disk),
and, marked ``browser``, as headless Chromium shows it with its script running.
"""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from _chromium import Browser, find_chromium
from romanize_entities.aliases import AliasTable, Entity
from romanize_entities.cli import app
from romanize_entities.report import summarize, write_report
from romanize_entities.report.pages import OPEN_ROWS
from romanize_entities.report.summary import MENTIONS_SHOWN

ROOT = Path(__file__).resolve().parents[1]
LETTERS = ROOT / "examples" / "letters"


class Page(HTMLParser):
    """Links, element ids, and the text of each table (by id) of one HTML page."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_body = False
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag == "table" and a.get("id"):
            self._table = str(a["id"])
            self.tables[self._table] = []
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._table and self._in_body:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def local_targets(self) -> list[tuple[Path, str]]:
        """(file, fragment) of every relative link."""
        out = []
        for href in self.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            target = (self.path.parent / unquote(parts.path)).resolve() if parts.path \
                else self.path
            out.append((target, parts.fragment))
        return out


@pytest.fixture(scope="module")
def letters_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("letters-report")
    result = CliRunner().invoke(app, ["run", str(LETTERS), "--out", str(out), "--html", "-q"])
    assert result.exit_code == 0, result.output
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_index_lists_every_entity(letters_site: Path) -> None:
    rows_csv = _csv(letters_site / "entities.csv")
    entities = [e for e in rows_csv if e["linked"] == "true"]
    clusters = [e["cluster"] for e in rows_csv if e["linked"] == "false"]
    index = Page(letters_site / "html" / "index.html")
    rows = {r[1]: r for r in index.tables["entities"]}  # by the ID column
    assert set(rows) == {e["entity_id"] for e in entities}
    # the unlinked names, one row per name cluster of the run
    assert len(index.tables["unlinked"]) == len(clusters)
    for e in entities:
        name, _, kind, mentions, documents, spellings, wikidata = rows[e["entity_id"]]
        assert (name, kind, wikidata) == (e["name"], e["type"], e["wikidata"])
        assert int(mentions) == int(e["mentions"]) and int(documents) == int(e["documents"])
        assert int(spellings) == len(e["spellings"].split(" | "))
    assert [r[0] for r in index.tables["documents"]] == [
        "1956-10-12-ri-sang-jo-letter.txt", "empty-note.txt", "pak-hon-yong-spellings.html"]


def test_entity_page_shows_every_spelling_of_spellings_csv(letters_site: Path) -> None:
    listed: dict[str, int] = {}
    for row in _csv(letters_site / "spellings.csv"):
        if row["entity_id"] == "pak-hon-yong":
            listed[row["spelling"]] = listed.get(row["spelling"], 0) + int(row["count"])
    assert len(listed) >= 3
    page = Page(letters_site / "html" / "entities" / "pak-hon-yong.html")
    shown = {r[0]: int(r[1]) for r in page.tables["spellings"]}
    assert shown == listed
    # every mention of the entity is shown in context (there are few), marked
    contexts = page.tables["mentions"]
    assert len(contexts) == sum(listed.values())
    assert any("personality" in r[0] for r in contexts)


def test_every_link_of_the_site_resolves(letters_site: Path) -> None:
    html = letters_site / "html"
    pages = sorted(html.rglob("*.html"))
    assert (html / "entities" / "pak-hon-yong.html") in pages
    checked = 0
    for path in pages:
        for target, fragment in Page(path).local_targets():
            assert target.is_file(), (path, target)
            if fragment:
                assert fragment in Page(target).ids, (path, target, fragment)
            checked += 1
    assert checked > 100


def test_mention_links_land_on_the_mark_of_that_mention(letters_site: Path) -> None:
    mentions = [json.loads(line) for line in
                (letters_site / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    mine = {(m["doc"], m["start"]): m["text"] for m in mentions
            if m["entity_id"] == "pak-hon-yong"}
    page_path = letters_site / "html" / "entities" / "pak-hon-yong.html"
    page = Page(page_path)
    seen = set()
    for target, fragment in page.local_targets():
        if not fragment.startswith("m"):
            continue
        doc = str(target.relative_to((letters_site / "html").resolve()))[: -len(".html")]
        seen.add((doc, int(fragment[1:])))
        text = target.read_text(encoding="utf-8")
        mark = text[text.index(f'id="{fragment}"'):]
        assert mine[(doc, int(fragment[1:]))] in mark[:300]
    assert seen == set(mine)


def test_document_pages_link_entities_to_their_pages(letters_site: Path) -> None:
    page = Page(letters_site / "html" / "pak-hon-yong-spellings.html.html")
    targets = {t.name for t, _ in page.local_targets()}
    assert "pak-hon-yong.html" in targets and "index.html" in targets


def test_nested_documents_link_up_and_down(tmp_path: Path) -> None:
    src = tmp_path / "in" / "a" / "b"
    src.mkdir(parents=True)
    (src / "note one.txt").write_text("Pak Hon-yong met Kim Il Sung in Pyongyang.\n",
                                      encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(out),
                                      "--html", "-q"])
    assert result.exit_code == 0, result.output
    for path in (out / "html").rglob("*.html"):
        for target, fragment in Page(path).local_targets():
            assert target.is_file(), (path, target)
            if fragment:
                assert fragment in Page(target).ids
    page = Page(out / "html" / "entities" / "kim-il-sung.html")
    assert any("a/b/note%20one.txt.html#m" in href for href in page.links)


# --------------------------------------------------------------------------- #
# the writer on made-up runs: clusters, caps
# --------------------------------------------------------------------------- #


def _table() -> AliasTable:
    return AliasTable([Entity("kim-one", "PERSON", "Kim One", hangul="김원", born=1901),
                       Entity("seoul", "GPE", "Seoul", wikidata="Q8684")])


def _mention(doc: str, start: int, text: str, ident: str | None, **extra: Any) -> dict[str, Any]:
    return {"doc": doc, "start": start, "end": start + len(text), "text": text,
            "label": "PERSON" if ident != "seoul" else "GPE", "entity_id": ident, **extra}


def test_unlinked_clusters_get_their_own_table(tmp_path: Path) -> None:
    mentions = [
        _mention("a.txt", 0, "Kim One", "kim-one"),
        _mention("a.txt", 10, "Ri Chol-su", None, cluster="c1"),
        _mention("b.txt", 0, "Ri Cheol-su", None, cluster="c1"),
        _mention("b.txt", 20, "Pak Mun-gyu", None, cluster="c2"),
    ]
    entries = [{"root": "", "doc": "a.txt", "sha256": ""}, {"root": "", "doc": "b.txt"}]
    write_report(tmp_path, _table(), mentions, entries)
    page = Page(tmp_path / "index.html")
    clusters = {r[0]: r for r in page.tables["unlinked"]}
    assert set(clusters) == {"c1", "c2"}
    assert "Ri Chol-su (1)" in clusters["c1"][1] and "Ri Cheol-su (1)" in clusters["c1"][1]
    assert clusters["c1"][2:4] == ["2", "2"]
    assert "clusters" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_without_cluster_field_unlinked_names_are_grouped_by_spelling(tmp_path: Path) -> None:
    mentions = [_mention("a.txt", 0, "Ri Chol-su", None), _mention("b.txt", 0, "Ri Chol-su", None)]
    summary = summarize(mentions, _table(), [])
    assert not summary.clustered and [c.key for c in summary.clusters] == ["Ri Chol-su"]
    write_report(tmp_path, _table(), mentions, [])
    assert Page(tmp_path / "index.html").tables["unlinked"][0][:1] == ["Ri Chol-su"]


def test_long_mention_lists_are_capped_but_every_document_is_listed(tmp_path: Path) -> None:
    n = MENTIONS_SHOWN + 57
    mentions = [_mention(f"d{i:04}.txt", 0, "Seoul", "seoul") for i in range(n)]
    write_report(tmp_path, _table(), mentions, [])
    page = Page(tmp_path / "entities" / "seoul.html")
    assert len(page.tables["mentions"]) == MENTIONS_SHOWN
    assert len(page.tables["documents"]) == n
    assert f"the first {MENTIONS_SHOWN} of {n}" in (tmp_path / "entities" / "seoul.html"
                                                   ).read_text(encoding="utf-8")
    index = Page(tmp_path / "index.html")
    assert index.tables["entities"][0][6] == "Q8684"
    # a long table starts folded, so that the browser need not lay it out on load
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<details id="entities-section" open>' in text
    assert '<details id="documents-section" open>' in text
    many = OPEN_ROWS + 1
    write_report(tmp_path, _table(), mentions, [{"doc": f"d{i:04}.txt"} for i in range(many)])
    assert len(Page(tmp_path / "index.html").tables["documents"]) == many
    assert '<details id="documents-section">' in (tmp_path / "index.html").read_text(
        encoding="utf-8")


def test_pages_need_no_network(letters_site: Path) -> None:
    for path in (letters_site / "html").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script src" not in text and "<link" not in text, path


# --------------------------------------------------------------------------- #
# in a real browser
# --------------------------------------------------------------------------- #

needs_chromium = pytest.mark.skipif(
    find_chromium() is None,
    reason="headless Chromium not installed (Debian: apt-get install chromium); "
           ".ci/run installs it so CI runs these tests")


@pytest.fixture(scope="module")
def browser() -> Any:
    with Browser(width=1200, height=900) as b:
        yield b


@pytest.mark.browser
@needs_chromium
def test_browser_index_sorts_and_filters(letters_site: Path, browser: Browser) -> None:
    entities = [e for e in _csv(letters_site / "entities.csv") if e["linked"] == "true"]
    browser.open((letters_site / "html" / "index.html").as_uri())
    rows = browser.evaluate(
        "[...document.querySelectorAll('#entities tbody tr')].map(r => r.cells[1].innerText)")
    assert sorted(rows) == sorted(e["entity_id"] for e in entities)
    assert browser.evaluate("document.querySelector('.filter').hidden") is False
    # sort by name (A first), then by mentions (largest first)
    browser.evaluate("document.querySelector('#entities th').click()")
    names = browser.evaluate(
        "[...document.querySelectorAll('#entities tbody tr')].map(r => r.cells[0].innerText)")
    assert names == sorted(names, key=str.lower)
    browser.evaluate("document.querySelectorAll('#entities th')[3].click()")
    counts = browser.evaluate(
        "[...document.querySelectorAll('#entities tbody tr')].map(r => +r.cells[3].innerText)")
    assert counts == sorted(counts, reverse=True)
    # filter: type into the box, wait for the debounce
    shown = browser.evaluate("""new Promise(done => {
        const box = document.querySelector('input[data-filter=entities]');
        box.value = 'PAK hon-yong'; box.dispatchEvent(new Event('input'));
        setTimeout(() => done([...document.querySelectorAll('#entities tbody tr')]
            .filter(r => !r.hidden).map(r => r.cells[1].innerText)), 400);
    })""")
    assert shown == ["pak-hon-yong"]


@pytest.mark.browser
@needs_chromium
def test_browser_entity_page_and_mention_link(letters_site: Path, browser: Browser) -> None:
    listed = {r["spelling"] for r in _csv(letters_site / "spellings.csv")
              if r["entity_id"] == "pak-hon-yong"}
    browser.open((letters_site / "html" / "entities" / "pak-hon-yong.html").as_uri())
    shown = browser.evaluate(
        "[...document.querySelectorAll('#spellings tbody tr')].map(r => r.cells[0].innerText)")
    assert set(shown) == listed
    assert "Pak Hon-yong" in browser.evaluate("document.querySelector('h1').innerText")
    # follow the first mention: the document page opens scrolled to that mark
    browser.evaluate("document.querySelector('#mentions tbody a').click()")
    browser.wait_event("Page.loadEventFired")
    target = browser.evaluate(
        "document.querySelector('mark:target')?.firstChild.textContent.trim() || ''")
    assert browser.evaluate("location.hash").startswith("#m")
    assert target in listed
