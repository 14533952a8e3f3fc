"""Real external SPARQL stores on loopback: `oxigraph serve` (PyPI `oxigraph`) and Debian's Virtuoso.

The external-store tests and bench/store_compare.py start them from here, so there is one way to
run each. Both are installed by `bash scripts/setup`; each server runs in a folder of the caller's
on free loopback ports and is stopped by its PID when the caller is done. `ExternalServer.settings()`
gives the registry settings that point at it.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from stafett.harvester.settings import RegistrySettings

# The `oxigraph` wheel puts its binary beside the venv's python, which is not on PATH in tests.
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
VIRTUOSO, ISQL = shutil.which("virtuoso-t"), shutil.which("isql-vt")
# A fresh Virtuoso database has the DBA account dba/dba (the SQL port is on loopback only); the
# registry writes as its own user with the SPARQL_UPDATE role, as docs/scale-out.md sets it up.
VIRTUOSO_DBA = ("dba", "dba")
VIRTUOSO_USER = "stafett"
GRANT_UPDATE = "DB.DBA.USER_CREATE('{user}', '{password}'); GRANT SPARQL_UPDATE TO \"{user}\";"
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {root}/virtuoso.db
ErrorLogFile = {root}/virtuoso.log
LockFile = {root}/virtuoso.lck
TransactionFile = {root}/virtuoso.trx
xa_persistent_file = {root}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {root}/virtuoso-temp.db
TransactionFile = {root}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
DirsAllowed = ., {root}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {root}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
"""


@dataclass
class ExternalServer:
    kind: str
    query_url: str
    update_url: str
    gsp_url: str
    user: str = ""
    password: str = ""
    sql_port: int = 0  # Virtuoso's SQL port, for isql (bulk loading); 0 for oxigraph

    def settings(self, data_dir: Path, **changes) -> RegistrySettings:
        return RegistrySettings(
            data_dir=data_dir,
            base_url="http://registry.test/",
            allow_loopback=True,
            store="external",
            external_query_url=self.query_url,
            external_update_url=self.update_url,
            external_gsp_url=self.gsp_url,
            **{"external_user": self.user, "external_password": self.password, **changes},
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(process: subprocess.Popen, query_url: str, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(query_url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, f"{what} exited with {process.returncode}"
        assert time.monotonic() < deadline, f"{what} did not answer within {seconds} s"
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    """Stop a server this module started, by its handle (PID)."""
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@contextmanager
def oxigraph_server(root: Path, *, union_default_graph: bool = True):
    assert OXIGRAPH, "the oxigraph server is missing: run `bash scripts/setup` (pip package oxigraph)"
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [OXIGRAPH, "serve", "--location", str(root / "oxigraph"), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        command.append("--union-default-graph")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(process, base + "/query", "oxigraph serve")
        yield ExternalServer("oxigraph", base + "/query", base + "/update", base + "/store")
    finally:
        stop(process)


@contextmanager
def virtuoso_server(root: Path, *, buffers: int = 10000, max_rows: int = 100000, max_seconds: int = 60):
    """`virtuoso-t +foreground` with its own ini and database in `root`.

    Anonymous `/sparql` may only read; updates and Graph Store writes go to the digest-protected
    `/sparql-auth` and `/sparql-graph-crud-auth` as a user granted SPARQL_UPDATE (via isql).
    `buffers` are 8 KB pages of cache (the default, 80 MB, is what the tests need; a bench at 100k
    cases passes what Virtuoso's documentation recommends); `max_rows` and `max_seconds` cap one
    SPARQL answer.
    """
    assert VIRTUOSO and ISQL, "Virtuoso is missing: run `bash scripts/setup` as root (virtuoso-opensource)"
    root.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = root / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            root=root,
            sql_port=sql_port,
            http_port=http_port,
            buffers=buffers,
            dirty_buffers=buffers * 3 // 4,
            max_rows=max_rows,
            max_seconds=max_seconds,
        ),
        "utf-8",
    )
    log = (root / "stdout.log").open("wb")
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=root, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_answering(process, base + "/sparql", "virtuoso-t", seconds=60)
        password = secrets.token_hex(12)  # hex: nothing to quote in the SQL below
        isql(sql_port, GRANT_UPDATE.format(user=VIRTUOSO_USER, password=password))
        yield ExternalServer(
            "virtuoso",
            base + "/sparql",
            base + "/sparql-auth",
            base + "/sparql-graph-crud-auth",
            VIRTUOSO_USER,
            password,
            sql_port,
        )
    finally:
        stop(process)
        log.close()


def isql(sql_port: int, sql: str, timeout: float = 30) -> str:
    """Run SQL as Virtuoso's DBA through `isql-vt` on loopback; its output, or an error with it."""
    done = subprocess.run(
        [ISQL, f"127.0.0.1:{sql_port}", *VIRTUOSO_DBA, "exec=" + sql],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    return done.stdout.decode("utf-8", "replace")


@contextmanager
def external_server(kind: str, root: Path):
    with oxigraph_server(root) if kind == "oxigraph" else virtuoso_server(root) as server:
        yield server
