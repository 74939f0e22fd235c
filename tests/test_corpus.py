"""Real manifests from ../shared/corpus: no crash, no internal error, findings we have read and believe.

Every test here skips where ../shared is absent (users' clones do not have it).
"""

from collections import Counter

import pytest
from support import SHARED, needs_shared

from kubecheck.config import Settings
from kubecheck.run import check

pytestmark = needs_shared  # skip without ../shared/corpus
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="module")
def real(catalogue):
    return check([str(CORPUS / "real")], Settings(), catalogue)


def test_real_corpus_runs_without_internal_errors(real):
    assert real.internal_errors == 0
    assert real.objects > 3000
    assert not [f for f in real.findings if f.rule in ("internal-error", "yaml-syntax", "not-an-object")]


def test_real_manifests_never_have_a_selector_mismatch(real):
    assert not [f for f in real.findings if f.rule == "selector-mismatch"]


def test_duplicate_keys_found_in_the_real_corpus(real):
    found = sorted((f.file.split("corpus/real/")[-1], f.line, f.column, f.message)
                   for f in real.findings if f.rule == "duplicate-key")
    assert found[:3] == [
        ("kubernetes-examples-2017/staging/persistent-volume-provisioning/quobyte/quobyte-admin-secret.yaml", 9, 1,
         'duplicate key "type" (first set at line 5)'),
        ("kubernetes-examples-2017/staging/persistent-volume-provisioning/rbd/ceph-secret-admin.yaml", 9, 1,
         'duplicate key "type" (first set at line 5)'),
        ("kubernetes-examples/_archived/openshift-origin/etcd-controller.yaml", 12, 3,
         'duplicate key "selector" (first set at line 6)'),
    ]
    assert len(found) == 7


def test_operator_backed_services_name_the_custom_resources(real):
    found = [(f.severity, f.message) for f in real.findings
             if f.rule == "orphan-service" and f.file.endswith("real/kube-prometheus/manifests/prometheus-service.yaml")]
    # PrometheusRule and ServiceMonitor are left out: their CRDs (in kube-prometheus) show they run no pods
    assert found == [(
        "info", "Service prometheus-k8s selects no pods: no pod template in namespace 'monitoring' carries "
        "app.kubernetes.io/component=prometheus,app.kubernetes.io/instance=k8s,app.kubernetes.io/name=prometheus,"
        "app.kubernetes.io/part-of=kube-prometheus; the namespace also holds custom resources (Alertmanager main, "
        "Prometheus k8s, ...) whose operator may create such pods (declare them in `operator-pods` to check exactly)")]


def test_peer_tools_test_inputs(catalogue):
    report = check([str(CORPUS / "peers")], Settings(), catalogue)
    assert report.internal_errors == 0
    counts = Counter(f.rule for f in report.findings)
    # kube-linter's deliberately invalid.yaml does not parse and has no `kind` key: no manifest.
    assert counts["yaml-syntax"] == 0
    assert any(name.endswith("kube-linter/pkg/command/lint/testdata/invalid.yaml") for name in report.skipped)
    found = {(f.file.split("corpus/peers/")[-1], f.line) for f in report.findings if f.rule == "selector-mismatch"}
    assert ("kube-linter/tests/checks/mismatching-selector.yml", 38) in found
    assert ("kube-score/score/testdata/statefulset-different-labels.yaml", 6) in found


def test_large_bundles(catalogue):
    bundles = [str(path) for path in sorted((CORPUS / "perf").glob("*.yaml"))]
    report = check(bundles, Settings(), catalogue)
    assert report.internal_errors == 0
    # The OpenTelemetry demo bundle names namespace otel-demo on some objects only: references from the
    # others to its ConfigMaps are doubtful, so reported as info with the --namespace hint, and gone with it.
    assert {(f.rule, f.severity) for f in report.findings} == {("missing-configmap", "info")}
    assert all("pass it with --namespace" in f.message for f in report.findings)
    assert check(bundles, Settings(namespace="otel-demo"), catalogue).findings == []
