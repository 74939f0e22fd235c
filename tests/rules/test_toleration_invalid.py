"""toleration-invalid: a toleration the API server rejects (ValidateTolerations in pkg/apis/core/validation),
checked for the target Kubernetes version, with or without a node inventory."""

import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from kubecheck.names import label_value_problem, qualified_name_problem
from support import summary

from .pod_template_fixtures import listed, workload

RULE = "toleration-invalid"


def pod(*tolerations):
    """A Pod whose tolerations are written one a line, in flow style: the first is line 6, its `{` at column 7
    (so the value of a field written first, `{key: `, is at column 13)."""
    return ("apiVersion: v1\nkind: Pod\nmetadata: {name: agent}\nspec:\n  tolerations:\n"
            + "".join(f"    - {toleration}\n" for toleration in tolerations)
            + "  containers: [{name: agent, image: agent:1.0}]\n")


def problems(lint, *tolerations, version="1.35", **options):
    """(line, column, message) of the toleration-invalid findings of pod(*tolerations), all errors."""
    report = lint(pod(*tolerations), kubernetes_version=version, **options)
    assert {finding.severity for finding in report.findings if finding.rule == RULE} <= {"error"}
    return [finding[1:] for finding in summary(report, RULE)]


NAME_RULE = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character")
EMPTY_KEY = "a toleration with an empty key must have operator Exists (it then matches every taint); "
SECONDS = "tolerationSeconds needs effect NoExecute (it says how long a NoExecute taint is tolerated), not "
EFFECTS = "is not supported: NoSchedule, PreferNoSchedule, NoExecute"
TWO_SLASHES = "a qualified name has at most one '/' (an optional DNS subdomain prefix, then the name)"


def bad_key(key, problem):
    return f"toleration key {key!r} is not a valid label key: {problem}"


def subdomain(prefix):
    return (f"the prefix {prefix!r} must be a lowercase DNS subdomain (letters, digits, '-' and '.', at most 253 "
            "characters)")


def exists_value(value):
    return f"a toleration with operator Exists matches any value: value {value!r} must be empty"


def bad_value(value, problem=NAME_RULE):
    return f"toleration value {value!r} is not a valid label value: it {problem}"


def unsupported(operator, known="Equal, Exists, Gt, Lt"):
    return f"operator {operator!r} is not supported: {known}"


LONG_PREFIX = ".".join(["a" * 63] * 4)  # 255 characters, each label of them valid
LONGEST_PREFIX = ".".join(["a" * 63] * 3 + ["b" * 61])  # 253 characters
LONG_NAME, LONGEST_NAME = "n" * 64, "n" * 63


# --- one case per check of ValidateTolerations: (toleration, column on line 6, message) ----------------------


@pytest.mark.parametrize("toleration, column, message", [
    # the key must be a qualified name (IsQualifiedName): an optional lowercase DNS subdomain and '/', then a name
    ("{key: Example.com/gpu, operator: Exists}", 13, bad_key("Example.com/gpu", subdomain("Example.com"))),
    ("{key: gpu_vendor.io/model, operator: Exists}", 13, bad_key("gpu_vendor.io/model", subdomain("gpu_vendor.io"))),
    ("{key: -example.com/gpu, operator: Exists}", 13, bad_key("-example.com/gpu", subdomain("-example.com"))),
    ("{key: example..com/gpu, operator: Exists}", 13, bad_key("example..com/gpu", subdomain("example..com"))),
    (f"{{key: {LONG_PREFIX}/gpu, operator: Exists}}", 13, bad_key(f"{LONG_PREFIX}/gpu", subdomain(LONG_PREFIX))),
    ("{key: /gpu, operator: Exists}", 13, bad_key("/gpu", "the prefix part must be non-empty")),
    ("{key: example.com/, operator: Exists}", 13, bad_key("example.com/", "the name part must be non-empty")),
    (f"{{key: {LONG_NAME}, operator: Exists}}", 13,
     bad_key(LONG_NAME, "the name part must be no more than 63 characters")),
    (f"{{key: example.com/{LONG_NAME}, operator: Exists}}", 13,
     bad_key(f"example.com/{LONG_NAME}", "the name part must be no more than 63 characters")),
    ("{key: hw type, operator: Exists}", 13, bad_key("hw type", f"the name part {NAME_RULE}")),
    ("{key: gpu-, operator: Exists}", 13, bad_key("gpu-", f"the name part {NAME_RULE}")),
    ("{key: example.com/.gpu, operator: Exists}", 13, bad_key("example.com/.gpu", f"the name part {NAME_RULE}")),
    ("{key: 'gpu:nvidia', operator: Exists}", 13, bad_key("gpu:nvidia", f"the name part {NAME_RULE}")),
    ("{key: example.com/hw/gpu, operator: Exists}", 13, bad_key("example.com/hw/gpu", TWO_SLASHES)),
    # an empty key (which tolerates every taint) needs operator Exists; with no operator field the finding is
    # on the toleration itself
    ("{operator: Equal, value: x, effect: NoSchedule}", 18, EMPTY_KEY + "operator 'Equal' is rejected"),
    ("{effect: NoSchedule}", 7, EMPTY_KEY + "no operator (Equal) is rejected"),
    ("{key: '', effect: NoSchedule}", 7, EMPTY_KEY + "no operator (Equal) is rejected"),
    ("{key: '', operator: '', effect: NoSchedule}", 27, EMPTY_KEY + "no operator (Equal) is rejected"),
    # tolerationSeconds only with effect NoExecute, and not without an effect (which means every effect)
    ("{key: spot, operator: Exists, effect: NoSchedule, tolerationSeconds: 60}", 45, SECONDS + "NoSchedule"),
    ("{key: spot, operator: Exists, effect: PreferNoSchedule, tolerationSeconds: 0}", 45,
     SECONDS + "PreferNoSchedule"),
    ("{key: spot, operator: Exists, tolerationSeconds: 60}", 7, SECONDS + "an empty effect"),
    # Equal, the default, takes a label value: at most 63 characters, alphanumeric at both ends
    ("{key: tier, value: " + LONG_NAME + "}", 26, bad_value(LONG_NAME, "must be no more than 63 characters")),
    ("{key: tier, operator: Equal, value: a100/80gb}", 43, bad_value("a100/80gb")),
    ("{key: tier, value: '-gold'}", 26, bad_value("-gold")),
    ("{key: tier, value: gold standard}", 26, bad_value("gold standard")),
    # Exists takes no value
    ("{key: node-role.kubernetes.io/control-plane, operator: Exists, value: 'true', effect: NoSchedule}", 77,
     exists_value("true")),
    ("{operator: Exists, value: gpu}", 33, exists_value("gpu")),
    # operators are Equal and Exists (and, for 1.35 on, Gt and Lt), spelt exactly so
    ("{key: tier, operator: In, value: gold}", 29, unsupported("In")),
    ("{key: tier, operator: exists}", 29, unsupported("exists")),
    ("{key: tier, operator: Ge, value: '5'}", 29, unsupported("Ge")),
    # effects are NoSchedule, PreferNoSchedule and NoExecute, spelt exactly so
    ("{key: tier, operator: Exists, effect: noSchedule}", 45, f"effect 'noSchedule' {EFFECTS}"),
    ("{key: tier, operator: Exists, effect: NoScheduleNoAdmit}", 45, f"effect 'NoScheduleNoAdmit' {EFFECTS}"),
])
def test_each_check_of_validate_tolerations(lint, toleration, column, message):
    assert problems(lint, toleration) == [(6, column, message)]


def test_a_toleration_gets_every_problem_it_has(lint):
    """ValidateTolerations appends every error it finds; so does the rule, each at its field."""
    assert problems(lint, "{key: a/b/c, operator: Exists, value: x, effect: Never, tolerationSeconds: 5}") == [
        (6, 13, bad_key("a/b/c", TWO_SLASHES)),
        (6, 45, exists_value("x")),
        (6, 56, f"effect 'Never' {EFFECTS}"),
        (6, 56, SECONDS + "Never"),
    ]


def test_each_toleration_is_reported_on_its_own_line(lint):
    assert problems(lint, "{key: gpu, operator: Exists}", "{operator: Exists, value: gpu}",
                    "{key: tier, operator: In}") == [(7, 33, exists_value("gpu")), (8, 29, unsupported("In"))]


def test_a_toleration_in_block_style(lint):
    text = pod("key: tier\n      operator: Exists\n      value: gold\n      effect: NoSchedule")
    report = lint(text, kubernetes_version="1.35")
    assert summary(report, RULE) == [(RULE, 8, 14, exists_value("gold"))]
    assert report.findings[0].path == "/spec/tolerations/0/value"


# --- Gt and Lt: Kubernetes 1.35 on, integers only ---------------------------------------------------------------

NUMERIC = "{key: example.com/sla, operator: %s, value: '%s', effect: NoSchedule}"  # operator at 40, value at 51


@pytest.mark.parametrize("operator", ["Gt", "Lt"])
@pytest.mark.parametrize("version", ["1.25", "1.34"])
def test_numeric_operators_are_unknown_before_1_35(lint, operator, version):
    assert problems(lint, NUMERIC % (operator, "950"), version=version) == [
        (6, 40, unsupported(operator, "Equal, Exists (Gt and Lt need Kubernetes 1.35 or later as the target version)"))]


@pytest.mark.parametrize("version", ["1.25", "1.34"])
def test_before_1_35_the_known_operators_are_equal_and_exists(lint, version):
    assert problems(lint, "{key: tier, operator: In, value: gold}", version=version) == [
        (6, 29, unsupported("In", "Equal, Exists"))]


@pytest.mark.parametrize("operator", ["Gt", "Lt"])
@pytest.mark.parametrize("value", ["950", "0", "-5", "9223372036854775807", "-9223372036854775808"])
@pytest.mark.parametrize("version", ["1.35", "1.37", None])  # None: the newest bundled version
def test_numeric_operators_with_an_integer_from_1_35(lint, operator, value, version):
    assert problems(lint, NUMERIC % (operator, value), version=version) == []


INTEGER = " (a 64-bit one, in decimal, without leading zeros or a plus sign)"


@pytest.mark.parametrize("operator", ["Gt", "Lt"])
@pytest.mark.parametrize("value", ["high", "9.5", "+5", "1e3", "0x10", " 5"])
def test_numeric_operators_need_an_integer(lint, operator, value):
    assert problems(lint, NUMERIC % (operator, value)) == [
        (6, 51, f"operator {operator} compares numbers: value {value!r} must be an integer" + INTEGER)]


def test_a_numeric_operator_without_a_value(lint):
    assert problems(lint, "{key: example.com/sla, operator: Gt}") == [
        (6, 7, "operator Gt compares numbers: value '' must be an integer" + INTEGER)]


@pytest.mark.parametrize("value", ["0100", "-0", "-01", "--5", "9223372036854775808", "-9223372036854775809",
                                   "\u0661\u0662"])
def test_numeric_values_must_be_canonical_int64(lint, value):
    """The value must be a decimal integer in canonical form (apimachinery content.IsDecimalInteger: no leading
    zero, no "-0", at most one "-", ASCII digits) that fits in an int64 (strconv.ParseInt), as KEP-5471's
    validation and the scheduler's Toleration.ToleratesTaint (compareNumericValues) require; the scheduler
    treats any other value as no match. The wording of the message is the rule's; its subject is not."""
    found = problems(lint, NUMERIC % ("Gt", value))
    assert [(line, column) for line, column, _ in found] == [(6, 51)]
    assert found[0][2].startswith(f"operator Gt compares numbers: value {value!r} must be ")


# --- what the API server accepts -------------------------------------------------------------------------------

VALID = [
    "{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}",
    "{key: node-role.kubernetes.io/master, operator: Exists, effect: NoSchedule}",
    "{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}",
    "{key: nvidia.com/gpu, operator: Equal, value: present, effect: NoSchedule}",
    "{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}",
    "{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 0}",
    "{key: spot, operator: Exists, effect: NoExecute, tolerationSeconds: -5}",  # taken as 0: evict at once
    "{key: CriticalAddonsOnly, operator: Exists}",
    "{key: dedicated, value: batch}",
    "{key: dedicated, operator: Equal, value: '', effect: PreferNoSchedule}",
    "{key: dedicated, operator: Equal}",
    "{key: example.com/tier, value: A-1_b.2}",
    "{key: kubernetes.io/arch, operator: Equal, value: arm64, effect: NoSchedule}",
    f"{{key: tier, value: {LONGEST_NAME}}}",
    f"{{key: {LONGEST_PREFIX}/{LONGEST_NAME}, operator: Exists}}",
    "{key: My_Key.v2, operator: Exists}",
    "{key: 9x, operator: Exists}",
    "{operator: Exists}",
    "{operator: Exists, effect: NoExecute, tolerationSeconds: 30}",
    "{key: tier, operator: Exists, tolerationSeconds: null}",
]


@pytest.mark.parametrize("version", ["1.25", "1.35", None])
def test_valid_tolerations_are_clean(lint, version):
    """Nothing at all is reported: the rule accepts them, and so do the schemas."""
    report = lint(pod(*VALID), kubernetes_version=version)
    assert summary(report) == []


@pytest.mark.parametrize("tolerations, schema", [
    ("[]", None), ("null", None),
    ("[{key: tier, value: 5}]", (4, 41)), ("[{key: 7, operator: Exists}]", (4, 28)),
    ("[{key: tier, operator: [Exists]}]", (4, 44)), ("{key: tier, operator: Exists}", (4, 21)), ("[tier]", (4, 22)),
])
def test_values_of_the_wrong_type_are_left_to_the_schema(lint, tolerations, schema):
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: agent}\n"
            f"spec: {{tolerations: {tolerations}, containers: [{{name: agent, image: agent:1.0}}]}}\n")
    assert [finding[:3] for finding in summary(lint(text))] == ([("schema", *schema)] if schema else [])


# --- where tolerations are: every pod template, List items, with or without an inventory ----------------------

POD_SPEC = """\
tolerations:
  - {key: gpu, operator: Exists, value: 'true'}
containers: [{name: x, image: x:1}]
"""


@pytest.mark.parametrize("kind, line, column, path", [
    ("Pod", 7, 43, "/spec"),
    ("Deployment", 11, 47, "/spec/template/spec"),
    ("DaemonSet", 11, 47, "/spec/template/spec"),
    ("StatefulSet", 12, 47, "/spec/template/spec"),
    ("ReplicaSet", 11, 47, "/spec/template/spec"),
    ("ReplicationController", 11, 47, "/spec/template/spec"),
    ("Job", 10, 47, "/spec/template/spec"),
    ("CronJob", 13, 51, "/spec/jobTemplate/spec/template/spec"),
])
def test_every_pod_template(lint, kind, line, column, path):
    report = lint(workload(kind, POD_SPEC, "gpu-agent"))
    assert summary(report) == [(RULE, line, column, exists_value("true"))]
    (finding,) = [finding for finding in report.findings if finding.rule == RULE]
    assert (finding.severity, finding.path) == ("error", f"{path}/tolerations/0/value")
    assert (finding.object["kind"], finding.object["name"]) == (kind, "gpu-agent")


@pytest.mark.parametrize("kind, line, column", [("Pod", 10, 47), ("Deployment", 14, 51), ("CronJob", 16, 55)])
def test_list_items(lint, kind, line, column):
    """A v1 List's items are lines 3 further down, 4 columns right, than on their own (without their `---`)."""
    report = lint(listed(workload(kind, POD_SPEC, "gpu-agent")))
    assert summary(report) == [(RULE, line, column, exists_value("true"))]
    assert {key: report.findings[0].object[key] for key in ("kind", "name")} == {"kind": kind, "name": "gpu-agent"}


INVENTORY = """\
apiVersion: kubecheck.io/v1
kind: NodeInventory
metadata: {name: lab}
pools:
  - {name: gpu, count: 2, taints: [{key: gpu, value: 'true', effect: NoSchedule}]}
"""


def test_no_inventory_is_needed_and_one_changes_nothing(lint, tmp_path):
    tolerations = ("{key: gpu, operator: Exists, value: 'true'}", "{key: gpu, operator: Equal, value: 'true'}",
                   "{key: Gpu/x, operator: Exists}")
    expected = [(6, 43, exists_value("true")), (8, 13, bad_key("Gpu/x", subdomain("Gpu")))]
    assert problems(lint, *tolerations) == expected
    (tmp_path / "nodes.yaml").write_text(INVENTORY, encoding="utf-8")
    assert problems(lint, *tolerations, nodes=("nodes.yaml",)) == expected


# --- kubecheck.names against apimachinery's IsQualifiedName and IsValidLabelValue ------------------------------

ALPHANUMERIC = frozenset(string.ascii_letters + string.digits)
LOWER_ALPHANUMERIC = frozenset(string.ascii_lowercase + string.digits)


def _alphanumeric_ends(text, inner, ends):
    """Non-empty, `ends` characters first and last, `inner` ones (or `ends` ones) between."""
    return bool(text) and text[0] in ends and text[-1] in ends and all(c in ends or c in inner for c in text)


def is_dns1123_subdomain(text):
    """IsDNS1123Subdomain: at most 253 bytes, dot-separated labels of [a-z0-9-] that start and end alphanumeric."""
    return len(text.encode()) <= 253 and all(_alphanumeric_ends(label, "-", LOWER_ALPHANUMERIC)
                                             for label in text.split("."))


def is_qualified_name(text):
    """IsQualifiedName: [prefix/]name, the prefix a DNS subdomain, the name 1 to 63 bytes of [A-Za-z0-9-_.] that
    start and end alphanumeric."""
    parts = text.split("/")
    if len(parts) > 2 or (len(parts) == 2 and not (parts[0] and is_dns1123_subdomain(parts[0]))):
        return False
    return len(parts[-1].encode()) <= 63 and _alphanumeric_ends(parts[-1], "-_.", ALPHANUMERIC)


def is_valid_label_value(text):
    """IsValidLabelValue: empty, or at most 63 bytes of [A-Za-z0-9-_.] that start and end alphanumeric."""
    return text == "" or (len(text.encode()) <= 63 and _alphanumeric_ends(text, "-_.", ALPHANUMERIC))


#: Characters at the edges of the syntax: both cases, digits, the three punctuation marks, '/', a space, a
#: newline (which a regular expression's `$` would let through), a non-ASCII letter and digit.
EDGY = st.text(alphabet="aZ09-_./ \n\u00e9\u0663", max_size=12)


@st.composite
def subdomains(draw):
    """Dotted names of 240 to 260 characters (the limit is 253) of lowercase letters, digits and '-'."""
    total, labels, length = draw(st.integers(240, 260)), [], -1
    while length < total:
        size = draw(st.integers(1, max(1, min(63, total - length - 1))))
        labels.append(draw(st.text(alphabet="ab0-", min_size=size, max_size=size)))
        length += size + 1
    return ".".join(labels)


@st.composite
def keys(draw):
    """Keys near every limit: prefixes around 253 characters, names around 63, and EDGY pieces anywhere."""
    name = draw(st.one_of(EDGY, st.integers(60, 66).map(lambda n: "k" * n),
                          st.tuples(EDGY, st.integers(60, 66)).map(lambda t: t[0] + "k" * t[1])))
    prefix = draw(st.one_of(st.none(), EDGY, subdomains()))
    return name if prefix is None else f"{prefix}/{name}"


@given(keys())
@example("a/b/c")
@example("abc\n")
@example("example.com/abc\n")
@example("example.com\n/abc")
@example(f"{LONGEST_PREFIX}/{LONGEST_NAME}")
@example(f"{LONGEST_PREFIX}a/{LONGEST_NAME}")
@example("a-.b/c")
@example("Example.com/gpu")
@example("/gpu")
def test_qualified_name_problem_agrees_with_is_qualified_name(key):
    assert (qualified_name_problem(key) is None) == is_qualified_name(key)


@given(st.one_of(EDGY, st.integers(60, 66).map(lambda n: "v" * n), st.text(max_size=70)))
@example("a\n")
@example("\u00e9")
@example("v" * 63)
@example("v" * 64)
@example("")
def test_label_value_problem_agrees_with_is_valid_label_value(value):
    assert (label_value_problem(value) is None) == is_valid_label_value(value)
