"""Tests for romanize_entities.readers: finding inputs, decoding, and chunking.

All fixture files are generated in tmp_path so no binaries live in the repo.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import random
import sys
import time
from pathlib import Path

import pytest

from romanize_entities.readers import (
    SUPPORTED_SUFFIXES,
    Document,
    ReadError,
    SkippedFile,
    iter_inputs,
    read_document,
    split_for_max_length,
)

KOREAN_PARAGRAPH = (
    "서울에서 열린 회의에서 김대중 대통령은 평화와 통일에 대해 연설했다. "
    "이 문서는 1998년 외교 기록이며 당시 대표단의 발언을 정리한 것이다. "
    "The delegation met in Seoul to discuss the treaty with President Kim Dae-jung. "
    "박정희 시대의 경제 개발 계획과 새마을 운동도 함께 논의되었다.\n"
) * 3

LATIN1_PARAGRAPH = (
    "Café au lait, résumé, naïve façade, Zürich, Ångström, São Paulo and Málaga "
    "were mentioned in the attaché's report.\n"
) * 3


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _read(tmp_path: Path, name: str, data: bytes) -> Document:
    return read_document(_write(tmp_path, name, data), tmp_path)


# --------------------------------------------------------------------------- #
# Plain text
# --------------------------------------------------------------------------- #


def test_utf8_keeps_text_exactly(tmp_path: Path) -> None:
    text = "Kim Il-sung met Pak Hŏn-yŏng.\r\nSecond line — 평양.\n\n  indented\n"
    raw = text.encode("utf-8")
    doc = _read(tmp_path, "sub/a.txt", raw)
    assert doc.text == text  # CRLF and whitespace preserved so offsets index it
    assert doc.encoding == "utf-8"
    assert doc.relpath == "sub/a.txt"
    assert doc.path.is_absolute()
    assert doc.path == (tmp_path / "sub" / "a.txt").absolute()
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_ascii_is_reported_as_utf8(tmp_path: Path) -> None:
    doc = _read(tmp_path, "a.md", b"# Heading\n\nPlain ASCII.\n")
    assert doc.text == "# Heading\n\nPlain ASCII.\n"
    assert doc.encoding == "utf-8"


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    doc = _read(tmp_path, "bom.txt", codecs.BOM_UTF8 + "Yi Sun-sin 이순신".encode())
    assert doc.text == "Yi Sun-sin 이순신"
    assert doc.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    text = "Syngman Rhee 이승만\r\nline two\n"
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    doc = _read(tmp_path, "u16.txt", bom + text.encode(codec))
    assert doc.text == text
    assert doc.encoding == "utf-16"


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_korean_legacy_encoding_detected(tmp_path: Path, codec: str) -> None:
    doc = _read(tmp_path, "ko.txt", KOREAN_PARAGRAPH.encode(codec))
    assert doc.text == KOREAN_PARAGRAPH
    assert doc.encoding in {"cp949", "euc_kr", "euc-kr"}


def test_latin1_detected(tmp_path: Path) -> None:
    doc = _read(tmp_path, "fr.txt", LATIN1_PARAGRAPH.encode("latin-1"))
    assert doc.text == LATIN1_PARAGRAPH
    assert doc.encoding not in {"utf-8", "utf-8-sig"}


def test_empty_file_is_a_document(tmp_path: Path) -> None:
    doc = _read(tmp_path, "empty.txt", b"")
    assert doc.text == ""
    assert doc.sha256 == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"Hello\x00world\x00" * 20, "NUL"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"II*\x00\x08\x00\x00\x00", "TIFF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        # NUL-free binary junk: lots of control bytes.
        (bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 65, 66]) * 50, "control"),
    ],
    ids=["nul", "pdf", "png", "jpeg", "gif", "tiff", "zip", "controls"],
)
def test_binary_content_in_txt_fails(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = _write(tmp_path, "scan.txt", data)
    with pytest.raises(ReadError) as info:
        read_document(path, tmp_path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert "binary file" in message
    assert fragment in message
    assert info.value.path == path


def test_binary_utf16_bom_is_still_refused(tmp_path: Path) -> None:
    # A UTF-16 BOM excuses NUL bytes, but the decoded text must still look like text.
    path = _write(tmp_path, "fake.txt", codecs.BOM_UTF16_LE + bytes([1, 0, 2, 0, 3, 0]) * 40)
    with pytest.raises(ReadError, match="binary file"):
        read_document(path, tmp_path)


def test_undecodable_text_fails(tmp_path: Path) -> None:
    # Invalid UTF-8 right after a UTF-8 BOM cannot be text in any encoding.
    path = _write(tmp_path, "bad.txt", codecs.BOM_UTF8 + b"abc\xff\xfe\xfd")
    with pytest.raises(ReadError) as info:
        read_document(path, tmp_path)
    assert str(info.value).startswith(f"{path}: ")


def test_unsupported_suffix_is_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path, "photo.jpg", b"\xff\xd8\xff")
    with pytest.raises(SkippedFile) as info:
        read_document(path, tmp_path)
    assert str(info.value).startswith(str(path))
    assert ".jpg" in info.value.reason
    assert info.value.path == path


def test_suffix_match_is_case_insensitive(tmp_path: Path) -> None:
    doc = _read(tmp_path, "NOTES.TXT", b"Upper case suffix")
    assert doc.text == "Upper case suffix"


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".html", ".htm", ".docx", ".pdf"} == SUPPORTED_SUFFIXES


# --------------------------------------------------------------------------- #
# Unreadable files (we run as root, so chmod cannot make a file unreadable)
# --------------------------------------------------------------------------- #


def test_directory_path_is_a_read_error(tmp_path: Path) -> None:
    folder = tmp_path / "notes.txt"
    folder.mkdir()
    with pytest.raises(ReadError) as info:
        read_document(folder, tmp_path)
    assert str(info.value).startswith(str(folder))
    assert "directory" in str(info.value)


def test_dangling_symlink_is_a_read_error(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "does-not-exist.txt")
    with pytest.raises(ReadError) as info:
        read_document(link, tmp_path)
    assert str(info.value).startswith(str(link))
    assert os.strerror(2) in str(info.value)  # "No such file or directory"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match="not a regular file"):
        read_document(fifo, tmp_path)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions"
)
def test_permission_denied(tmp_path: Path) -> None:  # pragma: no cover - not run as root
    path = _write(tmp_path, "secret.txt", b"hidden")
    path.chmod(0)
    with pytest.raises(ReadError, match="ermission"):
        read_document(path, tmp_path)


# --------------------------------------------------------------------------- #
# HTML
# --------------------------------------------------------------------------- #


HTML_PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Report on Seoul</title>
<style>body { color: red; } .hidden-style {}</style>
<script>var secretScript = "Kim Jong-il";</script>
</head>
<body>
<!-- a comment about Chun Doo-hwan -->
<noscript>Enable JavaScript please</noscript>
<h1>Meeting notes</h1>
<p>President <b>Park</b> <i>Chung-hee</i> arrived in Busan.</p>
<p>The second paragraph mentions Gwangju.</p>
<div>Line one<br>Line two</div>
<ul><li>First item</li><li>Second item</li></ul>
<script>document.write("more script")</script>
</body></html>
"""


def test_html_visible_text(tmp_path: Path) -> None:
    doc = _read(tmp_path, "page.html", HTML_PAGE.encode("utf-8"))
    assert doc.encoding == "html"
    text = doc.text
    for invisible in ("color: red", "secretScript", "more script", "Chun Doo-hwan", "JavaScript"):
        assert invisible not in text
    assert "Report on Seoul" in text
    # Inline markup does not split a name; paragraphs stay separated.
    assert "President Park Chung-hee arrived in Busan." in text
    assert "arrived in Busan.\n\nThe second paragraph mentions Gwangju." in text
    assert "Line one\nLine two" in text
    assert "First item\n\nSecond item" in text
    assert "\n\n\n" not in text
    assert text == text.strip()


def test_html_meta_charset_respected(tmp_path: Path) -> None:
    body = "<p>회담은 서울에서 열렸다. 김영삼 대통령이 참석했다.</p>"
    page = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
        f"</head><body>{body}</body></html>"
    )
    doc = _read(tmp_path, "ko.htm", page.encode("euc-kr"))
    assert doc.text == "회담은 서울에서 열렸다. 김영삼 대통령이 참석했다."


def test_html_binary_fails(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.html", b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ReadError, match="binary file"):
        read_document(path, tmp_path)


# --------------------------------------------------------------------------- #
# DOCX
# --------------------------------------------------------------------------- #


def test_docx_round_trip(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Kim Ku led the Provisional Government.")
    document.add_paragraph("")  # empty paragraphs do not create extra blank lines
    document.add_paragraph("Second paragraph about Shanghai.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Ahn Chang-ho"
    table.cell(0, 1).text = "Los Angeles"
    document.add_paragraph("After the table.")
    buffer = io.BytesIO()
    document.save(buffer)

    doc = _read(tmp_path, "report.docx", buffer.getvalue())
    assert doc.encoding == "docx"
    assert doc.text == (
        "Kim Ku led the Provisional Government.\n\n"
        "Second paragraph about Shanghai.\n\n"
        "Ahn Chang-ho\n\nLos Angeles\n\n"
        "After the table."
    )


def test_docx_corrupt_is_read_error(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    path = _write(tmp_path, "broken.docx", b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ReadError) as info:
        read_document(path, tmp_path)
    assert str(info.value).startswith(str(path))
    assert "docx" in str(info.value)


def test_docx_missing_extra_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes `import docx` raise ImportError, which
    # simulates the extra not being installed whether or not it really is.
    monkeypatch.setitem(sys.modules, "docx", None)
    path = _write(tmp_path, "report.docx", b"PK\x03\x04")
    with pytest.raises(ReadError) as info:
        read_document(path, tmp_path)
    assert str(info.value) == (
        f"{path}: reading .docx files needs the 'docx' extra: pip install 'romanize-entities[docx]'"
    )


# --------------------------------------------------------------------------- #
# PDF
# --------------------------------------------------------------------------- #


def _minimal_pdf(pages: list[str]) -> bytes:
    """A tiny valid PDF with one line of Helvetica text per page."""
    objects: list[bytes] = []
    n = len(pages)
    page_ids = [3 + 2 * i for i in range(n)]
    font_id = 3 + 2 * n
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    for i, text in enumerate(pages):
        content_id = page_ids[i] + 1
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>"
            ).encode()
        )
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")

    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_pages_joined(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    data = _minimal_pdf(["Page one mentions Incheon.", "Page two mentions Daegu."])
    doc = _read(tmp_path, "doc.pdf", data)
    assert doc.encoding == "pdf"
    first, second = doc.text.split("\n\n")
    assert "Page one mentions Incheon." in first
    assert "Page two mentions Daegu." in second


def test_pdf_encrypted_is_read_error(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(_minimal_pdf(["Secret page"])))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = _write(tmp_path, "locked.pdf", buffer.getvalue())
    with pytest.raises(ReadError) as info:
        read_document(path, tmp_path)
    assert str(info.value).startswith(str(path))
    assert "encrypted" in str(info.value)


def test_pdf_corrupt_is_read_error(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = _write(tmp_path, "broken.pdf", b"this is not a pdf at all")
    with pytest.raises(ReadError) as info:
        read_document(path, tmp_path)
    assert str(info.value).startswith(str(path))


def test_pdf_missing_extra_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)
    path = _write(tmp_path, "doc.pdf", _minimal_pdf(["x"]))
    with pytest.raises(ReadError) as info:
        read_document(path, tmp_path)
    assert str(info.value) == (
        f"{path}: reading .pdf files needs the 'pdf' extra: pip install 'romanize-entities[pdf]'"
    )


# --------------------------------------------------------------------------- #
# iter_inputs
# --------------------------------------------------------------------------- #


def _make_tree(root: Path) -> None:
    for rel in [
        "b.txt",
        "a.txt",
        "sub/z.md",
        "sub/deeper/y.html",
        "a/b.txt",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.cache/x.txt",
        "image.png",
    ]:
        _write(root, rel, b"x")


def test_iter_inputs_order_recursion_and_hidden(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _make_tree(root)
    found = list(iter_inputs([root]))
    assert all(r == root for _, r in found)
    rels = [f.relative_to(root).as_posix() for f, _ in found]
    assert rels == ["a.txt", "a/b.txt", "b.txt", "image.png", "sub/deeper/y.html", "sub/z.md"]


def test_iter_inputs_keeps_input_order_and_dedupes(tmp_path: Path) -> None:
    first = tmp_path / "one"
    second = tmp_path / "two"
    _write(first, "z.txt", b"1")
    _write(second, "a.txt", b"2")
    single = _write(tmp_path, "loose.txt", b"3")
    (second / "link.txt").symlink_to(first / "z.txt")

    found = list(iter_inputs([first, str(second), single, first / "z.txt", single]))
    assert found == [
        (first / "z.txt", first),
        (second / "a.txt", second),
        (single, tmp_path),
    ]
    doc = read_document(*found[2])
    assert doc.relpath == "loose.txt"


def test_iter_inputs_missing_input(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(FileNotFoundError) as info:
        list(iter_inputs([missing]))
    assert str(missing) in str(info.value)


def test_iter_inputs_yields_dangling_symlink_for_reporting(tmp_path: Path) -> None:
    root = tmp_path / "c"
    _write(root, "ok.txt", b"fine")
    (root / "dead.txt").symlink_to(root / "missing.txt")
    found = [f for f, _ in iter_inputs([root])]
    assert found == [root / "dead.txt", root / "ok.txt"]
    with pytest.raises(ReadError):
        read_document(found[0], root)


def test_relpath_uses_posix_separators(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    path = _write(root, "x/y/z.txt", b"hi")
    ((file, r),) = list(iter_inputs([root]))
    assert file == path
    assert read_document(file, r).relpath == "x/y/z.txt"


# --------------------------------------------------------------------------- #
# split_for_max_length
# --------------------------------------------------------------------------- #


def _check_split(text: str, max_length: int) -> list[tuple[int, str]]:
    chunks = split_for_max_length(text, max_length)
    expected_start = 0
    for start, chunk in chunks:
        assert start == expected_start
        assert 0 < len(chunk) <= max_length
        assert text[start : start + len(chunk)] == chunk
        expected_start += len(chunk)
    assert expected_start == len(text)
    assert "".join(chunk for _, chunk in chunks) == text
    return chunks


def test_split_short_and_empty() -> None:
    assert split_for_max_length("", 10) == []
    assert split_for_max_length("short", 10) == [(0, "short")]
    assert split_for_max_length("exactly10!", 10) == [(0, "exactly10!")]
    with pytest.raises(ValueError):
        split_for_max_length("x", 0)


def test_split_prefers_paragraphs_then_lines_then_spaces() -> None:
    text = "aaaa bbbb\ncccc\n\ndddd eeee\nffff"
    chunks = _check_split(text, 20)
    assert chunks[0] == (0, "aaaa bbbb\ncccc\n\n")
    # No blank line in the window: fall back to a newline.
    assert _check_split("aaaa bbbb\ncccc dddd", 16)[0][1] == "aaaa bbbb\n"
    # No newline: fall back to whitespace.
    assert _check_split("aaaa bbbb cccc", 12)[0][1] == "aaaa bbbb "
    # Nothing at all: hard cut.
    assert _check_split("x" * 25, 10) == [(0, "x" * 10), (10, "x" * 10), (20, "x" * 5)]


def test_split_random_texts_keep_invariants() -> None:
    rng = random.Random(1234)
    alphabet = ["a", "b", "김", " ", " ", "\n", "\n\n", "\r\n", "\t", "word ", "\u3000"]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        max_length = rng.randint(1, 60)
        _check_split(text, max_length)


def test_split_50mb_is_fast_and_complete() -> None:
    paragraph = ("The envoy from Seoul met Kim Il-sung in Pyongyang. " * 20).strip() + "\n\n"
    text = paragraph * (50_000_000 // len(paragraph) + 1)
    assert len(text) >= 50_000_000
    started = time.perf_counter()
    chunks = split_for_max_length(text, 100_000)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0
    assert sum(len(c) for _, c in chunks) == len(text)
    position = 0
    for start, chunk in chunks:
        assert start == position
        assert len(chunk) <= 100_000
        assert chunk.endswith("\n\n") or start + len(chunk) == len(text)
        position += len(chunk)
    assert position == len(text)


def test_split_50mb_without_whitespace_is_fast() -> None:
    text = "가" * 50_000_000
    started = time.perf_counter()
    chunks = split_for_max_length(text, 10_000)
    assert time.perf_counter() - started < 2.0
    assert len(chunks) == 5_000
    assert sum(len(c) for _, c in chunks) == len(text)


def test_readers_are_a_suffix_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from romanize_entities.readers import READERS, register_reader, supported_suffixes

    assert supported_suffixes() == SUPPORTED_SUFFIXES == frozenset(READERS)
    note = tmp_path / "note.rtf"
    note.write_bytes(b"{\\rtf1 Kim Il Sung}")
    with pytest.raises(SkippedFile, match=r"unsupported file type \.rtf"):
        read_document(note, tmp_path)  # never handed to another format's reader
    monkeypatch.setitem(READERS, ".rtf", READERS[".txt"])
    assert read_document(note, tmp_path).text == "{\\rtf1 Kim Il Sung}"
    monkeypatch.delitem(READERS, ".rtf")

    @register_reader(".RTF2")
    def upper(data: bytes, path: Path) -> tuple[str, str]:
        return data.decode("ascii").upper(), "rtf2"

    try:
        (tmp_path / "a.rtf2").write_bytes(b"pak hon yong")
        document = read_document(tmp_path / "a.rtf2", tmp_path)
        assert (document.text, document.encoding) == ("PAK HON YONG", "rtf2")
        assert ".rtf2" in supported_suffixes()
    finally:
        del READERS[".rtf2"]
