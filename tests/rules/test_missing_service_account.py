"""missing-service-account: pods that run as a ServiceAccount the manifests do not hold."""

import pytest
from support import summary

from .pod_template_fixtures import SAME_NAMESPACE, WORKLOADS, document, doubt, listed, named, not_among, workload

RULE = "missing-service-account"


def account(name="web", namespace=None):
    """A ServiceAccount of 4 lines."""
    return f"---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {named(name, namespace)}\n"


def pod(account="web", namespace=None, field="serviceAccountName", name="web", **fields):
    """A Pod `name` that runs as `account` (unless None), named in its 6th line's `field`, and has the spec `fields`
    after it."""
    spec = {field: account} if account is not None else {}
    lines = [f"{key}: {value}" for key, value in {**spec, **fields}.items()]
    pod_spec = "\n".join([*lines, "containers: [{name: web, image: nginx:1.27}]"])
    return workload("Pod", pod_spec, name, namespace=namespace)


#: Where pod()'s serviceAccountName value is when the Pod follows one account().
ACCOUNT_AT = (10, 23)


def missing(name, namespace="default", tail=""):
    return not_among("ServiceAccount", name, namespace,
                     "the API server refuses to create the pods until it exists" + tail)


def findings(report):
    return [finding for finding in report.findings if finding.rule == RULE]


def test_missing_account_is_reported_as_information_at_its_name(lint):
    report = lint(account("web") + pod("frontend"))
    assert summary(report, RULE) == [(RULE, *ACCOUNT_AT, missing("frontend"))]
    [finding] = findings(report)
    assert finding.severity == "info"
    assert finding.path == "/spec/serviceAccountName"
    assert finding.object["kind"] == "Pod"
    assert finding.related == ()


def test_existing_account_is_clean(lint):
    assert summary(lint(account("web") + pod("web"))) == []


def test_realistic_deployment_with_its_account_is_clean(lint):
    report = lint("""
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: api
          namespace: shop
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/shop-api
        automountServiceAccountToken: false
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          namespace: shop
        spec:
          replicas: 2
          selector:
            matchLabels: {app.kubernetes.io/name: api}
          template:
            metadata:
              labels: {app.kubernetes.io/name: api}
            spec:
              serviceAccountName: api
              automountServiceAccountToken: true
              containers:
                - name: api
                  image: registry.example.com/shop/api:2.4.1
                  ports: [{containerPort: 8080}]
    """)
    assert summary(report) == []


def test_close_names_are_suggested(lint):
    report = lint(account("web-frontend") + pod("web-frontent"))
    assert summary(report, RULE) == [
        (RULE, *ACCOUNT_AT, missing("web-frontent", tail="; did you mean 'web-frontend'?"))]


# --- accounts that always exist, and pods that name none --------------------------------------------------------------


@pytest.mark.parametrize("field", ["serviceAccountName", "serviceAccount"])
def test_default_account_always_exists(lint, field):
    assert summary(lint(account("web") + pod("default", field=field)), RULE) == []


def test_pod_without_an_account_runs_as_default(lint):
    assert summary(lint(account("web") + pod(None)), RULE) == []


def test_default_in_another_namespace_is_not_needed(lint):
    # `default` exists in every namespace, including one with other accounts among the manifests
    report = lint(account("api", namespace="shop") + pod("default", namespace="shop"))
    assert summary(report, RULE) == []


# --- the deprecated serviceAccount field ------------------------------------------------------------------------------


def test_deprecated_service_account_field_is_a_reference(lint):
    report = lint(account("web") + pod("frontend", field="serviceAccount"))
    assert summary(report, RULE) == [(RULE, 10, 19, missing("frontend"))]
    [finding] = findings(report)
    assert finding.path == "/spec/serviceAccount"
    assert summary(lint(account("web") + pod("web", field="serviceAccount")), RULE) == []


def test_service_account_name_wins_over_the_deprecated_field(lint):
    # the API server only uses serviceAccount when serviceAccountName is empty (v1 PodSpec conversion)
    assert summary(lint(account("web") + pod("web", serviceAccount="frontend")), RULE) == []
    report = lint(account("web") + pod("frontend", serviceAccount="web"))
    assert summary(report, RULE) == [(RULE, *ACCOUNT_AT, missing("frontend"))]


def test_empty_service_account_name_falls_back_to_the_deprecated_field(lint):
    report = lint(account("web") + pod('""', serviceAccount="frontend"))
    assert summary(report, RULE) == [(RULE, 11, 19, missing("frontend"))]


# --- judged only where the manifests hold accounts --------------------------------------------------------------------


def test_namespace_without_accounts_is_not_judged(lint):
    assert summary(lint(pod("frontend")), RULE) == []


def test_accounts_in_another_namespace_do_not_make_this_one_judged(lint):
    report = lint(account("web", namespace="platform") + pod("frontend", namespace="shop"))
    assert summary(report, RULE) == []


def test_an_account_in_context_makes_the_namespace_judged(lint):
    report = lint({"pod.yaml": pod("frontend")}, context={"accounts.yaml": account("web")})
    assert summary(report, RULE) == [(RULE, 6, 23, missing("frontend"))]


def test_bindings_naming_an_account_do_not_make_the_namespace_judged(lint):
    binding = document("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: frontend}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
        subjects: [{kind: ServiceAccount, name: frontend, namespace: default}]
    """)
    assert summary(lint(binding + pod("other")), RULE) == []


# --- namespaces -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("account_namespace, pod_namespace", SAME_NAMESPACE)
def test_explicit_and_defaulted_namespaces_match(lint, account_namespace, pod_namespace):
    assert summary(lint(account(namespace=account_namespace) + pod(namespace=pod_namespace)), RULE) == []


def test_account_in_another_declared_namespace_does_not_count(lint):
    report = lint(account("web", namespace="platform") + account("api", namespace="shop")
                  + pod("web", namespace="shop"))
    [finding] = findings(report)
    assert (finding.line, finding.column, finding.severity, finding.message) == (
        14, 23, "info", missing("web", "shop"))


def test_the_namespace_setting_places_objects_without_one(lint):
    assert summary(lint(account() + pod(), namespace="shop"), RULE) == []
    report = lint(account("web") + pod("frontend"), namespace="shop")
    assert summary(report, RULE) == [(RULE, *ACCOUNT_AT, missing("frontend", "shop"))]


def test_same_name_elsewhere_while_the_pod_has_no_namespace_is_noted(lint):
    # the rule's severity is already the lowest, so the doubt shows in the message only
    report = lint(account("web", namespace="platform") + account("api") + pod("web"))
    [finding] = findings(report)
    assert (finding.line, finding.column, finding.severity) == (14, 23, "info")
    assert finding.message == missing("web", tail=doubt("ServiceAccount", "platform", "Pod web"))


def test_same_name_elsewhere_while_the_account_has_no_namespace_is_noted(lint):
    report = lint(account("web") + account("api", namespace="shop") + pod("web", namespace="shop"))
    [finding] = findings(report)
    assert finding.message == missing("web", "shop", tail=doubt("ServiceAccount", "default", "ServiceAccount web"))


def test_doubt_lowers_a_raised_severity_one_level(lint):
    text = account("web", namespace="platform") + account("api") + pod("web")
    report = lint(text, severity={RULE: "error"})
    assert [f.severity for f in findings(report)] == ["warning"]
    report = lint(account("api") + pod("web"), severity={RULE: "error"})
    assert [f.severity for f in findings(report)] == ["error"]


def test_passing_the_namespace_settles_the_doubt(lint):
    text = account("web", namespace="platform") + account("api") + pod("web")
    assert summary(lint(text, namespace="platform"), RULE) == []


# --- where accounts and pods come from --------------------------------------------------------------------------------


def test_account_in_another_file_counts(lint):
    assert summary(lint({"account.yaml": account(), "pod.yaml": pod()})) == []


def test_account_given_as_context_resolves_the_reference(lint):
    assert summary(lint({"pod.yaml": pod()}, context={"account.yaml": account()})) == []


def test_pods_in_context_files_are_not_reported(lint):
    assert summary(lint({"account.yaml": account("web")}, context={"pod.yaml": pod("frontend")})) == []


def test_objects_in_a_list(lint):
    report = lint(listed(account("web"), pod("web"), pod("admin", name="admin")))
    assert summary(report, RULE) == [(RULE, 18, 27, missing("admin"))]
    [finding] = findings(report)
    assert finding.path == "/spec/serviceAccountName"
    assert finding.object["name"] == "admin"


def test_typed_list_items_without_kind_are_accounts(lint):
    accounts = document("""
        apiVersion: v1
        kind: ServiceAccountList
        items:
          - metadata: {name: web}
          - metadata: {name: worker}
    """)
    report = lint(accounts + pod("web") + pod("admin", name="admin"))
    assert summary(report, RULE) == [(RULE, 19, 23, missing("admin"))]


def test_anchors_and_merge_keys(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ServiceAccount
            metadata: {name: &account web}
          - &pod
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec: &spec
              serviceAccountName: *account
              containers: [{name: web, image: nginx:1.27}]
          - <<: *pod
            metadata: {name: web-2}
          - <<: *pod
            metadata: {name: admin}
            spec:
              <<: *spec
              serviceAccountName: admin
    """)
    assert summary(report, RULE) == [(RULE, 20, 27, missing("admin"))]


# --- workloads --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(WORKLOADS))
def test_every_workload_template_is_checked(lint, kind):
    text = account("web") + workload(kind, "serviceAccountName: missing\ncontainers: [{name: c, image: i}]")
    report = lint(text)
    [finding] = findings(report)
    assert finding.message == missing("missing")
    assert finding.path == WORKLOADS[kind][1] + "/serviceAccountName"
    lines = text.splitlines()
    line = next(number for number, text in enumerate(lines, 1) if "serviceAccountName" in text)
    assert (finding.line, finding.column) == (line, lines[line - 1].index("missing") + 1)
    assert summary(lint(text.replace("serviceAccountName: missing", "serviceAccountName: web"))) == []


def test_custom_workload_kinds_are_checked(lint):
    text = account("web") + workload("Worker", "serviceAccountName: missing\ncontainers: [{name: w, image: i}]", "w",
                                     "{app: w}", api_version="example.com/v1")
    report = lint(text, workload_kinds=frozenset({"example.com/Worker"}))
    assert summary(report, RULE) == [(RULE, 14, 27, missing("missing"))]
    assert summary(lint(text), RULE) == []
