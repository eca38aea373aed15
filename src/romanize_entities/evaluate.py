"""Score a pipeline against gold mentions: the measurement behind every linking change.

Gold is JSONL, one mention a line, the format of mentions.jsonl::

    {"doc": "letters/a.txt", "start": 10, "end": 21, "label": "PERSON",
     "entity_id": "pak-hon-yong", "text": "Pak Hon-yong"}

``entity_id`` null marks a real mention that must stay unlinked (a person or body
the table lacks); ``text`` is optional and checked against the document; ``doc``
is the path relative to DOCS and may be left out when DOCS is one file. Optional
flags ``surname_only``, ``short_form``, ``nested`` and ``korean`` (a Korean person)
select the subsets reported separately. A spaCy DocBin (``.spacy``) is read too:
its texts are the documents and its ``doc.ents`` (``kb_id_`` as the entity) the gold.

What is counted, and why:

* **spans** (per label P/R/F1): a predicted span is right only with exactly the
  gold offsets and label. Predictions are ``doc.ents`` plus the spans of
  ``doc.spans[spans_key]`` that lie inside an entity (nested mentions, the
  open-world/organization issues); such an inner span counts only where it has
  exactly the offsets of a gold mention, since that group also holds candidates.
* **links** (per label P/R/F1): a true positive is a predicted span with the gold
  offsets and the gold entity; every other linked prediction is a false positive.
* **right / wrong / missed** per gold label: *right* — the span with the gold
  offsets carries the gold entity (for a null gold: nothing links it); *wrong* —
  it carries another entity, or, lacking an exact span, an entity of ``doc.ents``
  overlapping the mention links it to another entity (unless that entity span is
  itself a gold mention, e.g. the party inside a congress name, which is judged on
  its own, or a place inside the name of a body or event, which is that place);
  *missed* — neither. "Kim Jong Un" read as "Kim Jong" + "Un" →
  united-nations is therefore one wrong link of an unknown person.
* **spurious** links: entities of ``doc.ents`` linked where the gold has no mention at
  all ("Chairman Maj" → mao-zedong); they lower link precision and are listed.
* **threshold sweep**: the same counts at thresholds 0.60…0.95, so a user can pick
  the threshold on their own archive (the threshold ranks candidates; it never
  makes an unverified Korean name link, see docs/evaluate.md).

Pure functions return a :class:`Report`; :func:`render_text` and
:meth:`Report.to_json` present it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_SWEEP = tuple(round(0.6 + 0.05 * i, 2) for i in range(8))  # 0.60 … 0.95
_FLAGS = ("surname_only", "short_form", "nested", "korean")
ALL = "ALL"


class GoldError(ValueError):
    """Unusable gold or documents; the message names the file (and line)."""


@dataclass(frozen=True)
class GoldMention:
    """One gold mention; ``entity_id`` None = must stay unlinked."""

    doc: str
    start: int
    end: int
    label: str
    entity_id: str | None
    text: str | None = None
    surname_only: bool = False
    short_form: bool = False
    nested: bool = False
    korean: bool = False  # a Korean person: the open-world figures are about these
    line: int = 0  # line in the gold file, for messages (0: not from a file)


@dataclass(frozen=True)
class Predicted:
    """One predicted span; ``nested`` = from doc.spans inside an entity."""

    start: int
    end: int
    label: str
    entity_id: str | None
    nested: bool = False


# -- reading ---------------------------------------------------------------------------


def read_gold_jsonl(path: Path, *, default_doc: str | None = None) -> list[GoldMention]:
    """Parse a gold JSONL file; every problem names ``path:line``."""
    gold: list[GoldMention] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read gold file: {exc}") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise GoldError(f"{where}: not a JSON object: {exc}") from exc
        if not isinstance(row, dict):
            raise GoldError(f"{where}: expected a JSON object, got {type(row).__name__}")
        doc = row.get("doc", default_doc)
        if not isinstance(doc, str) or not doc:
            raise GoldError(f"{where}: missing \"doc\" (needed when DOCS is a folder)")
        start, end = row.get("start"), row.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
            raise GoldError(f"{where}: \"start\"/\"end\" must be integers with 0 <= start < end")
        label = row.get("label")
        if not isinstance(label, str) or not label:
            raise GoldError(f"{where}: missing \"label\"")
        if "entity_id" not in row:
            raise GoldError(f"{where}: missing \"entity_id\" (null for a must-stay-unlinked "
                            "mention)")
        ident = row["entity_id"]
        if ident is not None and (not isinstance(ident, str) or not ident):
            raise GoldError(f"{where}: \"entity_id\" must be a string or null")
        text = row.get("text")
        if text is not None and not isinstance(text, str):
            raise GoldError(f"{where}: \"text\" must be a string")
        gold.append(GoldMention(
            doc=doc, start=start, end=end, label=label, entity_id=ident, text=text,
            **{flag: bool(row.get(flag, False)) for flag in _FLAGS}, line=n,
        ))
    return gold


def read_gold_docbin(path: Path, nlp: Language) -> tuple[list[GoldMention], dict[str, str]]:
    """Gold mentions and texts from a spaCy DocBin (``doc.ents``, ``kb_id_`` the entity).

    Documents are named by ``doc.user_data["doc"]`` when present, else ``doc<i>``.
    """
    from spacy.tokens import DocBin

    try:
        docbin = DocBin().from_disk(path)
    except (OSError, ValueError) as exc:
        raise GoldError(f"{path}: cannot read DocBin: {exc}") from exc
    gold: list[GoldMention] = []
    texts: dict[str, str] = {}
    for i, doc in enumerate(docbin.get_docs(nlp.vocab)):
        name = str(doc.user_data.get("doc") or f"doc{i}")
        texts[name] = doc.text
        for ent in doc.ents:
            gold.append(GoldMention(name, ent.start_char, ent.end_char, ent.label_,
                                    ent.kb_id_ or None, ent.text))
    return gold, texts


def read_documents(docs: Path) -> dict[str, str]:
    """Texts under DOCS keyed by path relative to DOCS (a file: its name).

    The batch readers are used so that offsets are the ones mentions.jsonl uses.
    """
    from romanize_entities.readers import ReadError, SkippedFile, iter_inputs, read_document

    texts: dict[str, str] = {}
    try:
        found = list(iter_inputs([docs]))
    except FileNotFoundError as exc:
        raise GoldError(f"{docs}: no such file or folder") from exc
    for path, root in found:
        try:
            document = read_document(path, root)
        except SkippedFile:
            continue
        except ReadError as exc:
            raise GoldError(f"{path}: {exc}") from exc
        texts[document.relpath] = document.text
    return texts


def check_gold(gold: Sequence[GoldMention], texts: Mapping[str, str], source: str) -> None:
    """Every gold mention names a document, fits in it and, with ``text``, matches it."""
    for g in gold:
        where = f"{source}:{g.line}" if g.line else source
        if g.doc not in texts:
            known = ", ".join(sorted(texts)[:5])
            raise GoldError(f"{where}: document {g.doc!r} is not among DOCS ({known}...)")
        text = texts[g.doc]
        if g.end > len(text):
            raise GoldError(f"{where}: end {g.end} is beyond the end of {g.doc!r} "
                            f"({len(text)} characters)")
        if g.text is not None and text[g.start:g.end] != g.text:
            raise GoldError(f"{where}: text {g.text!r} does not match {g.doc!r}"
                            f"[{g.start}:{g.end}] = {text[g.start:g.end]!r}")


# -- predicting ------------------------------------------------------------------------


def _component(nlp: Language) -> Any:
    from romanize_entities.component import RomanizeEntities

    for _name, pipe in nlp.pipeline:
        if isinstance(pipe, RomanizeEntities):
            return pipe
    raise ValueError("the pipeline has no romanize_entities component")


def _doc_predictions(doc: Doc, spans_key: str, offset: int) -> list[Predicted]:
    ents = list(doc.ents)
    out = [Predicted(offset + e.start_char, offset + e.end_char, e.label_, e.kb_id_ or None)
           for e in ents]
    seen = {(p.start, p.end) for p in out}
    if spans_key in doc.spans:
        for span in doc.spans[spans_key]:
            key = (offset + span.start_char, offset + span.end_char)
            inside = any(e.start <= span.start and span.end <= e.end for e in ents)
            if inside and key not in seen:
                seen.add(key)
                out.append(Predicted(key[0], key[1], span.label_, span.kb_id_ or None, True))
    return out


def predict(nlp: Language, texts: Mapping[str, str]) -> dict[str, list[Predicted]]:
    """Run *nlp* over every text (long ones in chunks, offsets kept) → predicted spans."""
    from romanize_entities.readers import split_for_max_length

    spans_key = getattr(_component(nlp), "spans_key", "romanize_entities")
    result: dict[str, list[Predicted]] = {}
    for name, text in texts.items():
        chunks = (split_for_max_length(text, nlp.max_length)
                  if len(text) > nlp.max_length else [(0, text)])
        found: list[Predicted] = []
        for offset, chunk in chunks:
            found.extend(_doc_predictions(nlp(chunk), spans_key, offset))
        result[name] = found
    return result


# -- scoring ---------------------------------------------------------------------------


@dataclass
class PRF:
    """True/false positives and negatives, with precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass
class Outcomes:
    """Link outcomes of gold mentions: known entities and must-stay-unlinked ones."""

    right: int = 0  # gold entity linked on the gold span
    wrong: int = 0  # linked to another entity
    missed: int = 0  # not linked (or not on the gold span)
    unknown: int = 0  # gold entity_id null
    unknown_wrong: int = 0  # ... but linked to something
    spurious: int = 0  # linked entities (by predicted label) overlapping no gold mention

    @property
    def known(self) -> int:
        return self.right + self.wrong + self.missed

    @property
    def unknown_wrong_share(self) -> float:
        return self.unknown_wrong / self.unknown if self.unknown else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"right": self.right, "wrong": self.wrong, "missed": self.missed,
                "known": self.known, "unknown": self.unknown,
                "unknown_wrong": self.unknown_wrong,
                "unknown_wrong_share": round(self.unknown_wrong_share, 4),
                "spurious": self.spurious}


@dataclass
class Scores:
    """Every figure at one threshold."""

    threshold: float | None
    spans: dict[str, PRF] = field(default_factory=dict)
    links: dict[str, PRF] = field(default_factory=dict)
    outcomes: dict[str, Outcomes] = field(default_factory=dict)  # per label, and ALL
    flagged: dict[str, Outcomes] = field(default_factory=dict)  # surname_only, ...
    wrong_links: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "spans": {k: v.as_dict() for k, v in self.spans.items()},
            "links": {k: v.as_dict() for k, v in self.links.items()},
            "outcomes": {k: v.as_dict() for k, v in self.outcomes.items()},
            "flagged": {k: v.as_dict() for k, v in self.flagged.items()},
            "wrong_links": self.wrong_links,
        }


_PLACES = frozenset({"GPE", "LOC"})


def _place_inside_name(p: Predicted, g: GoldMention) -> bool:
    """A place linked inside the name of a body or event is that place, not a wrong
    link of the whole (issue 12); inside a person's name it is not."""
    inside = g.start <= p.start and p.end <= g.end and (p.start, p.end) != (g.start, g.end)
    return inside and p.label in _PLACES and g.label not in _PLACES | {"PERSON"}


def _judge(g: GoldMention, preds: Sequence[Predicted],
           gold_offsets: set[tuple[int, int]]) -> tuple[str, Predicted | None]:
    """"right", "wrong" or "missed" for one gold mention, with the deciding prediction."""
    exact = [p for p in preds if (p.start, p.end) == (g.start, g.end)]
    exact.sort(key=lambda p: p.nested)  # doc.ents first
    if exact:
        p = exact[0]
        if p.entity_id is None:
            return ("right" if g.entity_id is None else "missed"), p
        return ("right" if p.entity_id == g.entity_id else "wrong"), p
    for p in preds:
        if p.nested or p.entity_id is None or not (p.start < g.end and g.start < p.end):
            continue
        if (p.start, p.end) in gold_offsets or p.entity_id == g.entity_id:
            continue  # judged as its own gold mention; same entity is a boundary slip
        if _place_inside_name(p, g):
            continue  # "Republic of Korea" linked as the country inside a government's name
        return "wrong", p
    return ("right" if g.entity_id is None else "missed"), None


def score(gold: Sequence[GoldMention], predictions: Mapping[str, Sequence[Predicted]],
          texts: Mapping[str, str] | None = None,
          threshold: float | None = None) -> Scores:
    """Compare predictions with gold (see the module docstring for the rules)."""
    scores = Scores(threshold)
    by_doc: dict[str, list[GoldMention]] = {}
    for g in gold:
        by_doc.setdefault(g.doc, []).append(g)

    def bump(table: dict[str, Any], label: str, factory: type) -> Any:
        return table.setdefault(label, factory())

    for doc in sorted(set(by_doc) | set(predictions)):
        golds = by_doc.get(doc, [])
        preds = list(predictions.get(doc, ()))
        gold_offsets = {(g.start, g.end) for g in golds}
        gold_spans = {(g.start, g.end, g.label) for g in golds}
        gold_links = {(g.start, g.end, g.entity_id) for g in golds if g.entity_id}
        # predictions that are scored as spans: entities, and nested ones on a gold span
        scored = [p for p in preds if not p.nested or (p.start, p.end) in gold_offsets]
        pred_spans = {(p.start, p.end, p.label) for p in scored}
        for s in pred_spans:
            for label in (s[2], ALL):
                prf = bump(scores.spans, label, PRF)
                if s in gold_spans:
                    prf.tp += 1
                else:
                    prf.fp += 1
        for s in gold_spans - pred_spans:
            for label in (s[2], ALL):
                bump(scores.spans, label, PRF).fn += 1
        label_of = {(g.start, g.end): g.label for g in golds}
        for p in scored:
            if p.entity_id is None:
                continue
            label = label_of.get((p.start, p.end), p.label)
            hit = (p.start, p.end, p.entity_id) in gold_links
            for key in (label, ALL):
                prf = bump(scores.links, key, PRF)
                if hit:
                    prf.tp += 1
                else:
                    prf.fp += 1
        for p in preds:
            if p.nested or p.entity_id is None:
                continue
            if not any(g.start < p.end and p.start < g.end for g in golds):
                for key in (p.label, ALL):
                    bump(scores.outcomes, key, Outcomes).spurious += 1
                scores.wrong_links.append({
                    "doc": doc, "start": p.start, "end": p.end,
                    "text": texts[doc][p.start:p.end] if texts and doc in texts else None,
                    "label": p.label, "gold": None, "linked": p.entity_id,
                    "linked_span": [p.start, p.end], "spurious": True,
                    "linked_text": texts[doc][p.start:p.end] if texts and doc in texts else None,
                })
        linked = {(p.start, p.end, p.entity_id) for p in scored if p.entity_id}
        for g in golds:
            if g.entity_id and (g.start, g.end, g.entity_id) not in linked:
                for key in (g.label, ALL):
                    bump(scores.links, key, PRF).fn += 1
            verdict, by = _judge(g, preds, gold_offsets - {(g.start, g.end)})
            groups = [g.label, ALL] + [f for f in _FLAGS if getattr(g, f)]
            for key in groups:
                table = scores.flagged if key in _FLAGS else scores.outcomes
                out = bump(table, key, Outcomes)
                if g.entity_id is None:
                    out.unknown += 1
                    out.unknown_wrong += verdict == "wrong"
                else:
                    setattr(out, verdict, getattr(out, verdict) + 1)
            if verdict == "wrong" and by is not None:
                surface = texts[doc][by.start:by.end] if texts and doc in texts else None
                gold_text = texts[doc][g.start:g.end] if texts and doc in texts else g.text
                scores.wrong_links.append({
                    "doc": doc, "start": g.start, "end": g.end, "text": gold_text,
                    "label": g.label, "gold": g.entity_id, "linked": by.entity_id,
                    "linked_span": [by.start, by.end], "linked_text": surface,
                })
    return scores


# -- the report ------------------------------------------------------------------------


@dataclass
class Report:
    """Scores at the pipeline's threshold plus a sweep; see :func:`evaluate`."""

    documents: int
    mentions: int
    main: Scores
    sweep: list[Scores] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = {"documents": self.documents, "mentions": self.mentions, **self.main.as_dict()}
        out["sweep"] = [_sweep_row(s) for s in self.sweep]
        return out


def _sweep_row(s: Scores) -> dict[str, Any]:
    links = s.links.get(ALL, PRF())
    out = s.outcomes.get(ALL, Outcomes())
    return {"threshold": s.threshold, **{k: v for k, v in links.as_dict().items()},
            "right": out.right, "wrong": out.wrong, "missed": out.missed,
            "unknown_wrong": out.unknown_wrong,
            "unknown_wrong_share": round(out.unknown_wrong_share, 4)}


def evaluate(nlp: Language, gold: Sequence[GoldMention], texts: Mapping[str, str],
             *, sweep: Iterable[float] | None = DEFAULT_SWEEP) -> Report:
    """Run *nlp* over *texts* and score it against *gold*, then again per sweep threshold.

    The sweep sets the component's ``threshold`` in place and restores it, so the
    table is compiled once.
    """
    component = _component(nlp)
    base = float(component.threshold)
    main = score(gold, predict(nlp, texts), texts, base)
    rows: list[Scores] = []
    try:
        for t in sweep or ():
            if abs(float(t) - base) < 1e-9:  # the main run already is this row
                rows.append(main)
                continue
            component.threshold = float(t)
            rows.append(score(gold, predict(nlp, texts), texts, float(t)))
    finally:
        component.threshold = base
    return Report(len(texts), len(gold), main, rows)


def build_pipeline(aliases: Sequence[str | Path] = (), *, include_default: bool = True,
                   threshold: float | None = None,
                   settings: Mapping[str, Any] | None = None) -> Language:
    """A blank English pipeline with the component configured and its table loaded.

    The table is loaded here, not on the first document, so that a broken alias
    file fails before any scoring starts.
    """
    import spacy

    config: dict[str, Any] = {"aliases": [str(p) for p in aliases],
                              "include_default": include_default}
    config.update(settings or {})
    if threshold is not None:
        config["threshold"] = threshold
    nlp = spacy.blank("en")
    nlp.add_pipe("romanize_entities", config=config)
    _ = _component(nlp).table
    return nlp


def render_text(report: Report) -> str:
    """Plain-text tables: spans and links per label, outcomes per type, subsets, sweep."""
    main = report.main
    lines = [f"{report.documents} document(s), {report.mentions} gold mention(s); "
             f"threshold {main.threshold}", ""]
    for title, table in (("spans", main.spans), ("links", main.links)):
        lines.append(f"{title:<8}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
        for label in sorted(table, key=lambda k: (k == ALL, k)):
            prf = table[label]
            lines.append(f"  {label:<6}{prf.precision:>7.3f}{prf.recall:>7.3f}{prf.f1:>7.3f}"
                         f"{prf.tp:>6}{prf.fp:>6}{prf.fn:>6}")
        lines.append("")
    header = (f"{'type':<14}{'known':>6}{'right':>7}{'wrong':>7}{'missed':>7}"
              f"{'unknown':>9}{'linked':>8}{'share':>7}{'spurious':>9}")
    groups: tuple[tuple[str, dict[str, Outcomes]], ...] = (
        ("outcomes", main.outcomes), ("subsets", main.flagged))
    for title, outcomes in groups:
        if not outcomes:
            continue
        lines.append(f"{title}: " + header)
        for key in sorted(outcomes, key=lambda k: (k == ALL, k)):
            o = outcomes[key]
            lines.append(f"  {key:<{len(title) + 12}}{o.known:>6}{o.right:>7}{o.wrong:>7}"
                         f"{o.missed:>7}{o.unknown:>9}{o.unknown_wrong:>8}"
                         f"{o.unknown_wrong_share:>7.1%}{o.spurious:>9}")
        lines.append("")
    if report.sweep:
        lines.append(f"{'threshold':<10}{'P':>7}{'R':>7}{'F1':>7}{'right':>7}{'wrong':>7}"
                     f"{'missed':>7}{'unk.linked':>11}")
        for s in report.sweep:
            row = _sweep_row(s)
            lines.append(f"  {row['threshold']:<8.2f}{row['precision']:>7.3f}"
                         f"{row['recall']:>7.3f}{row['f1']:>7.3f}{row['right']:>7}"
                         f"{row['wrong']:>7}{row['missed']:>7}{row['unknown_wrong']:>11}")
        lines.append("")
    if main.wrong_links:
        lines.append(f"wrong links ({len(main.wrong_links)}):")
        for w in main.wrong_links:
            gold = "no gold mention" if w.get("spurious") else f"gold {w['gold'] or 'unlinked'}"
            lines.append(f"  {w['doc']}:{w['start']} {w['text']!r} ({w['label']}, {gold})"
                         f" -> {w['linked_text']!r} {w['linked']}")
    return "\n".join(lines).rstrip() + "\n"


__all__ = [
    "DEFAULT_SWEEP",
    "PRF",
    "GoldError",
    "GoldMention",
    "Outcomes",
    "Predicted",
    "Report",
    "Scores",
    "build_pipeline",
    "check_gold",
    "evaluate",
    "predict",
    "read_documents",
    "read_gold_docbin",
    "read_gold_jsonl",
    "render_text",
    "score",
]
