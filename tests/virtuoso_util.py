"""A real OpenLink Virtuoso (Debian's ``virtuoso-opensource``) for tests: own folder, own loopback ports, always stopped.

:class:`Virtuoso` writes a configuration into a temporary folder (database, transaction log,
error log and lock all there), starts ``virtuoso-t`` in the foreground on two free 127.0.0.1
ports (HTTP and ISQL), waits (bounded) until its SPARQL endpoint answers, and gives the ``dba``
user a password of the test's own through ``isql-vt``. ``ResultSetMaxRows`` stays at Virtuoso's
default of 10,000, so answers longer than that are cut as they are on a default installation.
"""

from __future__ import annotations

import secrets
import subprocess
import time
import urllib.parse
from pathlib import Path

from server_util import free_port, http, stop_process

#: Debian's binaries (package virtuoso-opensource-7-bin).
VIRTUOSO = Path("/usr/bin/virtuoso-t")
ISQL = Path("/usr/bin/isql-vt")
#: Virtuoso's default limit on the rows of one SPARQL answer, kept so that truncation is real.
RESULT_SET_MAX_ROWS = 10_000

_INI = """\
; Test configuration written by tests/virtuoso_util.py: everything in {folder}, loopback only.
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort           = 127.0.0.1:{isql_port}
DisableUnixSocket    = 1
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = .
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {folder}
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows      = {max_rows}
MaxQueryExecutionTime = 120
"""


class Virtuoso:
    """``virtuoso-t`` on free loopback ports with its database in ``folder``, until :meth:`stop`.

    ``base`` is ``http://127.0.0.1:PORT``; :attr:`query` (``/sparql``, anonymous, read-only),
    :attr:`update` (``/sparql-auth``) and :attr:`gsp` (``/sparql-graph-crud-auth``) are its
    services, the last two behind HTTP Digest authentication for ``user``/``password``.
    """

    user = "dba"

    def __init__(self, folder: Path, timeout: float = 60.0) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.http_port, self.isql_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.query, self.update, self.gsp = (self.base + p for p in ("/sparql", "/sparql-auth", "/sparql-graph-crud-auth"))
        self.password = "dba"  # a new database's; replaced below by one only this test knows
        ini = self.folder / "virtuoso.ini"
        ini.write_text(_INI.format(folder=self.folder, http_port=self.http_port, isql_port=self.isql_port,
                                   max_rows=RESULT_SET_MAX_ROWS), encoding="utf-8")
        started = time.monotonic()
        self._output = open(self.folder / "virtuoso.out", "w", encoding="utf-8")  # a file: a pipe could fill up
        self.process = subprocess.Popen(
            [str(VIRTUOSO), "+foreground", "+configfile", str(ini)],
            cwd=self.folder, stdout=self._output, stderr=subprocess.STDOUT,
        )
        try:
            self._wait(timeout)
            self.set_password("t-" + secrets.token_hex(8))
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        probe = f"{self.query}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"virtuoso-t exited ({self.process.returncode}): {self.log()}")
            try:
                if http(probe, headers={"Accept": "application/sparql-results+json"}, timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"virtuoso-t did not answer within {timeout:g} s: {self.log()}")

    def isql(self, statement: str) -> str:
        """Run one SQL statement as ``dba`` through ``isql-vt``; its output (raises on failure)."""
        done = subprocess.run(
            [str(ISQL), f"127.0.0.1:{self.isql_port}", self.user, self.password, f"exec={statement}"],
            capture_output=True, text=True, timeout=60,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise AssertionError(f"isql-vt failed: {done.stdout} {done.stderr}")
        return done.stdout

    def set_password(self, password: str) -> None:
        self.isql(f"user_set_password('{self.user}', '{password}');")
        self.password = password

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(encoding="utf-8", errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 30 s); the folder is left for the test's tmp cleanup."""
        stop_process(self.process, 30)
        self._output.close()

