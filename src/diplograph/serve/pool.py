"""The engine processes behind the front: started, given one request at a time, killed past a deadline.

A read-only server runs several engines on the database (each opens it read-only), so queries
run on every core and a runaway one is stopped by killing its engine alone: the others go on
answering. A server that accepts updates runs one engine with the database open for writing
(RocksDB allows one writer), so its requests run one after another; a query past its deadline
is then the only thing running, and killing it cannot cut a write short. Writes get their own,
longer deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path

import diplograph.serve.wire as wire

__all__ = ["EngineFailed", "EnginePool", "EngineStartError", "Busy", "Overtime"]


class EngineStartError(Exception):
    """An engine could not open the database (the message says why)."""


class EngineFailed(Exception):
    """The engine died during the request (out of memory, a crash); a new one has been started."""


class Overtime(Exception):
    """The request ran past its deadline; its engine was killed and replaced."""


class Busy(Exception):
    """No engine became free within the wait limit."""


@dataclass(eq=False)
class _Engine:
    process: asyncio.subprocess.Process
    stderr_tail: bytearray

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()


class EnginePool:
    """``size`` engine processes on ``db`` (one, writable, when ``writable``)."""

    def __init__(self, db: Path, *, size: int, writable: bool, allow_load: bool = False,
                 max_answer_bytes: int = 256 * 2**20) -> None:
        self.db, self.writable, self.allow_load = Path(db), writable, allow_load
        self.size = 1 if writable else max(1, size)
        self.max_answer_bytes = max_answer_bytes
        self.sandboxed: bool | None = None
        self.why_not_sandboxed: str | None = None
        self._idle: asyncio.Queue[_Engine] = asyncio.Queue()
        self._all: set[_Engine] = set()
        self._closing = False
        self._replacing: set[asyncio.Task] = set()
        self.restarts = 0

    async def start(self) -> None:
        engines = await asyncio.gather(*(self._spawn() for _ in range(self.size)), return_exceptions=True)
        failed = [e for e in engines if isinstance(e, BaseException)]
        for engine in engines:
            if not isinstance(engine, BaseException):
                self._idle.put_nowait(engine)
        if failed:
            await self.close()
            raise failed[0]

    async def run(self, head: dict, body: bytes = b"", *, timeout: float, wait: float) -> tuple[dict, bytes]:
        """Answer one frame on a free engine within ``timeout`` seconds, after at most ``wait`` seconds queued."""
        try:
            engine = await asyncio.wait_for(self._idle.get(), wait)
        except TimeoutError:
            raise Busy from None
        if not engine.alive:
            self._replace(engine)
            raise EngineFailed(self._why(engine))
        try:
            answer = await asyncio.wait_for(self._call(engine, head, body), timeout)
        except TimeoutError:
            self._replace(engine)
            raise Overtime from None
        except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError):
            self._replace(engine)
            raise EngineFailed(self._why(engine)) from None
        except BaseException:  # cancelled mid-frame: the pipe's state is unknown, so the engine goes
            self._replace(engine)
            raise
        self._idle.put_nowait(engine)
        return answer

    async def close(self) -> None:
        self._closing = True
        for task in list(self._replacing):
            task.cancel()
        for engine in list(self._all):
            engine.kill()
        for engine in list(self._all):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(engine.process.wait(), 5)
        self._all.clear()

    # --- engines -----------------------------------------------------------------

    async def _spawn(self) -> _Engine:
        command = [sys.executable, "-m", "diplograph.serve.engine", str(self.db),
                   "--mode", "write" if self.writable else "read", "--max-answer-bytes", str(self.max_answer_bytes)]
        if self.allow_load:
            command.append("--allow-load")
        process = await asyncio.create_subprocess_exec(
            *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            start_new_session=True,  # Ctrl-C in the terminal reaches the front, which stops the engines
            limit=2**20,
        )
        engine = _Engine(process, bytearray())
        self._all.add(engine)
        asyncio.get_running_loop().create_task(self._drain_stderr(engine))
        try:
            head, _ = await asyncio.wait_for(wire.read_frame_async(process.stdout), 60)
        except (TimeoutError, asyncio.IncompleteReadError):
            engine.kill()
            self._all.discard(engine)
            raise EngineStartError(f"an engine did not start on {self.db}: {self._why(engine)}") from None
        if not head.get("ready"):
            engine.kill()
            self._all.discard(engine)
            raise EngineStartError(f"cannot open the database {self.db}: {head.get('error')}")
        self.sandboxed = bool(head.get("sandboxed"))
        self.why_not_sandboxed = head.get("why_not")
        return engine

    async def _call(self, engine: _Engine, head: dict, body: bytes) -> tuple[dict, bytes]:
        engine.process.stdin.write(wire.encode_frame(head, body))
        await engine.process.stdin.drain()
        return await wire.read_frame_async(engine.process.stdout)

    def _replace(self, engine: _Engine) -> None:
        engine.kill()
        self._all.discard(engine)
        if self._closing:
            return
        self.restarts += 1
        task = asyncio.get_running_loop().create_task(self._respawn())
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _respawn(self) -> None:
        delay = 0.1
        while not self._closing:
            try:
                self._idle.put_nowait(await self._spawn())
                return
            except Exception:  # noqa: BLE001 - keep trying; requests wait (and get 503) meanwhile
                await asyncio.sleep(delay)
                delay = min(5.0, delay * 2)

    async def _drain_stderr(self, engine: _Engine) -> None:
        while True:
            chunk = await engine.process.stderr.read(4096)
            if not chunk:
                return
            engine.stderr_tail.extend(chunk)
            del engine.stderr_tail[:-2000]

    @staticmethod
    def _why(engine: _Engine) -> str:
        tail = " ".join(engine.stderr_tail.decode("utf-8", "replace").split())
        code = engine.process.returncode
        return (tail[-300:] or "no message") + (f" (exit status {code})" if code is not None else "")
