"""Input side of the batch runner: find documents on disk and turn them into text.

The entity linker reports character offsets into the text it was given, so the
readers here keep decoded text *exactly* as it is in the file (no newline
normalisation, no whitespace clean-up for plain text). The only transformation
of plain text is removing a byte-order mark, which is not part of the content.

Archival collections are messy: scans saved as ``.txt``, legacy Korean
encodings (CP949/EUC-KR), Western legacy encodings, UTF-16 exports from Word,
HTML pages and the odd DOCX/PDF. The rules are therefore:

* binary content is refused *before* any decoding is attempted, because a
  lenient decoder will happily turn a JPEG into plausible-looking mojibake that
  then produces garbage entities instead of a clear error;
* every failure is a :class:`ReadError` (or :class:`SkippedFile` for formats we
  do not handle) whose message starts with the file path, so a batch run can
  log and continue without losing track of which file failed;
* DOCX and PDF support are optional extras, and a missing extra is reported as
  a per-file error that says how to install it, not as an ``ImportError``.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Document",
    "ReadError",
    "SkippedFile",
    "iter_inputs",
    "read_document",
    "split_for_max_length",
]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf"})

_TEXT_SUFFIXES = frozenset({".txt", ".md"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})

DOCX_EXTRA_MESSAGE = (
    "reading .docx files needs the 'docx' extra: pip install 'romanize-entities[docx]'"
)
PDF_EXTRA_MESSAGE = "reading .pdf files needs the 'pdf' extra: pip install 'romanize-entities[pdf]'"


@dataclass(frozen=True)
class Document:
    """One decoded input file.

    ``relpath`` is relative to the INPUT it was found under (not to the current
    directory) so that output files can mirror the input layout regardless of
    where the batch was started from. ``sha256`` is over the raw bytes so that a
    re-run can tell whether a file changed without re-decoding it.
    """

    path: Path
    relpath: str
    text: str
    encoding: str
    sha256: str


class ReadError(Exception):
    """A supported file that could not be turned into text.

    The message always starts with the path so a batch log line is
    self-explanatory; ``reason`` holds the message without the path for callers
    that format their own reports.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{display_path(str(path))}: {reason}")


class SkippedFile(Exception):
    """A file whose suffix is not one we read; not an error, but worth reporting."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{display_path(str(path))}: {reason}")


# --------------------------------------------------------------------------- #
# Finding inputs
# --------------------------------------------------------------------------- #


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


# Bytes of a file name that are not UTF-8 reach Python as lone surrogates
# U+DC80..U+DCFF (PEP 383); those, and "%" itself, are what display_path escapes.
_NOT_TEXT = re.compile("[%\udc80-\udcff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return "%25" if char == "%" else f"%{ord(char) - 0xDC00:02X}"


def display_path(name: str) -> str:
    """*name* (a path as the OS gave it) as valid UTF-8 text for outputs and messages.

    A file name that is not UTF-8 (CP949 names from Korean archives) cannot be
    written to ``mentions.jsonl`` as it is: each byte that is not UTF-8 becomes
    ``%XX`` (its hex value), and a literal ``%`` becomes ``%25`` so two names
    never collide and the original bytes can be recovered. UTF-8 names without
    ``%`` are returned unchanged.
    """
    if _NOT_TEXT.search(name) is None:
        return name
    return _NOT_TEXT.sub(_escape, name)


def _resolved(path: Path) -> Path:
    """``path.resolve()``, or the absolute path when it cannot be resolved (a symlink loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python < 3.13 on a symlink loop
        return Path(os.path.abspath(path))


def iter_inputs(
    inputs: Sequence[str | Path], *, skip_dirs: Sequence[str | Path] = (),
) -> Iterator[tuple[Path, Path]]:
    """Yield ``(file, root)`` for every file under each INPUT.

    An INPUT is a file or a folder (searched recursively). Within a folder the
    files are sorted by their POSIX relative path, so output order and any
    resumable-run bookkeeping are identical across machines and file systems;
    INPUTs are processed in the order given. Hidden files and folders (names
    starting with ``.``) below an INPUT are skipped, since they are editor
    backups, ``.git`` and similar; an INPUT named explicitly is honoured even
    if hidden. The same file reached twice (overlapping INPUTs, symlinks) is
    yielded once so it is not linked and written twice.

    Symlinked *folders* are not descended into: that avoids cycles and
    surprising walks outside the collection. Symlinked files are yielded
    (dangling ones too, so the reader can report them instead of them silently
    vanishing), as are other non-regular entries, which the reader rejects.

    For a file INPUT the root is its parent folder, so its ``relpath`` is its
    name. A missing INPUT raises :class:`FileNotFoundError` naming it, before
    anything from that INPUT is yielded. Folders in *skip_dirs* (the run's own
    output folder when it lies inside an INPUT) are not descended into. A file
    symlink loop is yielded like any file, for the reader to report.
    """
    seen: set[Path] = set()
    skipped = {os.path.realpath(d) for d in skip_dirs}
    for raw in inputs:
        top = Path(raw)
        if not top.exists():
            raise FileNotFoundError(errno.ENOENT, "input not found", str(raw))
        if not top.is_dir():
            key = _resolved(top)
            if key not in seen:
                seen.add(key)
                yield top, top.parent
            continue

        found: list[tuple[str, Path]] = []
        for dirpath, dirnames, filenames in os.walk(top):
            # Pruning in place stops os.walk from descending into hidden folders.
            dirnames[:] = [d for d in dirnames if not _is_hidden(d)]
            if skipped:
                dirnames[:] = [d for d in dirnames
                               if os.path.realpath(os.path.join(dirpath, d)) not in skipped]
            base = Path(dirpath)
            for name in filenames:
                if _is_hidden(name):
                    continue
                file = base / name
                found.append((file.relative_to(top).as_posix(), file))
        found.sort(key=lambda item: item[0])
        for _, file in found:
            key = _resolved(file)
            if key in seen:
                continue
            seen.add(key)
            yield file, top


# --------------------------------------------------------------------------- #
# Binary detection and decoding
# --------------------------------------------------------------------------- #

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"PK\x03\x04", "ZIP"),
)

# Ordered so that the UTF-32 LE BOM (FF FE 00 00) wins over the UTF-16 LE BOM (FF FE).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 controls that never occur in real text. Tab, LF, VT, FF, CR, SUB (the DOS
# end-of-file marker) and ESC (ANSI colour codes in logs) are tolerated.
_SUSPECT_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20), 0x7F])
_SUSPECT_CONTROL_CHARS = re.compile("[" + re.escape(_SUSPECT_CONTROLS.decode("latin-1")) + "]")
_MAX_CONTROL_SHARE = 0.05

# charset-normalizer often finds several single-byte code pages equally
# plausible for short Western text (cp1250 vs cp1252 for "Zürich, Ångström").
# Our documents are English translations, so on an exact tie we prefer the
# code page an English-language archive most likely used.
_TIE_PREFERENCE = ("cp1252", "latin_1", "iso8859_15", "cp949", "euc_kr", "utf_16", "cp1250")


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _binary_reason(data: bytes) -> str | None:
    """Return why *data* looks binary, or None if it may be text.

    This runs on raw bytes before decoding: legacy-encoding detectors will
    decode almost anything, so the only safe place to refuse a scan or an
    archive is here.
    """
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            return f"binary file ({kind} data); not decoded as text"
    if _bom_encoding(data) in ("utf-16", "utf-32"):
        # NULs are normal in UTF-16/32; the decoded text is checked instead.
        return None
    if b"\x00" in data:
        return "binary file (NUL bytes); not decoded as text"
    # bytes.translate with a delete set runs in C, so this stays linear and fast.
    controls = len(data) - len(data.translate(None, _SUSPECT_CONTROLS))
    if data and controls / len(data) > _MAX_CONTROL_SHARE:
        return "binary file (control characters); not decoded as text"
    return None


def _control_share_of_text(text: str) -> float:
    if not text:
        return 0.0
    return len(_SUSPECT_CONTROL_CHARS.findall(text)) / len(text)


def _normalise_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _detect(data: bytes) -> tuple[str, str] | None:
    """Detect a legacy encoding with charset-normalizer; None if nothing fits."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    by_name = {str(m.encoding): m for m in tied}
    chosen = best
    for preferred in _TIE_PREFERENCE:
        if preferred in by_name:
            chosen = by_name[preferred]
            break
    encoding = str(chosen.encoding)
    try:
        # Decode ourselves (strictly) rather than trusting str(match), so the
        # recorded encoding reproduces the text exactly.
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_bytes(data: bytes, path: Path, hint: str | None = None) -> tuple[str, str]:
    """Decode *data* to ``(text, encoding)`` or raise :class:`ReadError`.

    Order of trust: a BOM (unambiguous), then strict UTF-8 when the data is not
    pure ASCII (valid multi-byte UTF-8 almost never happens by accident, and
    HTML labelled ``iso-8859-1`` is very often really UTF-8), then the *hint*
    (an HTML ``<meta charset>``), then plain UTF-8, then statistical detection.
    """
    bom = _bom_encoding(data)
    if bom is not None:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as exc:
            raise ReadError(
                path, f"invalid {bom} data after byte-order mark: {exc.reason}"
            ) from exc
        if bom in ("utf-16", "utf-32") and _control_share_of_text(text) > _MAX_CONTROL_SHARE:
            raise ReadError(path, "binary file (control characters); not decoded as text")
        return text, bom

    if not data.isascii():
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass

    codec = _normalise_codec(hint) if hint else None
    if codec is not None:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass

    if data.isascii():
        return data.decode("ascii"), "utf-8"

    detected = _detect(data)
    if detected is None:
        raise ReadError(
            path, "could not determine the text encoding (not UTF-8, no plausible legacy encoding)"
        )
    return detected


# --------------------------------------------------------------------------- #
# Format readers
# --------------------------------------------------------------------------- #


def _read_plain(data: bytes, path: Path) -> tuple[str, str]:
    if not data:
        return "", "utf-8"
    reason = _binary_reason(data)
    if reason is not None:
        raise ReadError(path, reason)
    return _decode_bytes(data, path)


_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)

# Elements whose content is never shown to a reader.
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")

# Elements that start a new paragraph-like block; everything else is inline and
# its text is joined without a separator so "Kim <b>Il-sung</b>" stays one name.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
        "thead", "title", "tr", "ul",
    }
)  # fmt: skip

_WS_RUN = re.compile(r"\s+")
_SPACES_AROUND_NEWLINE = re.compile(r"[^\S\n]*\n[^\S\n]*")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def _html_to_text(markup: str) -> str:
    """Visible text of an HTML document with paragraphs separated by blank lines.

    HTML whitespace is not significant, so unlike plain text the result is
    normalised: offsets index the returned text, not the markup. Inline
    elements are joined without separators (a name split over ``<b>`` tags
    stays one name); block elements and ``<br>`` introduce line breaks.
    ``<pre>`` keeps its line breaks, but indentation at line starts is dropped
    like everywhere else (it carries no entity information).
    """
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, Tag

    soup = BeautifulSoup(markup, "html.parser")
    for element in soup.find_all(_INVISIBLE_TAGS):
        element.decompose()
    # Keep <title> (often the document's heading in archive exports) but drop
    # everything else in <head>.
    for head in soup.find_all("head"):
        for child in list(head.children):
            if not (isinstance(child, Tag) and child.name == "title"):
                child.extract()

    # A block ends where its closing tag would be; soup.descendants has no
    # "end tag" event, so mark block ends with break nodes inserted after them.
    block_ends: set[int] = set()
    for block in soup.find_all(_BLOCK_TAGS):
        if block.parent is not None:
            marker = NavigableString("\n\n")
            block.insert_after(marker)
            block_ends.add(id(marker))

    pieces: list[str] = []
    for node in soup.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                pieces.append("\n")
            elif node.name in _BLOCK_TAGS:
                pieces.append("\n\n")
            continue
        if id(node) in block_ends:
            pieces.append("\n\n")
            continue
        # Comments, doctypes, CDATA and processing instructions are subclasses
        # of NavigableString; only plain text nodes are visible.
        if type(node) is not NavigableString:
            continue
        in_pre = node.find_parent("pre") is not None
        pieces.append(str(node) if in_pre else _WS_RUN.sub(" ", str(node)))

    text = _SPACES_AROUND_NEWLINE.sub("\n", "".join(pieces))
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def _read_html(data: bytes, path: Path) -> str:
    if not data:
        return ""
    reason = _binary_reason(data)
    if reason is not None:
        raise ReadError(path, reason)
    match = _META_CHARSET.search(data[:4096])
    hint = match.group(1).decode("ascii", "replace") if match else None
    markup, _ = _decode_bytes(data, path, hint)
    try:
        return _html_to_text(markup)
    except Exception as exc:  # bs4 rarely fails, but a batch must not die on one page
        raise ReadError(path, f"could not parse HTML: {exc}") from exc


def _docx_blocks(container: Any, seen_cells: set[object]) -> Iterator[str]:
    """Paragraph texts of a DOCX body or table cell, in document order.

    Merged table cells are returned once per row by python-docx; ``seen_cells``
    holds the underlying XML elements (lxml returns the same proxy object for
    an element while a reference to it is alive) so their text is not repeated.
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if hasattr(container, "iter_inner_content"):
        items: Iterator[Any] = container.iter_inner_content()
    else:  # python-docx < 1.0: paragraphs first, then tables
        items = iter([*container.paragraphs, *container.tables])
    for item in items:
        if isinstance(item, Paragraph):
            if item.text.strip():
                yield item.text
        elif isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    element = cell._tc
                    if element in seen_cells:
                        continue
                    seen_cells.add(element)
                    yield from _docx_blocks(cell, seen_cells)


def _read_docx(data: bytes, path: Path) -> str:
    try:
        import docx
    except ImportError as exc:
        raise ReadError(path, DOCX_EXTRA_MESSAGE) from exc
    try:
        document = docx.Document(io.BytesIO(data))
        return "\n\n".join(_docx_blocks(document, set()))
    except Exception as exc:  # python-docx raises many unrelated types on bad input
        raise ReadError(path, f"not a readable .docx file: {type(exc).__name__}: {exc}") from exc


def _read_pdf(data: bytes, path: Path) -> str:
    try:
        import pypdf
    except ImportError as exc:
        raise ReadError(path, PDF_EXTRA_MESSAGE) from exc
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        # Many archive PDFs are "encrypted" only to restrict printing, with an
        # empty user password; those open fine. Anything else fails.
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(path, "encrypted PDF (a password is required)")
        return "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many types on corrupt input
        raise ReadError(path, f"not a readable .pdf file: {type(exc).__name__}: {exc}") from exc


def _read_bytes(path: Path) -> bytes:
    """Read a regular file's bytes, refusing directories, FIFOs and devices.

    The file is opened non-blocking and checked with fstat on the open handle,
    so a FIFO cannot hang the batch and nothing changes between check and read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError(path, "symlink loop") from exc
        raise ReadError(path, f"cannot open file: {exc.strerror or exc}") from exc
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ReadError(path, "cannot read file: is a directory")
        if not stat.S_ISREG(mode):
            raise ReadError(path, "cannot read file: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError as exc:
        raise ReadError(path, f"cannot read file: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def _relpath(path: Path, root: Path) -> str:
    """The document's name in every output: its path under *root*, through :func:`display_path`."""
    abs_path = Path(os.path.abspath(path))
    abs_root = Path(os.path.abspath(root))
    if abs_path == abs_root:
        return display_path(abs_path.name)
    try:
        return display_path(abs_path.relative_to(abs_root).as_posix())
    except ValueError:
        return display_path(Path(os.path.relpath(abs_path, abs_root)).as_posix())


def read_document(path: Path, root: Path) -> Document:
    """Read one file into a :class:`Document`.

    Raises :class:`SkippedFile` for unsupported suffixes (checked first, without
    touching the file) and :class:`ReadError` for anything unreadable: OS
    errors, binary content, undecodable text, corrupt or encrypted DOCX/PDF,
    or a missing optional extra.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(none)"
        raise SkippedFile(path, f"unsupported file type {shown}; supported: {_supported_list()}")

    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    if suffix in _TEXT_SUFFIXES:
        text, encoding = _read_plain(data, path)
    elif suffix in _HTML_SUFFIXES:
        text, encoding = _read_html(data, path), "html"
    elif suffix == ".docx":
        text, encoding = _read_docx(data, path), "docx"
    else:
        text, encoding = _read_pdf(data, path), "pdf"

    return Document(
        path=Path(os.path.abspath(path)),
        relpath=_relpath(path, root),
        text=text,
        encoding=encoding,
        sha256=digest,
    )


def _supported_list() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES))


# --------------------------------------------------------------------------- #
# Splitting long texts
# --------------------------------------------------------------------------- #

_PARAGRAPH_SEPARATORS = ("\n\n", "\n\r\n")
_LINE_SEPARATORS = ("\n",)
_SPACE_SEPARATORS = (" ", "\t", "\r", "\f", "\v", "\xa0", "\u3000")


def _last_break(text: str, start: int, stop: int, separators: tuple[str, ...]) -> int:
    """End offset just after the last separator inside ``text[start:stop]``, or -1."""
    best = -1
    for sep in separators:
        index = text.rfind(sep, start, stop)
        if index != -1:
            best = max(best, index + len(sep))
    return best


def split_for_max_length(text: str, max_length: int) -> list[tuple[int, str]]:
    """Split *text* into ``(start_offset, chunk)`` pieces of at most *max_length*.

    spaCy (and memory) limit how much text one ``nlp()`` call may take, but the
    linker's offsets must refer to the whole document, so each chunk carries
    its start offset and the chunks concatenate back to *text* exactly.

    Each chunk is cut as late as possible at the best available boundary inside
    the window: after a blank line, else after a newline, else after
    whitespace, else a hard cut at *max_length*. Separators stay at the end of
    the chunk they close. Every search is an ``rfind`` bounded by the window,
    and cutting as late as possible means two consecutive chunks always span
    at least about *max_length* characters, so the total work is linear in
    ``len(text)``.

    An empty text gives ``[]``; a text of at most *max_length* characters gives
    one chunk. Raises :class:`ValueError` if *max_length* < 1.
    """
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")
    if not text:
        return []
    chunks: list[tuple[int, str]] = []
    start = 0
    total = len(text)
    while total - start > max_length:
        stop = start + max_length
        end = -1
        for separators in (_PARAGRAPH_SEPARATORS, _LINE_SEPARATORS, _SPACE_SEPARATORS):
            end = _last_break(text, start, stop, separators)
            if end > start:
                break
        if end <= start:
            end = stop
        chunks.append((start, text[start:end]))
        start = end
    chunks.append((start, text[start:]))
    return chunks
