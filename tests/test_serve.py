"""`romanize-entities serve`: the W3C Entity Reconciliation API 0.2 service.

The server is started as the command line starts it (a subprocess running
``serve`` on 127.0.0.1 and a free port) and every JSON answer is validated
against the specification's own schemas, vendored in
tests/data/reconciliation-schemas/ with every ``$ref`` resolved locally.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

from romanize_entities.reconcile import QueryError, build_service, parse_batch  # noqa: E402
from romanize_entities.reconcile.app import MAX_BODY  # noqa: E402
from romanize_entities.reconcile.service import MAX_BATCH  # noqa: E402
from romanize_entities.settings import parse_set_options  # noqa: E402

SCHEMAS = Path(__file__).parent / "data" / "reconciliation-schemas"
ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- #
# schemas
# --------------------------------------------------------------------------- #


def _registry() -> Any:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    resources = []
    for path in sorted(SCHEMAS.rglob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents,
                                                                  default_specification=DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(instance: Any, schema_name: str) -> None:
    """Validate against a vendored 0.2 schema; a $ref to anything not vendored fails."""
    schema = json.loads((SCHEMAS / "0.2" / schema_name).read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, registry=REGISTRY)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_vendored_schemas_resolve_every_ref_locally() -> None:
    seen: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                seen.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((SCHEMAS / "0.2").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        seen.clear()
        walk(contents)
        resolver = REGISTRY.resolver(base_uri=contents["$id"])
        for ref in seen:
            resolver.lookup(ref)  # raises Unresolvable for anything not held locally
    # the checks can fail: an invalid manifest is refused
    with pytest.raises(AssertionError):
        validate({"name": "x", "versions": ["0.1"]}, "manifest.json")


# --------------------------------------------------------------------------- #
# the server
# --------------------------------------------------------------------------- #


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    cmd = [sys.executable, "-c", "from romanize_entities.cli import main; main()", "serve",
           "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"serve exited with {proc.returncode}:\n{out}")
            try:
                with urllib.request.urlopen(base + "/reconcile", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("serve did not answer within 90 s")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def post(url: str, fields: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def reconcile(base: str, queries: dict[str, Any]) -> dict[str, Any]:
    validate(queries, "reconciliation-query-batch.json")  # what we send is a real batch
    status, _, body = post(base + "/reconcile", {"queries": json.dumps(queries)})
    assert status == 200, body
    result: dict[str, Any] = json.loads(body)
    validate(result, "reconciliation-result-batch.json")
    assert set(result) == set(queries)
    return result


# --------------------------------------------------------------------------- #
# manifest
# --------------------------------------------------------------------------- #


def test_manifest_is_valid(server: str) -> None:
    status, headers, body = get(server + "/reconcile")
    assert status == 200 and headers["content-type"].startswith("application/json")
    manifest = json.loads(body)
    validate(manifest, "manifest.json")
    assert manifest["versions"] == ["0.2"]
    assert {t["id"] for t in manifest["defaultTypes"]} >= {"PERSON", "ORG", "EVENT", "GPE"}
    assert manifest["view"]["url"] == server + "/entity/{{id}}"
    assert manifest["preview"]["url"] == server + "/preview?id={{id}}"
    assert manifest["suggest"]["entity"]["service_path"] == "/suggest/entity"
    assert manifest["extend"]["propose_properties"]["service_path"] == "/extend/propose"


def test_manifest_jsonp_and_cors(server: str) -> None:
    status, headers, body = get(server + "/reconcile?callback=cb_1")
    assert status == 200 and body.startswith(b"cb_1(") and body.endswith(b");")
    validate(json.loads(body[5:-2]), "manifest.json")
    status, _, body = get(server + "/reconcile?callback=alert(1)//")
    assert status == 400 and b"callback" in body
    status, headers, _ = get(server + "/reconcile", {"Origin": "http://localhost:3333"})
    assert headers.get("access-control-allow-origin") == "*"


# --------------------------------------------------------------------------- #
# reconciliation
# --------------------------------------------------------------------------- #

MIXED = {
    "rr": ("Pak Heon-yeong", "pak-hon-yong"),
    "mr": ("Pak Hŏn-yŏng", "pak-hon-yong"),
    "popular": ("Park Hun-young", "pak-hon-yong"),
    "hangul": ("박헌영", "pak-hon-yong"),
    "hanja": ("朴憲永", "pak-hon-yong"),
    "dprk": ("Ri Sang Jo", "lee-sang-jo"),
    "mr_choe": ("Ch'oe Yong-gŏn", "choe-yong-gon"),
    "western": ("Choi Yong-kun", "choe-yong-gon"),
    "jin": ("Choe Yong-jin", "choe-yong-jin"),
}


def test_mixed_romanizations_find_the_right_entity_with_match(server: str) -> None:
    queries = {key: {"query": text, "type": "PERSON", "limit": 5}
               for key, (text, _) in MIXED.items()}
    result = reconcile(server, queries)
    for key, (text, expected) in MIXED.items():
        top = result[key]["result"][0]
        assert top["id"] == expected, (text, result[key])
        assert top["match"] is True, (text, top)
        assert 0 <= top["score"] <= 100 and top["score"] >= 90
        assert top["type"][0]["id"] == "PERSON"
        assert len(result[key]["result"]) <= 5
        # at most one certain match per query
        assert sum(r["match"] for r in result[key]["result"]) == 1
    assert "1900" in result["rr"]["result"][0]["description"]


def test_a_similar_name_of_another_person_never_matches(server: str) -> None:
    result = reconcile(server, {
        "jin": {"query": "Choe Yong-jin"},
        "gon": {"query": "Choe Yong-kun"},
        "unknown": {"query": "Choe Yong-bae"},
    })
    jin = {r["id"]: r for r in result["jin"]["result"]}
    gon = {r["id"]: r for r in result["gon"]["result"]}
    assert jin["choe-yong-jin"]["match"] is True
    assert not jin.get("choe-yong-gon", {}).get("match", False)
    assert gon["choe-yong-gon"]["match"] is True  # the marshal's listed spelling
    assert not gon.get("choe-yong-jin", {}).get("match", False)
    # the marshal 최용건 and the vice premier 최영건 are both written "Choe Yong-gon":
    # that spelling alone matches neither
    both = reconcile(server, {"q": {"query": "Choe Yong-gon"}})["q"]["result"]
    assert {"choe-yong-gon", "choe-yong-gon-1952"} <= {r["id"] for r in both}
    assert not any(r["match"] for r in both)
    # a name the table does not know is never matched, only offered
    assert not any(r["match"] for r in result["unknown"]["result"])


def test_properties_move_the_score_and_a_conflict_removes_the_match(server: str) -> None:
    result = reconcile(server, {
        "agree": {"query": "Pak Hon Yong",
                  "properties": [{"pid": "born", "v": 1900}, {"pid": "hangul", "v": "박헌영"}]},
        "plain": {"query": "Pak Hon Yong"},
        "conflict": {"query": "Pak Hon Yong", "properties": [{"pid": "born", "v": "1911"}]},
        "hangul_only": {"properties": [{"pid": "hangul", "v": "박헌영"}]},
    })
    agree, plain = result["agree"]["result"][0], result["plain"]["result"][0]
    assert agree["id"] == plain["id"] == "pak-hon-yong"
    assert agree["score"] >= plain["score"] and agree["match"]
    assert {"id": "born", "value": True} in agree["features"]
    conflict = {r["id"]: r for r in result["conflict"]["result"]}["pak-hon-yong"]
    assert conflict["match"] is False and conflict["score"] < plain["score"]
    assert result["hangul_only"]["result"][0]["id"] == "pak-hon-yong"


def test_type_restricts_candidates(server: str) -> None:
    result = reconcile(server, {"org": {"query": "Pak Hon Yong", "type": "ORG"},
                                "party": {"query": "Korean Workers' Party", "type": ["ORG"]},
                                "wikidata_type": {"query": "Pak Hon Yong", "type": "Q5"}})
    assert all(r["type"][0]["id"] == "ORG" for r in result["org"]["result"])
    assert result["party"]["result"][0]["id"] == "workers-party-of-korea"
    assert all(r["type"][0]["id"] == "ORG" for r in result["party"]["result"])
    # a type this table does not have (Wikidata's "human") restricts nothing
    assert result["wikidata_type"]["result"][0]["id"] == "pak-hon-yong"


def test_get_with_small_batch(server: str) -> None:
    queries = json.dumps({"q0": {"query": "Pak Hon Yong"}})
    status, _, body = get(server + "/reconcile?" + urllib.parse.urlencode({"queries": queries}))
    assert status == 200
    data = json.loads(body)
    validate(data, "reconciliation-result-batch.json")
    assert data["q0"]["result"][0]["id"] == "pak-hon-yong"


@pytest.mark.parametrize("queries, fragment", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ('{"q0": "Pak"}', "expected an object"),
    ('{"q0": {"query": 5}}', "'query' must be a string"),
    ('{"q0": {"limit": 3}}', "needs a 'query' or 'properties'"),
    ('{"q0": {"query": "Pak", "limit": "x"}}', "'limit'"),
    ('{"q0": {"query": "Pak", "properties": [{"v": 1}]}}', "'pid'"),
    ('{"q0": {"query": "Pak", "colour": "red"}}', "unknown field"),
])
def test_malformed_batch_is_a_400_with_a_message(server: str, queries: str,
                                                 fragment: str) -> None:
    status, headers, body = post(server + "/reconcile", {"queries": queries})
    assert status == 400, body
    assert headers["content-type"].startswith("application/json")
    message = json.loads(body)["error"]
    assert fragment in message and "Traceback" not in message


def test_batch_and_body_size_are_bounded(server: str) -> None:
    too_many = {f"q{i}": {"query": "Kim"} for i in range(MAX_BATCH + 1)}
    status, _, body = post(server + "/reconcile", {"queries": json.dumps(too_many)})
    assert status == 400 and b"too many queries" in body
    # A body over the limit is refused from its Content-Length, before it is read
    # (a client that goes on sending would see the connection close).
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"POST /reconcile HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 3000000\r\n\r\nqueries=")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413") and b"larger than" in answer
    # ... and a chunked body with no Content-Length is cut off once it passes the limit
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"POST /reconcile HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"x" * 65536
        # just past the limit, and no more: the server refuses without our having sent
        # bytes it will never read (which would reset the connection under its answer)
        for _ in range(MAX_BODY // len(chunk) + 1):
            sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except OSError:
            pass
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_concurrent_requests_agree_with_sequential(server: str) -> None:
    batches = [{f"q{j}": {"query": text} for j, (text, _) in enumerate(MIXED.values())
                if j % 3 == i % 3} for i in range(12)]
    expected = [reconcile(server, b) for b in batches]
    with ThreadPoolExecutor(max_workers=12) as pool:
        got = list(pool.map(lambda b: reconcile(server, b), batches))
    assert got == expected


# --------------------------------------------------------------------------- #
# suggest, extend, preview, view
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("prefix", ["Pak Hon", "박헌", "Park Hun", "Pak Hŏn"])
def test_suggest_across_romanizations(server: str, prefix: str) -> None:
    status, _, body = get(server + "/suggest/entity?" + urllib.parse.urlencode({"prefix": prefix}))
    assert status == 200
    data = json.loads(body)
    validate(data, "suggest-entities-response.json")
    assert data["result"][0]["id"] == "pak-hon-yong"


def test_suggest_limit_and_missing_prefix(server: str) -> None:
    status, _, body = get(server + "/suggest/entity?prefix=Kim&limit=2")
    assert status == 200 and len(json.loads(body)["result"]) == 2
    status, _, body = get(server + "/suggest/entity")
    assert status == 400 and b"prefix" in body


def test_extend_propose_and_extend(server: str) -> None:
    status, _, body = get(server + "/extend/propose?type=PERSON")
    assert status == 200
    proposed = {p["id"] for p in json.loads(body)["properties"]}
    assert proposed == {"hangul", "hanja", "born", "died", "wikidata", "spellings"}
    query = {"ids": ["pak-hon-yong", "no-such-entity"],
             "properties": [{"id": p} for p in sorted(proposed)]}
    validate(query, "data-extension-query.json")
    for url in (server + "/extend", server + "/reconcile"):
        status, _, body = post(url, {"extend": json.dumps(query)})
        assert status == 200, body
        data = json.loads(body)
        validate(data, "data-extension-response.json")
        row = data["rows"]["pak-hon-yong"]
        assert row["hangul"] == [{"str": "박헌영"}] and row["hanja"] == [{"str": "朴憲永"}]
        assert row["born"] == [{"int": 1900}] and row["died"] == [{"int": 1955}]
        assert {"str": "Pak Heon-yeong"} in row["spellings"]
        assert all(v == [] for v in data["rows"]["no-such-entity"].values())
    status, _, body = post(server + "/extend", {"extend": json.dumps(
        {"ids": ["pak-hon-yong"], "properties": [{"id": "shoe_size"}]})})
    assert status == 400 and b"unknown property" in body


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.card_style = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if dict(attrs).get("id") == "card":
            self.card_style = "found"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_preview_card(server: str) -> None:
    _, _, body = get(server + "/reconcile")
    preview = json.loads(body)["preview"]
    status, headers, body = get(preview["url"].replace("{{id}}", "pak-hon-yong"))
    assert status == 200 and headers["content-type"].startswith("text/html")
    html = body.decode()
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.text)
    assert "Pak Hon-yong" in text and "박헌영" in text and "朴憲永" in text and "1900" in text
    assert parser.card_style == "found"
    # the card is laid out in exactly the frame the manifest announces
    assert f"width: {preview['width']}px; height: {preview['height']}px" in html
    status, _, _ = get(server + "/preview?id=no-such-entity")
    assert status == 404


def test_entity_view_page(server: str) -> None:
    _, _, body = get(server + "/reconcile")
    view = json.loads(body)["view"]["url"]
    status, headers, body = get(view.replace("{{id}}", "choe-yong-gon"))
    assert status == 200 and headers["content-type"].startswith("text/html")
    html = body.decode()
    assert "Choe Yong-gon" in html and "최용건" in html and "Choi Yong-kun" in html
    assert get(view.replace("{{id}}", "nobody"))[0] == 404


# --------------------------------------------------------------------------- #
# without a server: the pure service, --set
# --------------------------------------------------------------------------- #


def test_parse_batch_rejects_and_accepts() -> None:
    with pytest.raises(QueryError):
        parse_batch("")
    assert parse_batch('{"a": {"query": "Kim Il Sung", "limit": 2}}')["a"].limit == 2


def test_threshold_setting_controls_match() -> None:
    queries = parse_batch(json.dumps({"q": {"query": "Choi Yong Kun"}}))  # a 0.95 key match
    lenient = build_service(settings=parse_set_options(["threshold=0.9"]))
    strict = build_service(threshold=0.97)
    assert lenient.reconcile(queries)["q"]["result"][0]["match"] is True
    top = strict.reconcile(queries)["q"]["result"][0]
    assert top["id"] == "choe-yong-gon" and top["match"] is False


def test_parse_set_options() -> None:
    assert parse_set_options(["threshold=0.9", "labels=[\"PERSON\"]", "spans_key=names",
                              "link_partial=false", "spans_key=a=b"]) == {
        "threshold": 0.9, "labels": ["PERSON"], "spans_key": "a=b",
        "link_partial": False}
    with pytest.raises(ValueError, match="unknown key"):
        parse_set_options(["x=1"])
    for bad in ("threshold", "=3"):
        with pytest.raises(ValueError, match="KEY=VALUE"):
            parse_set_options([bad])


def test_serve_rejects_bad_settings() -> None:
    from typer.testing import CliRunner

    from romanize_entities.cli import app

    result = CliRunner().invoke(app, ["serve", "--set", "no_such_setting=1"])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["serve", "--set", "threshold"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.output


def test_would_link_mirrors_the_component_rule() -> None:

    from romanize_entities.aliases import Candidate
    from romanize_entities.reconcile.service import _would_link

    one = [Candidate("a", 0.95, "key", verified=True)]
    assert _would_link(one, 0.9, korean_name=True) == one[0]
    assert _would_link([Candidate("a", 0.85, "key", verified=True)], 0.9,
                       korean_name=True) is None
    tie = [Candidate("a", 0.95, "key", verified=True), Candidate("b", 0.95, "key", verified=True)]
    assert _would_link(tie, 0.9, korean_name=False) is None
    # issue 11: a Korean personal name links only through a verified candidate, and an
    # unverified key match never links (a name key is retrieval, not proof)
    unverified = Candidate("a", 0.95, "key")
    assert _would_link([unverified], 0.9, korean_name=True) is None
    assert _would_link([unverified], 0.9, korean_name=False) is None
    fuzzy = Candidate("a", 0.95, "fuzzy")
    assert _would_link([fuzzy], 0.9, korean_name=True) is None
    assert _would_link([fuzzy], 0.9, korean_name=False) == fuzzy


def test_match_agrees_with_the_component_on_a_name_alone() -> None:
    """A cell is matched exactly when the component links the same name as a whole text."""
    from romanize_entities.component import load

    nlp = load()
    service = build_service()
    names = ["Pak Heon-yeong", "Choe Yong-jin", "Choe Yong-geon", "Choe Yong-su", "Kim Il Song",
             "Ri Sang Jo", "Pak Mun-gyu", "Kim Ir Sen", "박헌영", "Choi Yong Kun", "Kim Jong Suk",
             "Ch'oe Ch'ang-ik", "Pyongyang", "Kim Tu-pong", "Ri Chol-su"]
    batch = parse_batch(json.dumps({str(i): {"query": n} for i, n in enumerate(names)}))
    results = service.reconcile(batch)
    for i, name in enumerate(names):
        doc = nlp(name)
        linked = {e.kb_id_ for e in doc.ents if e.kb_id_ and e.text == name}
        matched = {r["id"] for r in results[str(i)]["result"] if r["match"]}
        assert matched == linked, name
