"""`kubecheck fix`: migrate deprecated and removed apiVersions in place, changing nothing else.

For each file: find the objects whose apiVersion the target version deprecates or no longer
serves and that have a replacement (`schemas/api-lifecycle.yaml`); load each such document with
ruamel.yaml's round-trip mode, migrate it (`kubecheck.migrations`) and check the result against the
target version's schema; then write back only the lines the migration changed. ruamel.yaml keeps
comments, key order, quoting and flow style, but re-indents and re-spaces what it dumps, so
kubecheck dumps the document twice, unchanged and migrated, and applies the difference between the
two to the original lines (the document's other lines, and every other document, stay byte for
byte). The patched text must parse to exactly the migrated data, else the object is left alone
and the reason reported. A migration that only renames the apiVersion (most of them) is written
over the old value where it stands, in YAML or JSON alike.
"""

from __future__ import annotations

import codecs
import re
import difflib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError as RuamelError

from kubecheck.collect import display_path
from kubecheck.loader import load_text
from kubecheck.migrations import Refusal, commented, migrate
from kubecheck.objects import objects_of
from kubecheck.positions import locate
from kubecheck.kinds import split_api_version
from kubecheck.schemastore import SchemaStore, lifecycle_entry, minor, served_kinds


@dataclass
class Outcome:
    """What `fix` did to one object: changed it, or could not, and why."""

    line: int  # 1-based, of the object's apiVersion
    column: int
    message: str
    fixed: bool


@dataclass
class FileFix:
    path: str
    original: str
    fixed: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.original.splitlines(keepends=True),
                                            self.fixed.splitlines(keepends=True), f"a/{self.path.lstrip('/')}",
                                            f"b/{self.path.lstrip('/')}"))


def due(api_version: str, kind: str, version: str) -> dict | None:
    """The lifecycle entry of an apiVersion and kind that `version` deprecates or no longer serves."""
    entry = lifecycle_entry(api_version, kind)
    if entry is None:
        return None
    announced = entry["deprecated-in"] or entry["removed-in"]
    return entry if minor(announced) <= minor(version) else None


def fix_file(path: Path, schemas: SchemaStore) -> FileFix | None:
    """The fix of one file, or None when nothing in it is due (or it is not a manifest)."""
    return fix_bytes(display_path(path), path.read_bytes(), schemas)


def fix_bytes(name: str, raw: bytes, schemas: SchemaStore) -> FileFix | None:
    """The fix of a file's bytes (an editor's buffer, for the language server); JSON if `name`
    ends with `.json`."""
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    try:
        written = raw[len(bom):].decode("utf-8")
    except UnicodeDecodeError:
        return None  # check reports it; UTF-16 files are not rewritten
    crlf = "\r\n" in written and written.count("\r\n") == written.count("\n")  # Windows line ends, kept
    text = written.replace("\r\n", "\n") if crlf else written
    source = load_text(name, text)
    objects = objects_of(source)
    wanted = [(obj, entry) for obj in objects if (entry := due(obj.api_version, obj.kind, schemas.version))]
    if not wanted:
        return None
    result = FileFix(name, written, written)
    if source.problems:
        problem = source.problems[0]
        result.outcomes.append(Outcome(problem.line + 1, problem.column + 1, f"the file does not parse ({problem.message})", False))
        return result
    segments = _segments(text)
    if segments is None or len(segments) != len(source.documents):
        result.outcomes += [_outcome(obj, "kubecheck could not tell where its document starts and ends",
                                     False) for obj, _ in wanted]
        return result
    lines = text.splitlines(keepends=True)
    structural: dict[int, list[_Plan]] = {}
    for obj, entry in wanted:
        plan = _plan(obj, entry, schemas)
        if isinstance(plan, Outcome):
            result.outcomes.append(plan)
        elif plan.renames_only and _rename(lines, plan):
            result.outcomes.append(_outcome(obj, _changed(plan), True))
        elif name.endswith(".json"):
            result.outcomes.append(_outcome(obj, f"{_changed(plan)} changes fields besides the apiVersion, and "
                                                 "kubecheck rewrites JSON manifests only for apiVersions", False))
        else:
            structural.setdefault(obj.document.index, []).append(plan)
    segments = _segments("".join(lines))  # the renames keep every line where it was
    for index, plans in structural.items():
        segments[index] = _fix_document(segments[index], plans, result.outcomes)
    result.fixed = "".join(segments).replace("\n", "\r\n") if crlf else "".join(segments)
    result.outcomes.sort(key=lambda outcome: (outcome.line, outcome.column))
    return result


def _segments(text: str) -> list[str] | None:
    """The text of each document: each starts at its `---` (the first at the top of the file, with
    the comments before it) and ends where the next starts. None when documents share a line."""
    try:
        events = list(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return None
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    starts = [offsets[event.start_mark.line] for event in events if isinstance(event, yaml.DocumentStartEvent)]
    if not starts:
        return None
    starts[0] = 0
    if any(later <= earlier for earlier, later in zip(starts, starts[1:])):
        return None
    return [text[start:end] for start, end in zip(starts, starts[1:] + [len(text)])]


def _fix_document(segment: str, plans: list[_Plan], outcomes: list[Outcome]) -> str:
    """The document's text with the planned structural migrations made through ruamel.yaml, if
    the change can be written to the lines it touches alone."""
    try:
        rt, data, identity = _round_trip(segment)
    except (RuamelError, ValueError, TypeError) as error:
        outcomes += [_outcome(plan.obj, f"ruamel.yaml cannot round-trip its document ({error})", False)
                     for plan in plans]
        return segment
    expected = _plain(segment)
    done = []
    for plan in plans:
        notes = migrate(_navigate(data, plan.obj.path_in_document), plan.replacement)
        done.append(_outcome(plan.obj, _changed(plan) + "".join(f"; {note}" for note in notes), True))
        # What the text must hold afterwards: the same migration, on the data as kubecheck reads it.
        *parents, last = (0, *plan.obj.path_in_document)
        _navigate(expected, tuple(parents))[last] = plan.result
    patched = _patch(segment, identity, _dump(rt, data))
    if patched is not None and _plain(patched) == expected:
        outcomes += done
        return patched
    outcomes += [_outcome(plan.obj, f"{_changed(plan)} would reformat lines the migration does not change; "
                                    "migrate it by hand", False) for plan in plans]
    return segment


def _changed(plan: _Plan) -> str:
    return f"{plan.obj.api_version} {plan.obj.kind} -> {plan.replacement}"


def _rename(lines: list[str], plan: _Plan) -> bool:
    """Write the new apiVersion over the old one where it stands (quoted or not); False if the
    value is not written there plainly (an anchor, a multi-line scalar)."""
    line, column, _ = locate(plan.obj.position, ("apiVersion",), at="value")
    text = lines[line]
    for quote in ('"', "'", ""):
        written = f"{quote}{plan.obj.api_version}{quote}"
        end = column + len(written)
        if text.startswith(written, column) and (quote or end == len(text) or not text[end].isalnum()):
            lines[line] = f"{text[:column]}{quote}{plan.replacement}{quote}{text[end:]}"
            return True
    return False


#: Indentation styles tried (mapping indent, sequence indent, dash offset): kubectl's, indented
#: sequences, and four-space variants. The one whose unchanged dump is closest to the text wins.
_STYLES = ((2, 2, 0), (2, 4, 2), (2, 4, 0), (4, 4, 0), (4, 4, 2), (4, 6, 2), (4, 6, 4), (4, 8, 4))


def _round_trip(segment: str):
    """(ruamel.yaml instance, data, unchanged dump) for the indentation style that reproduces the
    document's text best."""
    best = None
    for mapping, sequence, offset in _STYLES:
        rt = YAML(typ="rt")
        rt.preserve_quotes = True
        rt.width = 1 << 16
        rt.indent(mapping=mapping, sequence=sequence, offset=offset)
        data = rt.load(segment)
        identity = _dump(rt, data)
        score = difflib.SequenceMatcher(None, identity.splitlines(), segment.splitlines(), autojunk=False).ratio()
        if best is None or score > best[0]:
            best = (score, rt, data, identity)
        if identity == segment:
            break
    return best[1:]


@dataclass
class _Plan:
    """One object's migration, checked on the data as kubecheck reads it."""

    obj: object
    replacement: str
    result: dict  # the migrated object, as plain data

    @property
    def renames_only(self) -> bool:
        """Whether only the apiVersion changes (then the text is edited in place, any format)."""
        return self.result == {**self.obj.data, "apiVersion": self.replacement}


def _plan(obj, entry: dict, schemas: SchemaStore) -> _Plan | Outcome:
    """The migration of one object, or why it cannot be made (an Outcome)."""
    old = f"{obj.api_version} {obj.kind}"
    replacement = _replacement(obj, entry, schemas.version)
    if replacement is None:
        return _outcome(obj, f"{old} has no replacement that Kubernetes {schemas.version} serves", False)
    try:
        result = _plain_value(_migrated(obj.data, replacement))
    except Refusal as refusal:
        return _outcome(obj, f"{old} to {replacement}: {refusal}", False)
    validator = schemas.validator(replacement, obj.kind)
    errors = validator.errors(result, obj.kind) if validator is not None else []
    if errors:
        return _outcome(obj, f"as {replacement} it would not be valid ({errors[0].message}); change that by hand",
                        False)
    return _Plan(obj, replacement, result)


def _replacement(obj, entry: dict, version: str) -> str | None:
    """The apiVersion to migrate to: the lifecycle's replacement (followed while it was itself
    removed) if `version` serves it, else the newest other version of the kind that `version`
    serves and does not deprecate (flowcontrol v1beta2 went to v1, but 1.27 serves only v1beta3)."""
    entry = _final(entry, obj.kind, version)
    if entry["replacement"] and minor(entry["replacement-available-in"]) <= minor(version):
        return entry["replacement"]
    group = obj.group
    served = [api_version for api_version, kind in served_kinds(version)
              if kind == obj.kind and api_version != obj.api_version and split_api_version(api_version)[0] == group
              and due(api_version, kind, version) is None]
    return max(served, key=_maturity, default=None) if entry["replacement"] else None


def _maturity(api_version: str) -> tuple:
    """v1 > v1beta3 > v1beta1 > v1alpha1, as Kubernetes orders versions."""
    match = re.match(r"v(\d+)(?:(alpha|beta)(\d+))?\Z", split_api_version(api_version)[1])
    if not match:
        return (0, 0, 0, 0)
    major, stage, number = match.groups()
    return (int(major), {"alpha": 0, "beta": 1, None: 2}[stage], int(number or 0), 0)


def _final(entry: dict, kind: str, version: str) -> dict:
    """The entry whose replacement `version` serves, following replacements that were themselves
    removed (extensions/v1beta1 PodSecurityPolicy went to policy/v1beta1, which has none)."""
    while entry["replacement"]:
        later = lifecycle_entry(entry["replacement"], kind)
        if later is None or minor(later["removed-in"]) > minor(version):
            return entry
        entry = later
    return entry


def _migrated(plain: dict, replacement: str) -> CommentedMap:
    data = commented(plain)
    migrate(data, replacement)
    return data


def _outcome(obj, message: str, fixed: bool) -> Outcome:
    line, column, _ = locate(obj.position, ("apiVersion",), at="value")
    return Outcome(line + 1, column + 1, message, fixed)


def _navigate(data, path: tuple):
    for step in path:
        data = data[step]
    return data


def _dump(rt: YAML, data) -> str:
    stream = io.StringIO()
    rt.dump(data, stream)
    return stream.getvalue()


def _plain(text: str) -> list | None:
    """The data of a document's text as kubecheck reads it (to compare what is written with what is
    meant); None when it does not parse."""
    source = load_text("<fix>", text)
    return None if source.problems else [document.data for document in source.documents]


def _plain_value(data):
    """Round-trip data as plain dicts, lists and scalars."""
    if isinstance(data, dict):
        return {key: _plain_value(item) for key, item in data.items()}
    if isinstance(data, list):
        return [_plain_value(item) for item in data]
    return data


def _patch(original: str, identity: str, migrated: str) -> str | None:
    """Apply the change from `identity` to `migrated` (ruamel.yaml's dumps of one document before and
    after the migration) to `original`, the document as written; None when the lines the change
    touches cannot be matched to original lines. A run of dumped lines that stands for a differently
    laid-out run of original lines (a flow mapping written over two lines) is replaced only whole."""
    source, before, after = (text.splitlines(keepends=True) for text in (original, identity, migrated))
    spans: dict[int, tuple] = {}  # dumped line -> (first, end) of the original lines it stands for, and its run
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, source, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            spans.update({i1 + k: (j1 + k, j1 + k + 1, None) for k in range(i2 - i1)})
        elif tag == "replace":
            spans.update({k: (j1, j2, (i1, i2)) for k in range(i1, i2)})
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 < i2:
            covered = [spans.get(k) for k in range(i1, i2)]
            if None in covered or any(run and not (i1 <= run[0] and run[1] <= i2) for _, _, run in covered):
                return None  # a line kubecheck cannot place, or part of a run laid out otherwise
            pieces = sorted({(first, last) for first, last, _ in covered})
            if any(later[0] != earlier[1] for earlier, later in zip(pieces, pieces[1:])):
                return None  # not one stretch of the original
            start, end = pieces[0][0], pieces[-1][1]
        elif i1 in spans:
            start = end = spans[i1][0]
        elif i1 - 1 in spans:
            start = end = spans[i1 - 1][1]
        else:
            return None
        edits.append((start, end, after[j1:j2]))
    for start, end, lines in sorted(edits, reverse=True):
        source[start:end] = lines
    return "".join(source)


def write_atomically(path: Path, text: str, bom: bytes = b"") -> None:
    """Replace the file's content in one step, keeping its permissions (through a symbolic link,
    the file it points to)."""
    path = path.resolve()
    folder = path.parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".kubecheck", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(bom + text.encode("utf-8"))
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
