"""Label selectors, with the API server's semantics."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubecheck.selectors import Selector, SelectorError


def selector(**data):
    return Selector.from_label_selector(data)


@pytest.mark.parametrize("data, labels, expected", [
    ({"matchLabels": {"app": "web"}}, {"app": "web", "tier": "x"}, True),
    ({"matchLabels": {"app": "web"}}, {"app": "api"}, False),
    ({"matchLabels": {"app": "web"}}, {}, False),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]}, {"tier": "b"}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]}, {"tier": "c"}, False),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]}]}, {}, False),
    ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["a"]}]}, {}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["a"]}]}, {"tier": "a"}, False),
    ({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, {"tier": ""}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, {}, False),
    ({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, {}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, {"tier": "a"}, False),
    ({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}, {"app": "web"}, False),
    ({}, {}, True),  # an empty selector selects everything
])
def test_label_selector_semantics(data, labels, expected):
    assert Selector.from_label_selector(data).matches(labels) is expected


def test_runtime_labels_fixed_or_patterns():
    pod_name = {"statefulset.kubernetes.io/pod-name": re.compile(r"db-(0|[1-9][0-9]*)\Z")}
    assert Selector.from_map({"statefulset.kubernetes.io/pod-name": "db-2"}).matches({}, pod_name)
    assert not Selector.from_map({"statefulset.kubernetes.io/pod-name": "db-x"}).matches({}, pod_name)
    assert not selector(matchExpressions=[{"key": "statefulset.kubernetes.io/pod-name",
                                           "operator": "DoesNotExist"}]).matches({}, pod_name)
    job = {"job-name": "migrate"}
    assert not selector(matchExpressions=[{"key": "job-name", "operator": "NotIn", "values": ["migrate"]}]).matches({}, job)
    # the controller's value wins over a template label of the same name
    assert Selector.from_map({"job-name": "migrate"}).matches({"job-name": "other"}, job)


@pytest.mark.parametrize("data, message, wrong_type", [
    ([], "a label selector must be a mapping", True),
    ({"matchLabels": {"a": 1}}, "matchLabels must map label names to strings", True),
    ({"matchExpressions": {"key": "a"}}, "matchExpressions must be a list", True),
    ({"matchExpressions": [{"operator": "In", "values": ["x"]}]}, "a selector requirement needs a key", True),
    ({"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["x"]}]},
     "operator 'Equals' is not one of In, NotIn, Exists, DoesNotExist", False),
    ({"matchExpressions": [{"key": "a", "operator": "In"}]}, "operator In needs at least one value", False),
    ({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}, "operator Exists takes no values",
     False),
])
def test_invalid_selectors(data, message, wrong_type):
    with pytest.raises(SelectorError) as caught:
        Selector.from_label_selector(data)
    assert (str(caught.value), caught.value.wrong_type) == (message, wrong_type)


def test_kubectl_style_text_and_missing_parts():
    s = selector(matchLabels={"app": "web"}, matchExpressions=[
        {"key": "tier", "operator": "In", "values": ["a", "b"]}, {"key": "canary", "operator": "DoesNotExist"}])
    assert str(s) == "app=web,tier in (a,b),!canary"
    assert s.missing({"app": "web", "canary": "yes"}) == ["tier in (a,b)", "!canary"]


names = st.text("abcxyz-./", min_size=1, max_size=6)
label_sets = st.dictionaries(names, st.text("abc", max_size=3), max_size=5)


@given(label_sets, label_sets)
def test_map_selector_is_a_subset_test(selector_labels, pod_labels):
    expected = all(pod_labels.get(key) == value for key, value in selector_labels.items())
    assert Selector.from_map(selector_labels).matches(pod_labels) is expected


@given(label_sets, st.lists(st.tuples(names, st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist"]),
                                      st.lists(st.text("abc", max_size=3), min_size=1, max_size=3)), max_size=4))
def test_expressions_agree_with_their_definition(pod_labels, requirements):
    expressions = [{"key": key, "operator": op, **({"values": values} if op in ("In", "NotIn") else {})}
                   for key, op, values in requirements]
    definition = {
        "In": lambda key, values: key in pod_labels and pod_labels[key] in values,
        "NotIn": lambda key, values: key not in pod_labels or pod_labels[key] not in values,
        "Exists": lambda key, values: key in pod_labels,
        "DoesNotExist": lambda key, values: key not in pod_labels,
    }
    expected = all(definition[op](key, values) for key, op, values in requirements)
    assert selector(matchExpressions=expressions).matches(pod_labels) is expected


@given(label_sets, st.dictionaries(names, st.sampled_from(["a", re.compile("a|b"), re.compile("[abc]")]), max_size=2),
       st.lists(st.tuples(names, st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist"]),
                          st.lists(st.text("abc", max_size=1), min_size=1, max_size=2)), max_size=3),
       st.data())
def test_certain_and_possible_matches_bracket_every_value_the_patterns_may_take(labels, runtime, requirements, data):
    expressions = [{"key": key, "operator": op, **({"values": values} if op in ("In", "NotIn") else {})}
                   for key, op, values in requirements]
    chosen = selector(matchExpressions=expressions)
    # the runtime labels, with one value each pattern allows (the controller overrides the template)
    concrete = {**labels, **{key: value if isinstance(value, str) else data.draw(st.sampled_from(
        [v for v in "abc" if value.fullmatch(v)])) for key, value in runtime.items()}}
    actual = chosen.matches(concrete)
    if chosen.matches(labels, runtime, certain=True):
        assert actual
    if actual:
        assert chosen.matches(labels, runtime)
