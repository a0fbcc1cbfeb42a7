"""A Hugging Face Hub stand-in on 127.0.0.1: the routes ``huggingface_hub``, ``transformers``
and ``datasets`` call, answered from repositories held in memory, every request recorded.

Routes, as the Hub answers them (``huggingface_hub`` 2.x reads these headers):

- ``GET /api/{models,datasets}/{repo}[/revision/{rev}]``: the repository's info (JSON).
- ``GET /api/{type}s/{repo}/tree/{rev}[/{path}]`` and ``POST .../paths-info/{rev}``: listings.
- ``HEAD|GET /[datasets/]{repo}/resolve/{rev}/{path}``: a small file with ``X-Repo-Commit``,
  ``ETag`` (its git blob id) and ``Content-Length``; a large (LFS) file as the Hub serves it,
  a 302 to a CDN host (here ``localhost``, another host than ``127.0.0.1``) with
  ``X-Linked-Etag`` (its sha256) and ``X-Linked-Size``. ``Range`` requests get a 206.
- Errors: 404 with ``X-Error-Code`` ``RepoNotFound``, ``RevisionNotFound`` or
  ``EntryNotFound`` (the last with ``X-Repo-Commit``, as the Hub sends it).
- A renamed repository (``bert-base-uncased`` is now ``google-bert/bert-base-uncased``)
  answers every route with a 307 to the same route under its new name.

Where it differs from the Hub, knowingly: an unknown repository is a 404 (the Hub answers an
anonymous request with a 401, which ``huggingface_hub`` reports as the same
``RepositoryNotFoundError``); no Xet storage (no ``X-Xet-*`` headers: the online tests set
``HF_HUB_DISABLE_XET=1``, so files come over plain HTTP, as from a mirror); no gated or
private repositories, no authentication.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

LFS_SUFFIXES = (".safetensors", ".bin", ".parquet", ".model")
"""Files the Hub keeps in LFS (weights, data, SentencePiece models): served from a CDN."""


@dataclass
class Repo:
    """One repository: ``files`` by path, the legacy names it was renamed from."""

    repo_id: str
    files: dict[str, bytes]
    repo_type: str = "model"
    aliases: tuple[str, ...] = ()
    info: dict = field(default_factory=dict)

    @cached_property
    def sha(self) -> str:
        """The commit id of ``main``: a digest of every path and content."""
        digest = hashlib.sha1()
        for path in sorted(self.files):
            digest.update(path.encode() + b"\0" + self.files[path])
        return digest.hexdigest()

    def entry(self, path: str) -> dict | None:
        """The tree entry of a file or folder at ``path`` (None if there is none)."""
        if path in self.files:
            content = self.files[path]
            blob = hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()
            entry = {"type": "file", "oid": blob, "size": len(content), "path": path}
            if path.endswith(LFS_SUFFIXES):
                entry["lfs"] = {"oid": hashlib.sha256(content).hexdigest(),
                                "size": len(content), "pointerSize": 134}
            return entry
        if any(name.startswith(path + "/") for name in self.files):
            tree = hashlib.sha1(path.encode()).hexdigest()
            return {"type": "directory", "oid": tree, "size": 0, "path": path}
        return None

    def tree(self, folder: str, recursive: bool) -> list[dict]:
        """Entries under ``folder`` ("" = the root), one level deep unless ``recursive``."""
        prefix = folder + "/" if folder else ""
        paths = set()
        for name in self.files:
            if name.startswith(prefix):
                parts = name[len(prefix):].split("/")
                depth = len(parts) if recursive else 1
                paths.update(prefix + "/".join(parts[:n]) for n in range(1, depth + 1))
        return [self.entry(p) for p in sorted(paths)]

    def info_json(self) -> dict:
        """What ``/api/models/{repo}`` (or datasets) answers."""
        return {"_id": self.sha[:24], "id": self.repo_id, "modelId": self.repo_id,
                "author": self.repo_id.partition("/")[0] if "/" in self.repo_id else None,
                "sha": self.sha, "private": False, "disabled": False, "gated": False,
                "downloads": 0, "likes": 0, "tags": [], "createdAt": "2024-01-01T00:00:00.000Z",
                "lastModified": "2024-01-01T00:00:00.000Z",
                "siblings": [{"rfilename": name} for name in sorted(self.files)], **self.info}


@dataclass(frozen=True)
class Request:
    """One request the stand-in answered."""

    method: str
    host: str
    path: str
    status: int


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args) -> None:  # quiet: the requests are recorded instead
        pass

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(send_body=True, form=parse_qs(self.rfile.read(length).decode()))

    def _answer(self, send_body: bool, form: dict | None = None) -> None:
        status, headers, body = self.server.hub.route(self.path, self.headers, form or {})
        self.server.hub.record(Request(self.command, self.headers.get("Host", ""),
                                       self.path, status))
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hub: HubStandIn


Answer = tuple[int, dict, bytes]


def _json(status: int, value, **headers) -> Answer:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(value).encode()


def _error(code: str, message: str, **headers) -> Answer:
    return _json(404, {"error": message}, **{"X-Error-Code": code, "X-Error-Message": message},
                 **headers)


class HubStandIn:
    """The stand-in: ``start()`` serves ``repos`` on ``url`` (127.0.0.1, a free port) until
    ``stop()``; ``requests`` lists every request answered, in order."""

    def __init__(self, repos: list[Repo]):
        self.repos = {(r.repo_type, r.repo_id): r for r in repos}
        self.aliases = {(r.repo_type, a): r.repo_id for r in repos for a in r.aliases}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> HubStandIn:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.hub = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def requests_since(self, start: int) -> list[Request]:
        with self._lock:
            return self.requests[start:]

    # -- routing -----------------------------------------------------------------------------
    def _find(self, repo_type: str, rest: str) -> tuple[str | None, str, str]:
        """Split ``rest`` (a path after the repo type) into (canonical repo id or None when
        unknown, the name as requested, what follows it)."""
        names = [n for (t, n) in [*self.repos, *self.aliases] if t == repo_type]
        for name in sorted(names, key=len, reverse=True):
            if rest == name or rest.startswith(name + "/"):
                canonical = self.aliases.get((repo_type, name), name)
                return canonical, name, rest[len(name) + 1:]
        return None, rest, ""

    def route(self, raw_path: str, headers, form: dict) -> Answer:
        """The status, headers and body the Hub would answer (``form``: a POST's fields)."""
        split = urlsplit(raw_path)
        path, query = split.path, parse_qs(split.query)
        if path.startswith("/_lfs/"):
            return self._lfs(path.removeprefix("/_lfs/"), headers)
        if path.startswith(("/api/models/", "/api/datasets/")):
            kind, _, rest = path.removeprefix("/api/").partition("/")
            return self._api(kind.removesuffix("s"), rest, {**query, **form}, raw_path)
        repo_type, rest = ("dataset", path[len("/datasets/"):]) if path.startswith(
            "/datasets/") else ("model", path[1:])
        return self._resolve(repo_type, rest, headers, raw_path)

    @staticmethod
    def _renamed(raw_path: str, old: str, new: str) -> Answer:
        """307 to the same route under the repository's new name, as the Hub redirects."""
        start = raw_path.index(f"/{old}") + 1
        return 307, {"Location": raw_path[:start] + new + raw_path[start + len(old):]}, b""

    def _open(self, repo_type: str, rest: str, raw_path: str):
        """The repository a route names, and the route's action, revision and what follows;
        or, instead of the repository, the answer: a 404 for an unknown one, a 307 for a
        legacy name."""
        repo_id, asked, tail = self._find(repo_type, rest)
        if repo_id is None:
            return _error("RepoNotFound", f"Repository {asked} not found"), "", "", ""
        if asked != repo_id:
            return self._renamed(raw_path, asked, repo_id), "", "", ""
        action, _, tail = tail.partition("/")
        revision, _, rest = tail.partition("/")
        return self.repos[(repo_type, repo_id)], action, unquote(revision), unquote(rest)

    def _api(self, repo_type: str, rest: str, query: dict, raw_path: str) -> Answer:
        repo, action, revision, folder = self._open(repo_type, rest, raw_path)
        if not isinstance(repo, Repo):
            return repo
        if action in ("revision", "tree", "paths-info", "commits") and revision not in (
                "main", repo.sha):
            return _error("RevisionNotFound", f"Invalid rev id: {revision}")
        if action in ("", "revision"):
            return _json(200, repo.info_json())
        if action == "tree":
            recursive = query.get("recursive", ["False"])[0].lower() == "true"
            return _json(200, repo.tree(folder, recursive))
        if action == "commits":
            return _json(200, [{"id": repo.sha, "title": "Upload", "message": "",
                                "authors": [{"user": "stand-in"}],
                                "date": "2024-01-01T00:00:00.000Z"}])
        if action == "discussions":  # none open, so no bot pull request to load from
            return _json(200, {"discussions": [], "count": 0, "start": 0,
                               "numClosedDiscussions": 0})
        if action == "paths-info":
            return _json(200, [e for p in query.get("paths", []) if (e := repo.entry(p))])
        return _error("EntryNotFound", f"no route {action!r} in the stand-in")

    def _resolve(self, repo_type: str, rest: str, headers, raw_path: str) -> Answer:
        repo, verb, revision, filename = self._open(repo_type, rest, raw_path)
        if not isinstance(repo, Repo):
            return repo
        if verb != "resolve":
            return _error("EntryNotFound", f"no route {verb!r} in the stand-in")
        if revision not in ("main", repo.sha):
            return _error("RevisionNotFound", f"Invalid rev id: {revision}")
        entry = repo.entry(filename)
        commit = {"X-Repo-Commit": repo.sha}
        if entry is None or entry["type"] != "file":
            return _error("EntryNotFound", f"{filename} does not exist on main", **commit)
        if "lfs" in entry:
            sha256 = entry["lfs"]["oid"]
            return 302, {**commit, "ETag": f'"{entry["oid"]}"', "X-Linked-Etag": f'"{sha256}"',
                         "X-Linked-Size": str(entry["size"]),
                         "Location": f"http://localhost:{self.port}/_lfs/{quote(sha256)}"}, b""
        return _ranged(repo.files[filename], headers, {**commit, "ETag": f'"{entry["oid"]}"'})

    def _lfs(self, sha256: str, headers) -> Answer:
        """The CDN: an LFS object by its sha256."""
        for repo in self.repos.values():
            for content in repo.files.values():
                if hashlib.sha256(content).hexdigest() == sha256:
                    return _ranged(content, headers, {"ETag": f'"{sha256}"'})
        return 404, {}, b""


def _ranged(content: bytes, headers, extra: dict) -> Answer:
    """``content``, or the part a ``Range: bytes=a-b`` header asks for (206)."""
    wanted = headers.get("Range", "")
    if not wanted.startswith("bytes="):
        return 200, {"Accept-Ranges": "bytes", **extra}, content
    first, _, last = wanted.removeprefix("bytes=").partition("-")
    start = int(first) if first else max(0, len(content) - int(last))
    end = min(int(last), len(content) - 1) if first and last else len(content) - 1
    return 206, {"Content-Range": f"bytes {start}-{end}/{len(content)}", **extra}, \
        content[start:end + 1]
