"""The node inventory (`--nodes FILE`, config `nodes`): the nodes that scheduling rules place pods on.

Two forms (SPEC section 6), mixed freely: Node objects as `kubectl get nodes -o yaml` prints them
(`Node`, `NodeList`, `List`), and kubecheck's compact `NodeInventory`, pools of `count` identical
nodes (`schemas/node-inventory.schema.json`). Each Node and each pool becomes one `NodeShape`, so a
pool of 500 nodes costs the scheduling rules what one node costs. Node objects among the checked
manifests are never an inventory: only files given as one.

Both forms are checked against the schema (a Node only in the parts kubecheck reads); a file
that cannot be used is an `InventoryError` naming its line and column, which the command line
turns into exit status 2, as it does for a bad config.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kubecheck.collect import display_path
from kubecheck.loader import load_bytes
from kubecheck.objects import K8sObject, objects_of
from kubecheck.quantity import parse_quantity
from kubecheck.validation import first_error

#: The taint the node lifecycle controller puts on cordoned (unschedulable) nodes.
UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
HOSTNAME = "kubernetes.io/hostname"


class InventoryError(Exception):
    """A node inventory file kubecheck cannot use; the message names the file and place."""


@dataclass(frozen=True)
class Taint:
    key: str
    value: str
    effect: str

    def __str__(self) -> str:
        return f"{self.key}{'=' + self.value if self.value else ''}:{self.effect}"


@dataclass(frozen=True, eq=False)
class NodeShape:
    """`count` identical nodes: one Node object, or one pool of a NodeInventory."""

    count: int
    labels: dict
    taints: tuple[Taint, ...]
    unschedulable: bool
    allocatable: dict  # resource -> Fraction, for the amounts the inventory gives (None: too large to compare)
    name: str | None  # the Node's name; None for a pool, whose nodes' names are not known
    pool: str | None
    origin: K8sObject  # the Node or NodeInventory, for related locations
    path: tuple  # inside `origin`: () for a Node, ("pools", i) for a pool

    def describe(self) -> str:
        if self.name is not None:
            return f"node {self.name}"
        return f"pool {self.pool} ({self.count} node{'s' if self.count != 1 else ''})"


@dataclass(frozen=True, eq=False)
class Inventory:
    shapes: tuple[NodeShape, ...]
    files: tuple[str, ...]

    @property
    def nodes(self) -> int:
        return sum(shape.count for shape in self.shapes)


def example_inventory() -> str:
    """The path of the example inventory shipped with kubecheck (rules' examples use it)."""
    return str(resources.files("kubecheck.schemas").joinpath("node-inventory.example.yaml"))


def load_inventory(paths: tuple[str, ...]) -> Inventory | None:
    """The inventory the files at `paths` declare together; None when no file is given."""
    if not paths:
        return None
    shapes: list[NodeShape] = []
    files = []
    named: set[str] = set()  # a Node given twice (the same snapshot in two files) counts once
    for path in paths:
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise InventoryError(f"{path}: cannot read the node inventory: {error.strerror or error}") from None
        name = display_path(Path(path))
        files.append(name)
        for shape in _shapes_of(name, raw):
            if shape.name is None or shape.name not in named:
                shapes.append(shape)
                named.add(shape.name)
    if not shapes:
        raise InventoryError(f"{', '.join(files)}: the node inventory declares no nodes")
    return Inventory(tuple(shapes), tuple(files))


def _shapes_of(name: str, raw: bytes) -> list[NodeShape]:
    source = load_bytes(name, raw)
    objects = objects_of(source, is_context=True) if not source.problems else []
    if source.problems:  # the file does not parse, or a document is not an object
        problem = source.problems[0]
        raise InventoryError(f"{name}:{problem.line + 1}:{problem.column + 1}: {problem.message}")
    shapes = []
    for obj in objects:
        if (obj.group, obj.kind) == ("", "Node"):
            _check(obj, _node_schema(), source.lines)
            shapes.append(_node_shape(obj))
        elif (obj.group, obj.kind) == ("kubecheck.io", "NodeInventory"):
            _check(obj, _schema(), source.lines)
            shapes += [_pool_shape(obj, index, pool) for index, pool in enumerate(obj.data["pools"])]
        else:
            line, column, _ = obj.position
            raise InventoryError(f"{name}:{line + 1}:{column + 1}: a node inventory holds Node objects or a "
                                 f"kubecheck.io/v1 NodeInventory, not {obj.api_version} {obj.kind}")
    return shapes


def _check(obj: K8sObject, schema: dict, lines: list[str]) -> None:
    error = first_error(schema, obj.data, obj.position, lines)
    if error is not None:
        raise InventoryError(f"{obj.source.path}{error}")


@lru_cache(maxsize=None)
def _schema() -> dict:
    return json.loads(resources.files("kubecheck.schemas").joinpath("node-inventory.schema.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def _node_schema() -> dict:
    return {"$defs": _schema()["$defs"], "$ref": "#/$defs/node"}


def _node_shape(node: K8sObject) -> NodeShape:
    spec = node.get("spec") if isinstance(node.get("spec"), dict) else {}
    return NodeShape(1, node.labels, _taints(spec.get("taints")), spec.get("unschedulable") is True,
                     _amounts(node.get("status", "allocatable")), node.name, None, node, ())


def _pool_shape(inventory: K8sObject, index: int, pool: dict) -> NodeShape:
    unschedulable = pool.get("unschedulable") is True
    taints = _taints(pool.get("taints"))
    if unschedulable and not any((taint.key, taint.effect) == (UNSCHEDULABLE_TAINT, "NoSchedule") for taint in taints):
        taints += (Taint(UNSCHEDULABLE_TAINT, "", "NoSchedule"),)  # as the node lifecycle controller adds it
    return NodeShape(int(pool["count"]), dict(pool.get("labels") or {}), taints, unschedulable,
                     _amounts(pool.get("allocatable")), None, pool["name"], inventory, ("pools", index))


def _taints(data) -> tuple[Taint, ...]:
    return tuple(Taint(taint["key"], taint.get("value") or "", taint["effect"]) for taint in data or ())


def _amounts(data) -> dict[str, Fraction | None]:
    amounts = {}
    for resource, value in (data or {}).items():
        try:
            amounts[resource] = parse_quantity(value)
        except ValueError:
            amounts[resource] = None  # a valid quantity too large to compare: not checked
    return amounts
