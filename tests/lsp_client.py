"""A small Language Server Protocol client for the tests: it starts `kubecheck lsp` as an
editor would (a child process on stdio) and speaks JSON-RPC with Content-Length framing.

It is written from the protocol, not with pygls, so the tests check the bytes on the wire.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

TIMEOUT = 30.0


class LanguageClient:
    def __init__(self, cwd: Path):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen([sys.executable, "-m", "kubecheck", "lsp"], cwd=cwd, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.notifications: list[dict] = []  # every notification received, in order
        self.requests_from_server: list[dict] = []
        self._next_id = 0
        self._stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self._stderr.extend(self.process.stderr), daemon=True).start()

    # --- wire -------------------------------------------------------------------------------

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def _receive(self) -> dict:
        message = self.messages.get(timeout=TIMEOUT)
        if message is None:
            raise AssertionError("the server closed its output; stderr:\n" + b"".join(self._stderr).decode())
        if "method" in message and "id" in message:  # a request from the server (registerCapability)
            self.requests_from_server.append(message)
            self._send({"id": message["id"], "result": None})
        elif "method" in message:
            self.notifications.append(message)
        return message

    # --- protocol ---------------------------------------------------------------------------

    def request(self, method: str, params) -> dict:
        """Send a request and wait for its response (notifications that come first are kept)."""
        self._next_id += 1
        number = self._next_id
        self._send({"id": number, "method": method, "params": params})
        while True:
            message = self._receive()
            if message.get("id") == number and "method" not in message:
                assert "error" not in message, message["error"]
                return message.get("result")

    def notify(self, method: str, params) -> None:
        self._send({"method": method, "params": params})

    def diagnostics(self, uri: str, after: int | None = None) -> list[dict]:
        """The next diagnostics published for `uri` (after the first `after` notifications)."""
        start = len(self.notifications) if after is None else after
        seen = start
        while True:
            for message in self.notifications[seen:]:
                seen += 1
                if message["method"] == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                    return message["params"]["diagnostics"]
            self._receive()

    def initialize(self, root: Path, capabilities: dict | None = None) -> dict:
        result = self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": capabilities or {
                "general": {"positionEncodings": ["utf-16"]},
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}},
                "textDocument": {"publishDiagnostics": {"relatedInformation": True},
                                 "hover": {"contentFormat": ["markdown", "plaintext"]}},
            }})
        self.notify("initialized", {})
        return result

    def shutdown(self) -> int:
        """shutdown, then exit: the exit status of the server."""
        assert self.request("shutdown", None) is None
        self.notify("exit", None)
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                stream.close()
            except OSError:
                pass

    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")
