"""The object index: namespaces settled, and label lookups that agree with brute force."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kubecheck.index import ObjectIndex
from kubecheck.loader import load_text
from kubecheck.objects import objects_of
from kubecheck.selectors import Selector


def index_of(*manifests, namespace="default"):
    source = load_text("test.yaml", "\n---\n".join(json.dumps(m) for m in manifests))
    return ObjectIndex(objects_of(source), namespace)


def deployment(name, labels, namespace=None):
    metadata = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata,
            "spec": {"selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels}}}}


def test_namespaces_are_defaulted_and_cluster_scoped_kinds_have_none():
    index = index_of(deployment("a", {}), deployment("b", {}, "prod"),
                     {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod", "namespace": "x"}},
                     namespace="shop")
    assert [(o.kind, o.name, o.namespace) for o in index.objects] == [
        ("Deployment", "a", "shop"), ("Deployment", "b", "prod"), ("Namespace", "prod", None)]


def test_closest_templates_share_at_least_half_of_the_labels():
    index = index_of(deployment("web", {"app": "web", "tier": "a"}), deployment("other", {"part-of": "shop"}),
                     deployment("near", {"app": "web", "part-of": "shop"}))
    selector = Selector.from_map({"app": "web", "tier": "b", "part-of": "shop", "x": "y"})
    assert [t.owner.name for t in index.closest_templates("default", selector)] == ["near"]  # 2 of 4 shared


label_sets = st.dictionaries(st.sampled_from(["app", "tier", "team"]), st.sampled_from(["a", "b"]), max_size=3)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(label_sets, st.sampled_from([None, "prod"])), max_size=8), label_sets,
       st.lists(st.tuples(st.sampled_from(["app", "tier", "team"]), st.sampled_from(["In", "NotIn", "Exists"]),
                          st.sampled_from([["a"], ["a", "b"]])), max_size=2))
def test_selected_templates_agree_with_checking_every_template(templates, match_labels, expressions):
    index = index_of(*(deployment(f"d{n}", labels, ns) for n, (labels, ns) in enumerate(templates)))
    selector = Selector.from_label_selector({"matchLabels": match_labels, "matchExpressions": [
        {"key": key, "operator": op, **({"values": values} if op != "Exists" else {})} for key, op, values in expressions]})
    for namespace in ("default", "prod"):
        expected = [t.owner.name for t in index.templates.get(namespace, []) if selector.matches(t.labels)]
        assert sorted(t.owner.name for t in index.selected_templates(namespace, selector)) == sorted(expected)
