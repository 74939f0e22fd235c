"""Property-based tests: the loader and the whole pipeline never crash, and JSON round-trips."""

from __future__ import annotations

import copy
import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubecheck.loader import load_bytes, load_text
from kubecheck.positions import locate

# load_text raises the recursion limit on its first call; do it now, so that Hypothesis does not
# warn that a test changed it.
load_text("warm-up.yaml", "a: 1")

FAST = settings(max_examples=200, deadline=None)


def strictly_equal(actual, expected) -> bool:
    """Equal data with equal types all the way down (Python's True == 1 is not YAML's)."""
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, dict):
        return list(actual) == list(expected) and all(strictly_equal(actual[k], expected[k]) for k in expected)
    if isinstance(expected, list):
        return len(actual) == len(expected) and all(map(strictly_equal, actual, expected))
    return actual == expected


def assert_problems_inside(source) -> None:
    """Every problem sits on a line of the text, at most at the end of that line.

    The one exception is libyaml's end-of-stream mark: (number of lines, 0) when the text does
    not end with a line break (see test_loader.test_problem_at_the_end_of_a_file_is_on_its_last_line).
    """
    lines = source.lines
    for problem in source.problems:
        assert problem.line >= 0 and problem.column >= 0, problem
        if (problem.line, problem.column) != (len(lines), 0):
            assert problem.line < len(lines), problem
            assert problem.column <= len(lines[problem.line]), problem


# ---------------------------------------------------------------------------------------------
# (a) load_text never raises


@FAST
@given(st.text())
def test_load_text_never_raises_on_arbitrary_text(text):
    source = load_text("fuzz.yaml", text)
    assert_problems_inside(source)
    for index, document in enumerate(source.documents):
        assert document.index == index


FRAGMENTS = [
    "a", "b", "key", "name", "1", "0x1F", "1e3", ".5", "yes", "~", "null", "é",
    ":", ": ", "- ", "-", "? ", ",", "#", "# c", "|", "|-", ">", "\\",
    "---", "...", "\n", "\r\n", "\r", "  ", "    ", "\t",
    "[", "]", "{", "}", "'", '"',
    "&a ", "*a", "&b ", "*b", "<<: ", "<<: *a", "<<: [*a, *b]",
    "!!int ", "!!str ", "!!float ", "!!binary ", "!!timestamp ", "!!null ", "!foo ", "!!python/object:os.system ",
    "%YAML 1.1\n", "%TAG ! tag:example.com,2000:\n",
    "{{ ", " }}", "\x00", "\ufeff", "\x85", "\u2028",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_load_text_never_raises_on_yaml_like_text(text):
    source = load_text("fuzz.yaml", text)
    assert_problems_inside(source)
    for document in source.documents:
        if document.data is not None:
            assert locate(document.position, ())[2] is True


# ---------------------------------------------------------------------------------------------
# (b) load_bytes never raises


@FAST
@given(st.binary())
def test_load_bytes_never_raises_on_arbitrary_bytes(raw):
    source = load_bytes("fuzz.yaml", raw)
    for problem in source.problems:
        assert problem.line >= 0 and problem.column >= 0


@FAST
@given(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]), st.binary())
def test_load_bytes_never_raises_after_a_byte_order_mark(bom, raw):
    load_bytes("fuzz.yaml", bom + raw)


# ---------------------------------------------------------------------------------------------
# (c) JSON round trip, with every path located

SAFE_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-_./", max_size=8)
# Characters outside the BMP are left out: json.dumps escapes them as surrogate pairs, which the
# loader refuses (see test_loader.test_json_with_an_escaped_surrogate_pair_loads).
BMP_TEXT = st.text(alphabet=st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs",)), max_size=10)
LEAVES = st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | BMP_TEXT
JSON_DATA = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(SAFE_KEYS, children, max_size=4),
    max_leaves=25,
)


def paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, prefix + (index,))


@settings(max_examples=200, deadline=None)
@given(JSON_DATA, st.sampled_from([None, 2]))
def test_json_round_trips_and_every_path_is_located(data, indent):
    text = json.dumps(data, indent=indent)
    source = load_text("data.json", text)
    assert source.problems == []
    [document] = source.documents
    assert strictly_equal(document.data, data)
    lines = source.lines
    for path in paths(data):
        for at in ("key", "value"):
            line, column, found = locate(document.position, path, at=at)
            assert found is True, path
            assert 0 <= line < len(lines) and 0 <= column < len(lines[line]), (path, line, column)
        if path and isinstance(path[-1], str):
            line, column, _ = locate(document.position, path)
            assert lines[line][column:].startswith(json.dumps(path[-1])), path


# ---------------------------------------------------------------------------------------------
# (d) the whole pipeline never has an internal error

# Text without control characters or surrogates, so that every generated file is valid YAML.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=6)
JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=6,
)
NAMES = st.sampled_from(["web", "db", "", "a/b", "UPPER", "x" * 70]) | TEXT
LABELS = st.dictionaries(st.sampled_from(["app", "tier", "app.kubernetes.io/name", "", "a/b/c"]),
                         st.sampled_from(["web", "db", "", "-x-"]) | JUNK, max_size=3)
RULE_NAMES = st.sampled_from(["orphan-service", "selector-mismatch", "duplicate-object", "*", "nope", "", ",,"])


def junk_or(strategy):
    """Mostly values of the right shape, sometimes anything."""
    return st.sampled_from([True, True, True, False]).flatmap(lambda shaped: strategy if shaped else JUNK)


def optional_fields(**fields):
    """A dict holding any subset of the given fields."""
    return st.fixed_dictionaries({}, optional=fields)


EXPRESSION = optional_fields(
    key=junk_or(st.just("app")),
    operator=junk_or(st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist", "Bad"])),
    values=junk_or(st.lists(st.sampled_from(["web", "db"]), max_size=2)),
)
SELECTOR = junk_or(LABELS | optional_fields(matchLabels=junk_or(LABELS),
                                            matchExpressions=junk_or(st.lists(EXPRESSION, max_size=2))))
METADATA = junk_or(optional_fields(
    name=junk_or(NAMES),
    namespace=junk_or(st.sampled_from(["default", "shop", ""])),
    labels=junk_or(LABELS),
    annotations=junk_or(st.dictionaries(st.just("kubecheck.io/ignore"), junk_or(RULE_NAMES), max_size=1)),
))
CONTAINER = optional_fields(name=JUNK, ports=junk_or(st.lists(optional_fields(name=JUNK, containerPort=JUNK),
                                                              max_size=2)))
POD_SPEC = junk_or(optional_fields(containers=junk_or(st.lists(CONTAINER, max_size=2)),
                                   nodeSelector=JUNK, tolerations=JUNK))
PORT = optional_fields(port=JUNK, targetPort=junk_or(st.sampled_from(["http", 80])), name=JUNK)
SPEC = junk_or(optional_fields(
    selector=SELECTOR,
    replicas=JUNK,
    type=junk_or(st.sampled_from(["ClusterIP", "ExternalName"])),
    ports=junk_or(st.lists(PORT, max_size=2)),
    template=junk_or(optional_fields(metadata=METADATA, spec=POD_SPEC)),
    minAvailable=JUNK,
))
API_VERSIONS = junk_or(st.sampled_from(["v1", "apps/v1", "v1", "apps/v1", "policy/v1", "extensions/v1beta1",
                                         "a/b/c", ""]))
KINDS = junk_or(st.sampled_from(["Service", "Deployment", "Pod", "List", "ConfigMap", "DeploymentList",
                                 "PodDisruptionBudget", "StatefulSet", ""]))


def manifest(items):
    """A mapping with apiVersion and kind (of any type) and any of the usual fields."""
    return st.fixed_dictionaries({"apiVersion": API_VERSIONS, "kind": KINDS},
                                 optional={"metadata": METADATA, "spec": SPEC, "items": items, "data": JUNK})


MANIFEST = st.recursive(manifest(JUNK), lambda inner: manifest(junk_or(st.lists(inner, max_size=3))),
                        max_leaves=4)

POD_TEMPLATE = {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "ports": [{"name": "http", "containerPort": 80}]}]}}
REALISTIC = [
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"},
     "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop",
                                                                 "labels": {"app": "web"}},
     "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"},
                                          "matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]},
              "template": POD_TEMPLATE}},
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "one", "labels": {"app": "web"},
                                                     "annotations": {"kubecheck.io/ignore": "orphan-service"}},
     "spec": POD_TEMPLATE["spec"]},
    {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"},
     "spec": {"minAvailable": "100%", "selector": {"matchLabels": {"app": "web"}}}},
    {"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "b"}},
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
         "spec": {"selector": {"matchLabels": {"app": "db"}}, "template": POD_TEMPLATE}}]},
    {"apiVersion": "apps/v1", "kind": "DeploymentList", "items": [
        {"metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}},
                                               "template": POD_TEMPLATE}}]},
]


def subtree_paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from subtree_paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from subtree_paths(value, prefix + (index,))


@st.composite
def mutated_manifest(draw):
    """A realistic manifest with a few of its values (or keys' values) replaced by anything."""
    document = copy.deepcopy(draw(st.sampled_from(REALISTIC)))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        path = draw(st.sampled_from(list(subtree_paths(document))[1:]))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = draw(JUNK)
    return document


COMMENTS = st.sampled_from(["", "# kubecheck: ignore\n", "# kubecheck: ignore[orphan-service]\n",
                            "# kubecheck: ignore[nope,]\n"])


@st.composite
def manifest_files(draw):
    documents = draw(st.lists(mutated_manifest() | junk_or(MANIFEST), min_size=1, max_size=4))
    texts = []
    for document in documents:
        if draw(st.booleans()):
            text = json.dumps(document, ensure_ascii=False)
        else:
            text = yaml.safe_dump(document, default_flow_style=draw(st.sampled_from([False, None])))
        texts.append(draw(COMMENTS) + text)
    return "\n---\n".join(texts)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(manifest_files(), manifest_files())
def test_pipeline_never_has_an_internal_error(lint, checked, context):
    report = lint({"manifest.yaml": checked}, context={"context.yaml": context})
    assert [f.message for f in report.findings if f.rule == "internal-error"] == []
    assert report.internal_errors == 0
