"""Redo the screenshots of docs/serve.md and docs/batch.md in headless Chromium.

    python docs/img/screenshots.py

Starts ``romanize-entities serve`` on a free port and photographs the preview
card (at the manifest's width and height, as OpenRefine frames it) and the
entity page; runs ``run --html`` on examples/letters and photographs the
report's index (filtered as a user would), an entity page and a document page.
Needs Debian's ``chromium``; Hangul shows only with a CJK font (fonts-noto-cjk).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from _chromium import Browser  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_shots() -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from romanize_entities.cli import main; "
                             "main()", "serve", "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(base + "/reconcile", timeout=2) as resp:
                    manifest = json.load(resp)
                break
            except OSError:
                time.sleep(0.2)
        width, height = manifest["preview"]["width"], manifest["preview"]["height"]
        with Browser(width=width, height=height) as browser:
            browser.open(base + "/preview?id=pak-hon-yong")
            browser.screenshot(HERE / "serve-preview.png")
        with Browser(width=900, height=700) as browser:
            browser.open(base + "/entity/choe-yong-gon")
            browser.screenshot(HERE / "serve-entity.png")
    finally:
        proc.terminate()
        proc.wait()


def report_shots() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        subprocess.run([sys.executable, "-c", "from romanize_entities.cli import main; main()",
                        "run", str(ROOT / "examples" / "letters"), "--out", str(out), "--html",
                        "-q"], check=True)
        html = out / "html"
        with Browser(width=1100, height=760) as browser:
            browser.open((html / "index.html").as_uri())
            browser.screenshot(HERE / "report-index.png")
            browser.evaluate("""new Promise(done => {
                const box = document.querySelector('input[data-filter=entities]');
                box.value = 'person pak'; box.dispatchEvent(new Event('input'));
                document.querySelectorAll('#entities th')[3].click();
                setTimeout(done, 300); })""")
            browser.screenshot(HERE / "report-index-filtered.png")
            browser.open((html / "entities" / "pak-hon-yong.html").as_uri())
            browser.screenshot(HERE / "report-entity.png")
            browser.evaluate("document.querySelector('#mentions tbody a').click()")
            browser.wait_event("Page.loadEventFired")
            time.sleep(0.3)
            browser.screenshot(HERE / "report-document.png")


if __name__ == "__main__":
    serve_shots()
    report_shots()
