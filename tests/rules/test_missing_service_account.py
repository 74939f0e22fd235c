"""missing-service-account: pods that run as a ServiceAccount the manifests do not hold."""

import pytest
from support import summary

ACCOUNT = """\
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
  {namespace}
"""

POD = """\
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  {namespace}
spec:
  {account}
  containers:
    - name: web
      image: nginx:1.27
"""

#: Where POD's account field's value is when POD follows one ACCOUNT.
ACCOUNT_AT = (14, 23)


def account(name="web", namespace=None):
    return ACCOUNT.format(name=name, namespace=f"namespace: {namespace}" if namespace else "")


def pod(name="web", namespace=None, field="serviceAccountName"):
    return POD.format(account=f"{field}: {name}" if name is not None else "",
                      namespace=f"namespace: {namespace}" if namespace else "")


def missing(name, namespace="default", tail=""):
    return (f"ServiceAccount {name!r} is not among the manifests of namespace {namespace!r}, which hold other "
            f"ServiceAccounts: the API server refuses to create the pods until it exists{tail}")


def test_missing_account_is_reported_as_information_at_its_name(lint):
    report = lint(account("web") + pod("frontend"))
    assert summary(report, "missing-service-account") == [("missing-service-account", *ACCOUNT_AT,
                                                           missing("frontend"))]
    [finding] = [f for f in report.findings if f.rule == "missing-service-account"]
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
    assert summary(report, "missing-service-account") == [
        ("missing-service-account", *ACCOUNT_AT, missing("web-frontent", tail="; did you mean 'web-frontend'?"))]


# --- accounts that always exist, and pods that name none --------------------------------------------------------------


def test_default_account_always_exists(lint):
    assert summary(lint(account("web") + pod("default")), "missing-service-account") == []
    assert summary(lint(account("web") + pod("default", field="serviceAccount")), "missing-service-account") == []


def test_pod_without_an_account_runs_as_default(lint):
    assert summary(lint(account("web") + pod(None)), "missing-service-account") == []


def test_default_in_another_namespace_is_not_needed(lint):
    # `default` exists in every namespace, including one with other accounts among the manifests
    report = lint(account("api", namespace="shop") + pod("default", namespace="shop"))
    assert summary(report, "missing-service-account") == []


# --- the deprecated serviceAccount field ------------------------------------------------------------------------------


def test_deprecated_service_account_field_is_a_reference(lint):
    report = lint(account("web") + pod("frontend", field="serviceAccount"))
    assert summary(report, "missing-service-account") == [("missing-service-account", 14, 19, missing("frontend"))]
    [finding] = [f for f in report.findings if f.rule == "missing-service-account"]
    assert finding.path == "/spec/serviceAccount"
    assert summary(lint(account("web") + pod("web", field="serviceAccount")), "missing-service-account") == []


def test_service_account_name_wins_over_the_deprecated_field(lint):
    # the API server only uses serviceAccount when serviceAccountName is empty (v1 PodSpec conversion)
    both = account("web") + pod("web").replace("  containers:", "  serviceAccount: frontend\n  containers:")
    assert summary(lint(both), "missing-service-account") == []
    both = account("web") + pod("frontend").replace("  containers:", "  serviceAccount: web\n  containers:")
    assert summary(lint(both), "missing-service-account") == [("missing-service-account", *ACCOUNT_AT,
                                                               missing("frontend"))]


def test_empty_service_account_name_falls_back_to_the_deprecated_field(lint):
    text = account("web") + pod('""').replace("  containers:", "  serviceAccount: frontend\n  containers:")
    assert summary(lint(text), "missing-service-account") == [("missing-service-account", 15, 19,
                                                               missing("frontend"))]


# --- judged only where the manifests hold accounts --------------------------------------------------------------------


def test_namespace_without_accounts_is_not_judged(lint):
    assert summary(lint(pod("frontend")), "missing-service-account") == []


def test_accounts_in_another_namespace_do_not_make_this_one_judged(lint):
    report = lint(account("web", namespace="platform") + pod("frontend", namespace="shop"))
    assert summary(report, "missing-service-account") == []


def test_an_account_in_context_makes_the_namespace_judged(lint):
    report = lint({"pod.yaml": pod("frontend")}, context={"accounts.yaml": account("web")})
    assert summary(report, "missing-service-account") == [("missing-service-account", 8, 23, missing("frontend"))]


def test_bindings_naming_an_account_do_not_make_the_namespace_judged(lint):
    report = lint("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: frontend}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
        subjects: [{kind: ServiceAccount, name: frontend, namespace: default}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          serviceAccountName: other
          containers: [{name: web, image: nginx:1.27}]
    """)
    assert summary(report, "missing-service-account") == []


# --- namespaces -------------------------------------------------------------------------------------------------------


def test_explicit_and_defaulted_namespaces_match(lint):
    assert summary(lint(account(namespace="default") + pod()), "missing-service-account") == []
    assert summary(lint(account() + pod(namespace="default")), "missing-service-account") == []
    assert summary(lint(account(namespace="shop") + pod(namespace="shop")), "missing-service-account") == []


def test_account_in_another_declared_namespace_does_not_count(lint):
    report = lint(account("web", namespace="platform") + account("api", namespace="shop")
                  + pod("web", namespace="shop"))
    [finding] = [f for f in report.findings if f.rule == "missing-service-account"]
    assert (finding.line, finding.column, finding.severity, finding.message) == (
        20, 23, "info", missing("web", "shop"))


def test_the_namespace_setting_places_objects_without_one(lint):
    assert summary(lint(account() + pod(), namespace="shop"), "missing-service-account") == []
    report = lint(account("web") + pod("frontend"), namespace="shop")
    assert summary(report, "missing-service-account") == [("missing-service-account", *ACCOUNT_AT,
                                                           missing("frontend", "shop"))]


DOUBT_NOTE = ("; a ServiceAccount of that name is in namespace {there!r}, and {unset} has no namespace, so it is "
              "checked as in {here!r}: if they are applied to one namespace, pass it with --namespace")


def test_same_name_elsewhere_while_the_pod_has_no_namespace_is_noted(lint):
    # the rule's severity is already the lowest, so the doubt shows in the message only
    report = lint(account("web", namespace="platform") + account("api") + pod("web"))
    [finding] = [f for f in report.findings if f.rule == "missing-service-account"]
    assert (finding.line, finding.column, finding.severity) == (20, 23, "info")
    assert finding.message == missing("web", tail=DOUBT_NOTE.format(there="platform", unset="Pod web",
                                                                    here="default"))


def test_same_name_elsewhere_while_the_account_has_no_namespace_is_noted(lint):
    report = lint(account("web") + account("api", namespace="shop") + pod("web", namespace="shop"))
    [finding] = [f for f in report.findings if f.rule == "missing-service-account"]
    assert finding.message == missing("web", "shop", tail=DOUBT_NOTE.format(
        there="default", unset="ServiceAccount web", here="default"))


def test_doubt_lowers_a_raised_severity_one_level(lint):
    text = account("web", namespace="platform") + account("api") + pod("web")
    report = lint(text, severity={"missing-service-account": "error"})
    assert [f.severity for f in report.findings if f.rule == "missing-service-account"] == ["warning"]
    report = lint(account("api") + pod("web"), severity={"missing-service-account": "error"})
    assert [f.severity for f in report.findings if f.rule == "missing-service-account"] == ["error"]


def test_passing_the_namespace_settles_the_doubt(lint):
    text = account("web", namespace="platform") + account("api") + pod("web")
    assert summary(lint(text, namespace="platform"), "missing-service-account") == []


# --- where accounts and pods come from --------------------------------------------------------------------------------


def test_account_in_another_file_counts(lint):
    assert summary(lint({"account.yaml": account(), "pod.yaml": pod()})) == []


def test_account_given_as_context_resolves_the_reference(lint):
    assert summary(lint({"pod.yaml": pod()}, context={"account.yaml": account()})) == []


def test_pods_in_context_files_are_not_reported(lint):
    report = lint({"account.yaml": account("web")}, context={"pod.yaml": pod("frontend")})
    assert summary(report) == []


def test_objects_in_a_list(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ServiceAccount
            metadata: {name: web}
          - apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              serviceAccountName: web
              containers: [{name: web, image: nginx:1.27}]
          - apiVersion: v1
            kind: Pod
            metadata: {name: admin}
            spec:
              serviceAccountName: admin
              containers: [{name: admin, image: nginx:1.27}]
    """)
    assert summary(report, "missing-service-account") == [("missing-service-account", 17, 27, missing("admin"))]
    [finding] = [f for f in report.findings if f.rule == "missing-service-account"]
    assert finding.path == "/spec/serviceAccountName"
    assert finding.object["name"] == "admin"


ACCOUNT_LIST = """\
apiVersion: v1
kind: ServiceAccountList
items:
  - metadata: {name: web}
  - metadata: {name: worker}
"""


def test_typed_list_items_without_kind_are_accounts(lint):
    report = lint(ACCOUNT_LIST + pod("web") + pod("admin").replace("name: web", "name: admin"))
    assert summary(report, "missing-service-account") == [("missing-service-account", 24, 23, missing("admin"))]


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
    assert summary(report, "missing-service-account") == [("missing-service-account", 20, 27, missing("admin"))]


# --- workloads --------------------------------------------------------------------------------------------------------

POD_SPEC = "    spec:\n      serviceAccountName: missing\n      containers: [{name: c, image: i}]"

WORKLOADS = {
    "Deployment": ("apps/v1", "spec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n"
                   + POD_SPEC, "/spec/template/spec/serviceAccountName"),
    "ReplicaSet": ("apps/v1", "spec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n"
                   + POD_SPEC, "/spec/template/spec/serviceAccountName"),
    "DaemonSet": ("apps/v1", "spec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n"
                  + POD_SPEC, "/spec/template/spec/serviceAccountName"),
    "StatefulSet": ("apps/v1", "spec:\n  serviceName: x\n  selector: {matchLabels: {app: x}}\n  template:\n"
                               "    metadata: {labels: {app: x}}\n" + POD_SPEC, "/spec/template/spec/serviceAccountName"),
    "Job": ("batch/v1", "spec:\n  template:\n" + POD_SPEC.replace("containers", "restartPolicy: Never\n      containers"),
            "/spec/template/spec/serviceAccountName"),
    "CronJob": ("batch/v1", "spec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n"
                + POD_SPEC.replace("containers", "restartPolicy: Never\n      containers").replace("\n", "\n    ")
                .replace("    spec:", "        spec:", 1),
                "/spec/jobTemplate/spec/template/spec/serviceAccountName"),
    "ReplicationController": ("v1", "spec:\n  selector: {app: x}\n  template:\n    metadata: {labels: {app: x}}\n"
                              + POD_SPEC, "/spec/template/spec/serviceAccountName"),
}


@pytest.mark.parametrize("kind", sorted(WORKLOADS))
def test_every_workload_template_is_checked(lint, kind):
    api_version, body, path = WORKLOADS[kind]
    text = account("web") + f"---\napiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n{body}\n"
    report = lint(text)
    [finding] = [f for f in report.findings if f.rule == "missing-service-account"]
    assert finding.message == missing("missing")
    assert finding.path == path
    lines = text.splitlines()
    line = next(number for number, text in enumerate(lines, 1) if "serviceAccountName" in text)
    assert (finding.line, finding.column) == (line, lines[line - 1].index("missing") + 1)
    assert summary(lint(text.replace("serviceAccountName: missing", "serviceAccountName: web"))) == []


def test_custom_workload_kinds_are_checked(lint):
    text = account("web") + """\
---
apiVersion: example.com/v1
kind: Worker
metadata: {name: w}
spec:
  selector: {matchLabels: {app: w}}
  template:
    metadata: {labels: {app: w}}
    spec:
      serviceAccountName: missing
      containers: [{name: w, image: i}]
"""
    report = lint(text, workload_kinds=frozenset({"example.com/Worker"}))
    assert summary(report, "missing-service-account") == [("missing-service-account", 16, 27, missing("missing"))]
    assert summary(lint(text), "missing-service-account") == []
