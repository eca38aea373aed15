"""One reader per file type, as a registry: suffix -> reader.

A reader takes the file's bytes and path and returns ``(text, encoding)``; it
raises :class:`ReadError` for anything it cannot turn into text. A new file type
is one function registered with :func:`register_reader`; a suffix with no reader
is skipped (:class:`SkippedFile`), never given to another format's reader.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from romanize_entities.readers.decoding import _binary_reason, _decode_bytes, _read_plain
from romanize_entities.readers.inputs import _relpath
from romanize_entities.readers.model import Document, ReadError, SkippedFile

__all__ = [
    "READERS", "SUPPORTED_SUFFIXES", "Reader", "read_document", "register_reader",
    "supported_suffixes",
]

DOCX_EXTRA_MESSAGE = (
    "reading .docx files needs the 'docx' extra: pip install 'romanize-entities[docx]'"
)
PDF_EXTRA_MESSAGE = "reading .pdf files needs the 'pdf' extra: pip install 'romanize-entities[pdf]'"

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


#: ``(bytes, path) -> (text, encoding)``
Reader = Callable[[bytes, Path], tuple[str, str]]

#: Suffix (lower case, with the dot) -> reader.
READERS: dict[str, Reader] = {}


def register_reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a function as the reader of files with *suffixes* (".txt", ...)."""
    def register(reader: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix.lower()] = reader
        return reader

    return register


register_reader(".txt", ".md")(_read_plain)


@register_reader(".html", ".htm")
def _html_reader(data: bytes, path: Path) -> tuple[str, str]:
    return _read_html(data, path), "html"


@register_reader(".docx")
def _docx_reader(data: bytes, path: Path) -> tuple[str, str]:
    return _read_docx(data, path), "docx"


@register_reader(".pdf")
def _pdf_reader(data: bytes, path: Path) -> tuple[str, str]:
    return _read_pdf(data, path), "pdf"


#: The suffixes read out of the box (see :func:`supported_suffixes` for the current ones).
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(READERS)


def supported_suffixes() -> frozenset[str]:
    """Every suffix with a registered reader."""
    return frozenset(READERS)


def read_document(path: Path, root: Path) -> Document:
    """Read one file into a :class:`Document`.

    Raises :class:`SkippedFile` for a suffix without a reader (checked first,
    without touching the file) and :class:`ReadError` for anything unreadable:
    OS errors, binary content, undecodable text, corrupt or encrypted DOCX/PDF,
    or a missing optional extra.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        shown = suffix or "(none)"
        raise SkippedFile(path, f"unsupported file type {shown}; supported: {_supported_list()}")
    data = _read_bytes(path)
    text, encoding = reader(data, path)
    return Document(
        path=Path(os.path.abspath(path)),
        relpath=_relpath(path, root),
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _supported_list() -> str:
    return ", ".join(sorted(READERS))
