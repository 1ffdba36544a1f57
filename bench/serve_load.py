"""Load benchmark (not a test): `diplograph serve` against Oxigraph's own server, same database, same run.

    .venv/bin/python bench/serve_load.py                       # 200 clients, 30 s per run (RESULTS.md)
    .venv/bin/python bench/serve_load.py --clients 20 --seconds 2   # the smoke test's run

The project's dataset is loaded once into an Oxigraph database folder; both servers then serve
that folder read-only on 127.0.0.1 (nothing else is contacted): ``oxigraph serve-read-only
--union-default-graph`` (the alternative) and :class:`diplograph.serve.SparqlServer`. Against
each, with and without keep-alive, ``--clients`` connections send the project's named queries
(a fixed rotation, GET /query) for ``--seconds``, after ``--warmup`` seconds of the same load
that are not recorded (both servers then start with warm caches); every answer is parsed and compared with the
answer pyoxigraph gives in-process (as a multiset of solutions). Reported per run: requests,
requests per second, latency p50/p90/p99/max, connection resets (refused, reset or closed
before the whole answer), wrong answers, other errors. The targets: 0 resets, 0 wrong answers,
and diplograph's p99 within 1.5x of Oxigraph's in the same run.

The client is this file's own (asyncio, raw HTTP/1.1, one process per core): it must tell a
reset from a wrong answer, which a generic load tool does not. Results go to
``bench/results/serve-load-<time>.json`` and a Markdown table beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

RESULTS = HERE / "results"
P99_TARGET = 1.5


# --- the client ----------------------------------------------------------------------


class _Reset(Exception):
    pass


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict, bytes]:
    try:
        status_line = await reader.readuntil(b"\r\n")
        headers = {}
        while True:
            line = await reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            body = b"".join(parts)
        else:
            body = await reader.read()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError) as exc:
        raise _Reset(type(exc).__name__) from None
    if not status_line.startswith(b"HTTP/1.1 "):
        raise _Reset("not HTTP")
    return int(status_line.split()[1]), headers, body


def _solutions(body: bytes):
    """An answer as a comparable value: the multiset of solutions (or the boolean)."""
    data = json.loads(body)
    if "boolean" in data:
        return data["boolean"]
    rows = [tuple(sorted((k, v.get("type"), v.get("value"), v.get("datatype", ""), v.get("xml:lang", ""))
                         for k, v in row.items())) for row in data["results"]["bindings"]]
    return tuple(sorted(rows))


async def _client(host: str, port: int, paths: list[tuple[str, object]], keep_alive: bool, until: float,
                  offset: int, stats: dict) -> None:
    reader = writer = None
    i = offset
    while time.monotonic() < until:
        path, expected = paths[i % len(paths)]
        i += 1
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/sparql-results+json\r\n"
                   + ("" if keep_alive else "Connection: close\r\n") + "\r\n").encode()
        started = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port, limit=2**24)
            writer.write(request)
            await writer.drain()
            status, headers, body = await asyncio.wait_for(_read_response(reader), 60)
        except (_Reset, ConnectionError, OSError) as exc:
            stats["resets"] += 1
            stats["reset_kinds"][type(exc).__name__ if not isinstance(exc, _Reset) else str(exc)] = \
                stats["reset_kinds"].get(str(exc) or type(exc).__name__, 0) + 1
            writer = _close(writer)
            continue
        except TimeoutError:
            stats["timeouts"] += 1
            writer = _close(writer)
            continue
        stats["latencies"].append(time.monotonic() - started)
        if status != 200:
            stats["errors"] += 1
        else:
            try:
                if _solutions(body) != expected:
                    stats["wrong"] += 1
            except (ValueError, KeyError):
                stats["wrong"] += 1
        if not keep_alive or headers.get("connection", "").lower() == "close":
            writer = _close(writer)
    _close(writer)


def _close(writer):
    if writer is not None:
        writer.close()
    return None


def _load_process(host, port, paths, keep_alive, clients, start_at, seconds, offset, queue) -> None:
    stats = {"latencies": [], "resets": 0, "reset_kinds": {}, "timeouts": 0, "errors": 0, "wrong": 0}

    async def main():
        while time.time() < start_at:
            await asyncio.sleep(0.01)
        until = time.monotonic() + seconds
        await asyncio.gather(*(_client(host, port, paths, keep_alive, until, offset + k, stats)
                               for k in range(clients)))

    asyncio.run(main())
    queue.put(stats)


def load(port: int, paths: list, *, clients: int, seconds: float, keep_alive: bool, processes: int) -> dict:
    """Run ``clients`` connections (spread over ``processes``) against 127.0.0.1:``port``; the run's figures."""
    queue = multiprocessing.get_context("fork").Queue()
    start_at = time.time() + 0.5
    shares = [clients // processes + (1 if k < clients % processes else 0) for k in range(processes)]
    workers = [multiprocessing.get_context("fork").Process(
        target=_load_process,
        args=("127.0.0.1", port, paths, keep_alive, share, start_at, seconds, k * 1000, queue))
        for k, share in enumerate(shares) if share]
    for w in workers:
        w.start()
    parts = [queue.get(timeout=seconds + 180) for _ in workers]
    for w in workers:
        w.join(30)
    latencies = sorted(x for p in parts for x in p["latencies"])
    kinds: dict = {}
    for p in parts:
        for k, v in p["reset_kinds"].items():
            kinds[k] = kinds.get(k, 0) + v

    def pct(q):
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1) if latencies else None

    answered = len(latencies)
    return {
        "requests": answered, "per_second": round(answered / seconds, 1),
        "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "resets": sum(p["resets"] for p in parts), "reset_kinds": kinds,
        "timeouts": sum(p["timeouts"] for p in parts),
        "errors": sum(p["errors"] for p in parts), "wrong": sum(p["wrong"] for p in parts),
    }


# --- the servers ---------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_answering(port: int, seconds: float = 60) -> None:
    """Return once a SPARQL server answers ``ASK {}`` on 127.0.0.1:``port`` (RuntimeError after ``seconds``)."""
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="client processes")
    ap.add_argument("--engines", type=int, default=None, help="diplograph serve's engines (default: its own)")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds of unrecorded load before each run")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args(argv)

    import pyoxigraph as ox

    from diplograph.project import Project
    from diplograph.queries import list_queries
    from diplograph.serve import SparqlServer, prepare_db

    project = Project.find(ROOT)
    work = Path(tempfile.mkdtemp(prefix="serve-load-"))
    db = work / "db"
    prepare_db(project, db)
    store = ox.Store.read_only(str(db))
    paths = []
    for q in list_queries(project.queries_dir):
        if q.needs_inference:
            continue
        answer = store.query(q.text, use_default_graph_as_union=True)
        expected = _solutions(answer.serialize(format=ox.QueryResultsFormat.JSON))
        paths.append((f"/query?query={quote(q.text)}", expected))
    del store
    oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    results: dict = {"clients": args.clients, "seconds": args.seconds, "warmup": args.warmup, "queries": len(paths),
                     "cores": os.cpu_count(), "runs": {}}
    ox_port = free_port()
    ox_process = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(db), "--bind",
                                   f"127.0.0.1:{ox_port}", "--union-default-graph"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = SparqlServer(db, bind="127.0.0.1:0", engines=args.engines, timeout=120)
    try:
        wait_answering(ox_port)
        server.start()
        results["diplograph_engines"] = server.engines
        for keep_alive in (True, False):
            for name, port in (("oxigraph", ox_port), ("diplograph", server.port)):
                key = f"{name}-{'keepalive' if keep_alive else 'close'}"
                print(f"{key}: {args.clients} clients for {args.seconds:g} s …", flush=True)
                if args.warmup > 0:  # caches filled, parses cached: the same start for both servers
                    load(port, paths, clients=args.clients, seconds=args.warmup, keep_alive=keep_alive,
                         processes=args.processes)
                results["runs"][key] = load(port, paths, clients=args.clients, seconds=args.seconds,
                                            keep_alive=keep_alive, processes=args.processes)
                print("   ", json.dumps(results["runs"][key]), flush=True)
    finally:
        server.stop()
        ox_process.terminate()
        ox_process.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    for mode in ("keepalive", "close"):
        ours, theirs = results["runs"][f"diplograph-{mode}"], results["runs"][f"oxigraph-{mode}"]
        ratio = ours["p99_ms"] / theirs["p99_ms"] if ours["p99_ms"] and theirs["p99_ms"] else None
        results[f"p99_ratio_{mode}"] = round(ratio, 2) if ratio else None
        results[f"meets_{mode}"] = bool(ratio is not None and ratio <= P99_TARGET and ours["resets"] == 0
                                        and ours["wrong"] == 0 and ours["errors"] == 0)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"serve-load-{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / f"serve-load-{stamp}.md").write_text(markdown(results))
    print(markdown(results))
    return 0


def markdown(results: dict) -> str:
    lines = [
        f"{results['clients']} clients, {results['seconds']:g} s per run after {results['warmup']:g} s of warm-up, "
        f"{results['queries']} named queries in "
        f"rotation, {results['cores']} cores shared by servers and clients; diplograph serve with "
        f"{results.get('diplograph_engines')} engines.",
        "",
        "| run | requests/s | p50 ms | p90 ms | p99 ms | max ms | resets | wrong | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, r in results["runs"].items():
        lines.append(f"| {key} | {r['per_second']} | {r['p50_ms']} | {r['p90_ms']} | {r['p99_ms']} | {r['max_ms']} | "
                     f"{r['resets']} | {r['wrong']} | {r['errors']} |")
    lines.append("")
    for mode in ("keepalive", "close"):
        lines.append(f"- p99 diplograph / Oxigraph ({mode}): {results.get(f'p99_ratio_{mode}')}x "
                     f"(target <= {P99_TARGET}x, 0 resets, 0 wrong): "
                     f"{'met' if results.get(f'meets_{mode}') else 'NOT met'}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
