"""schema: each error class, at its exact line and column, with its message."""

import pytest
from support import crd, summary

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {{{labels}}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      {containers}:
        - name: web
          image: nginx:1.27
          resources: {{limits: {{memory: {memory}}}}}
"""


def deployment(labels="app: web", replicas="2", containers="containers", memory="128Mi") -> str:
    return DEPLOYMENT.format(labels=labels, replicas=replicas, containers=containers, memory=memory)


def test_a_valid_deployment_is_clean(lint):
    assert summary(lint(deployment())) == []


def test_wrong_type_at_the_value(lint):
    assert summary(lint(deployment(replicas="three"))) == [
        ("schema", 7, 13, 'spec.replicas: expected integer, got string "three"')]


def test_an_integer_may_be_written_with_a_zero_fraction_but_not_with_another(lint):
    assert summary(lint(deployment(replicas="2.0"))) == []
    assert summary(lint(deployment(replicas="2.5"))) == [
        ("schema", 7, 13, "spec.replicas: expected integer, got number 2.5")]


def test_a_misspelled_required_field_is_one_finding_at_the_unknown_key(lint):
    assert summary(lint(deployment(containers="contianers"))) == [
        ("schema", 14, 7, 'unknown field "contianers" in PodSpec; did you mean "containers"?')]


def test_a_missing_required_field_is_reported_at_its_parent(lint):
    report = lint(deployment().replace("      containers:\n        - name: web\n          image: nginx:1.27\n"
                                       "          resources: {limits: {memory: 128Mi}}\n", "      hostname: web\n"))
    assert summary(report) == [("schema", 13, 5, 'spec.template.spec: missing required field "containers" of PodSpec')]


def test_unquoted_yaml_1_1_booleans_and_numbers_in_strings_say_how_to_quote(lint):
    report = lint(deployment(labels='app: web, enabled: yes, version: 1.10, on: "true", quoted: "yes"'))
    assert summary(report) == [
        ("schema", 5, 31, 'metadata.labels.enabled: expected string, got boolean true (an unquoted yes is a '
                          'boolean in YAML 1.1, which Kubernetes reads: write "yes" in quotes)'),
        ("schema", 5, 45, 'metadata.labels.version: expected string, got number 1.1 (an unquoted 1.10 is a '
                          'number in YAML: write "1.10" in quotes)'),
    ]


def test_an_unquoted_yes_as_a_key_becomes_the_key_true(lint):
    # `on:` as a label key is the boolean true, which Kubernetes turns into the key "true"
    report = lint(deployment(labels="app: web, on: x"))
    assert summary(report) == []
    assert report.sources["manifest.yaml"] is not None


def test_quantities_as_the_api_server_parses_them(lint):
    assert summary(lint(deployment(memory="0.5Gi"))) == []
    assert summary(lint(deployment(memory="1"))) == []
    assert summary(lint(deployment(memory="1 Gi"))) == [
        ("schema", 17, 40, 'spec.template.spec.containers[0].resources.limits.memory: "1 Gi" is not a quantity '
                           '(such as 500m, 0.5, 128Mi or 1G)')]


def test_integers_that_do_not_fit_and_secret_data_that_is_not_base64(lint):
    assert summary(lint(deployment(replicas="3000000000"))) == [
        ("schema", 7, 13, "spec.replicas: 3000000000 does not fit in a 32-bit integer")]
    report = lint("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db}
        data:
          user: YWRtaW4=
          password: hunter2!
        stringData:
          note: plain text is fine here
    """)
    assert summary(report) == [("schema", 6, 13, 'data.password: "hunter2!" is not base64 (Secret data must be '
                                                 'base64-encoded; use stringData for plain text)')]


def test_nullable_fields_and_int_or_string_accept_null(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector:
          ports:
            - port: 80
              targetPort:
          type:
    """)
    assert summary(report, "schema") == []


def test_int_or_string_refuses_other_types(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports:
            - port: 80
              targetPort: 80.5
            - port: 81
              targetPort: [http]
    """)
    assert summary(report) == [
        ("schema", 7, 19, "spec.ports[0].targetPort: expected string or integer, got number 80.5"),
        ("schema", 9, 19, "spec.ports[1].targetPort: expected string or integer, got array"),
    ]


def test_missing_required_field_at_the_root_is_at_the_document(lint):
    report = lint("apiVersion: v1\nkind: Binding\nmetadata: {name: b}\n")
    assert summary(report) == [("schema", 1, 1, 'Binding: missing required field "target"')]


def test_keys_that_need_quoting_in_paths(lint):
    report = lint(deployment(labels='app: web, "app.kubernetes.io/version": 3'))
    assert summary(report) == [
        ("schema", 5, 51, 'metadata.labels["app.kubernetes.io/version"]: expected string, got integer 3 '
                          '(an unquoted 3 is a number in YAML: write "3" in quotes)')]


def test_no_strict_allows_unknown_fields(lint):
    report = lint(deployment(containers="contianers"), strict=False)
    assert summary(report) == [("schema", 13, 5, 'spec.template.spec: missing required field "containers" of PodSpec')]


def test_the_target_version_decides(lint):
    service_cidr = """
        apiVersion: networking.k8s.io/v1
        kind: ServiceCIDR
        metadata: {name: extra}
        spec: {cidrs: [10.96.0.0/12]}
    """
    assert summary(lint(service_cidr)) == []
    assert summary(lint(service_cidr, kubernetes_version="1.30")) == [(
        "unknown-kind", 1, 13, "networking.k8s.io/v1 ServiceCIDR is not served by Kubernetes 1.30 (bundled schemas "
                              "have it in 1.33 to 1.37)")]


def test_list_items_are_validated_at_their_own_positions(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            data: {size: 3}
    """)
    assert summary(report) == [("schema", 7, 18, "data.size: expected string, got integer 3 (an unquoted 3 is a "
                                                 "number in YAML: write \"3\" in quotes)")]


def test_kustomize_adds_selectors_to_resources_of_a_kustomization_with_common_labels(lint):
    files = {
        "base/kustomization.yaml": "commonLabels: {app: web}\nresources: [deployment.yaml]\n",
        "base/deployment.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              template:
                spec: {containers: [{name: web, image: nginx}]}
        """,
    }
    assert summary(lint(files)) == []
    files["base/kustomization.yaml"] = "resources: [deployment.yaml]\n"
    assert summary(lint(files)) == [("schema", 4, 1, 'spec: missing required field "selector" of DeploymentSpec')]


@pytest.mark.parametrize("version", ["1.25", "1.30", "1.37"])
def test_every_kind_of_the_example_validates_in_several_versions(lint, version):
    report = lint(deployment(), kubernetes_version=version)
    assert summary(report) == []


@pytest.mark.parametrize("manifest", [
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  selector: {matchLabels: {app: db}}\n"
    "  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: postgres}]}\n",
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {policyTypes: [Ingress]}\n",
    "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: read}\n"
    "roleRef: {kind: Role, name: reader}\nsubjects: [{kind: ServiceAccount, name: app}]\n",
    "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  podFailurePolicy:\n"
    "    rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]\n"
    "  template:\n    spec: {restartPolicy: Never, containers: [{name: j, image: busybox}]}\n",
])
def test_fields_older_releases_wrongly_mark_required_are_optional(lint, manifest):
    assert summary(lint(manifest, kubernetes_version="1.27")) == []


def test_an_unquoted_boolean_key_where_a_field_is_expected_says_to_quote_it(lint):
    report = lint("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  on: x\n")
    assert summary(report) == [(
        "schema", 5, 3, 'unknown field "true" in ObjectMeta (an unquoted key such as yes, no, on, off, y or n is the '
                        'boolean true in YAML 1.1, which Kubernetes turns into this name: quote the key)')]


def test_an_unusable_schema_is_reported_once_per_kind_and_file(lint, tmp_path):
    (tmp_path / "widget-example-v1.json").write_text('{"$ref": "_definitions.json#/definitions/Widget"}')
    files = {f"{file}.yaml": "".join(f"---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {{name: {file}{n}}}\n"
                                     for n in range(2)) for file in "ab"}
    report = lint(files, schema_dirs=(str(tmp_path),))
    assert [(f.file, f.line, f.column) for f in report.findings] == [("a.yaml", 2, 1), ("b.yaml", 2, 1)]
    assert all("Widget cannot be validated: its schema is unusable" in f.message for f in report.findings)


def test_kustomize_only_adds_selectors_to_built_in_workloads(lint):
    pool = crd("Pool", "{type: object, properties: {spec: {type: object, required: [selector], properties: "
                       "{selector: {type: object}}}}}")
    files = {"base/kustomization.yaml": "commonLabels: {app: web}\nresources: [pool.yaml]\n",
             "base/pool.yaml": "apiVersion: example.com/v1\nkind: Pool\nmetadata: {name: p}\nspec: {}\n"}
    assert summary(lint(files, context={"crd.yaml": pool})) == [
        ("schema", 4, 1, 'spec: missing required field "selector"')]
