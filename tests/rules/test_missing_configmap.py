"""missing-configmap: a pod template refers to a ConfigMap, or a key of one, that the manifests do not hold."""

import pytest
from rules.reference_fixtures import (CONFIGMAP, OPTIONAL, VOLUME, as_list, deployment, document, every_site,
                                      malformed_references, optional_everywhere, pod, stream)
from support import summary

RULE = "missing-configmap"
absent, no_key, doubtful = CONFIGMAP.absent, CONFIGMAP.no_key, CONFIGMAP.doubtful
PRESENT = document("ConfigMap", "present", "data: {key: value}")


def web_config(namespace=""):
    """ConfigMap web-config, with the keys LOG_LEVEL and app.yaml."""
    return document("ConfigMap", "web-config", 'data: {LOG_LEVEL: info, app.yaml: "port: 8080"}', namespace)


def web(uses, namespace=""):
    """Deployment web, whose container takes its environment from ConfigMap `uses` (named on its line 9)."""
    return deployment(CONFIGMAP, uses, namespace=namespace)


def test_missing_configmap_is_reported_at_the_name_as_a_warning(lint):
    report = lint(stream(web_config(), web("web-settings")))
    assert summary(report, RULE) == [(
        RULE, 14, 69,
        "ConfigMap 'web-settings' is not among the manifests of namespace 'default', which hold other ConfigMaps: "
        "the container cannot start (CreateContainerConfigError) until it exists (or mark the reference "
        "optional: true)",
    )]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert (finding.severity, finding.path, finding.related) == (
        "warning", "/spec/template/spec/containers/0/envFrom/0/configMapRef/name", ())
    assert (finding.object["kind"], finding.object["name"]) == ("Deployment", "web")


def test_existing_configmap_is_clean(lint):
    assert summary(lint(stream(web_config(), web("web-config")))) == []


def test_realistic_application_is_clean(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-config
          namespace: shop
          labels: {app: web}
        data:
          LOG_LEVEL: info
          nginx.conf: |
            server { listen 8080; }
        binaryData:
          logo.png: iVBORw0KGgo=
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          replicas: 2
          revisionHistoryLimit: 5
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubectl.kubernetes.io/default-container: web}
            spec:
              initContainers:
                - name: check
                  image: busybox:1.36
                  command: [sh, -c, "test -f /etc/nginx/nginx.conf"]
                  volumeMounts: [{name: config, mountPath: /etc/nginx}]
              containers:
                - name: web
                  image: nginx:1.27
                  ports: [{containerPort: 8080}]
                  env:
                    - name: LOG_LEVEL
                      valueFrom:
                        configMapKeyRef: {name: web-config, key: LOG_LEVEL}
                  envFrom:
                    - configMapRef: {name: web-config}
                  volumeMounts:
                    - {name: config, mountPath: /etc/nginx}
                    - {name: assets, mountPath: /usr/share/nginx/html/img}
                    - {name: ca, mountPath: /etc/ssl/cluster}
              volumes:
                - name: config
                  configMap:
                    name: web-config
                    items: [{key: nginx.conf, path: nginx.conf}]
                - name: assets
                  projected:
                    sources:
                      - configMap:
                          name: web-config
                          items: [{key: logo.png, path: logo.png}]
                - name: ca
                  configMap: {name: kube-root-ca.crt, items: [{key: ca.crt, path: ca.crt}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
    """)
    assert summary(report) == []


def test_every_reference_site_is_checked(lint):
    assert summary(lint(stream(PRESENT, every_site(CONFIGMAP))), RULE) == [
        (RULE, 11, 68, absent("init-env")),
        (RULE, 15, 62, absent("app-env")),
        (RULE, 16, 53, absent("app-bulk")),
        (RULE, 18, 89, absent("debug-env")),
        (RULE, 20, 39, absent("plain-volume", consequence=VOLUME)),
        (RULE, 25, 31, absent("projected-volume", consequence=VOLUME)),
    ]


def test_a_secret_of_the_name_does_not_count_as_the_configmap(lint):
    report = lint(stream(document("Secret", "app-env", "stringData: {MODE: prod}"), PRESENT, every_site(CONFIGMAP)))
    assert (RULE, 20, 62, absent("app-env")) in summary(report, RULE)


def test_optional_references_are_skipped_even_with_missing_keys(lint):
    assert summary(lint(stream(PRESENT, optional_everywhere(CONFIGMAP))), RULE) == []


def test_optional_false_is_not_optional(lint):
    report = lint(stream(PRESENT, pod("""
        containers: [{name: app, image: app:1, envFrom: [{configMapRef: {name: gone, optional: false}}]}]
    """)))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 10, 74)]


KEYS_CONFIGMAP = document("ConfigMap", "web-config", """
    data: {LOG_LEVEL: info, nginx.conf: "server {}"}
    binaryData: {logo.png: iVBORw0KGgo=}
""")
KEYS_POD = pod("""
    containers:
      - name: web
        image: nginx
        env: [{name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: web-config, key: LOG_LEVLE}}}]
    volumes:
      - name: config
        configMap:
          name: web-config
          items:
            - {key: nginx.conf, path: nginx.conf}
            - {key: logo.png, path: logo.png}
            - {key: nginx.conff, path: extra.conf}
      - name: projected
        projected: {sources: [{configMap: {name: web-config, items: [{key: favicon.ico, path: favicon.ico}]}}]}
""", name="web")


def test_missing_keys_are_reported_at_the_key_with_the_keys_there_are(lint):
    report = lint(stream(KEYS_CONFIGMAP, KEYS_POD))
    has = "LOG_LEVEL, logo.png, nginx.conf"  # binaryData's logo.png only for volumes
    assert summary(report, RULE) == [
        (RULE, 14, 84, no_key("web-config", "LOG_LEVLE", "LOG_LEVEL, nginx.conf", hint="; did you mean 'LOG_LEVEL'?")),
        (RULE, 22, 19, no_key("web-config", "nginx.conff", has, VOLUME, "; did you mean 'nginx.conf'?")),
        (RULE, 24, 74, no_key("web-config", "favicon.ico", has, VOLUME)),
    ]
    for finding in [f for f in report.findings if f.rule == RULE]:
        assert finding.severity == "warning"
        assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related] \
            == [("manifest.yaml", 1, 1, "ConfigMap", "web-config", "the ConfigMap")]
    assert report.findings[0].path == "/spec/containers/0/env/0/valueFrom/configMapKeyRef/key"


def test_a_configmap_without_data_has_no_keys_and_long_key_lists_are_shortened(lint):
    many = 'data: {a: "1", b: "2", c: "3", d: "4", e: "5", f: "6", g: "7", h: "8", i: "9"}'
    report = lint(stream(document("ConfigMap", "empty"), document("ConfigMap", "many", many), pod("""
        containers:
          - name: app
            image: app:1
            env:
              - {name: A, valueFrom: {configMapKeyRef: {name: empty, key: mode}}}
              - {name: B, valueFrom: {configMapKeyRef: {name: many, key: zz}}}
    """)))
    assert summary(report, RULE) == [
        (RULE, 18, 69, "ConfigMap empty has no key 'mode' (it has none): the container cannot start "
                     "(CreateContainerConfigError)"),
        (RULE, 19, 68, no_key("many", "zz", "a, b, c, d, e, f, g, h, ...")),
    ]


def test_binary_data_keys_cannot_be_read_into_the_environment(lint):
    # The kubelet resolves configMapKeyRef from the ConfigMap's `data` only (makeEnvironmentVariables in
    # pkg/kubelet/kubelet_pods.go: `configMap.Data[key]`); a key in `binaryData` is "couldn't find key".
    # Volumes project both `data` and `binaryData` (test_missing_keys_are_reported_... mounts logo.png).
    report = lint(stream(KEYS_CONFIGMAP, pod("""
        containers:
          - name: web
            image: nginx
            env: [{name: LOGO, valueFrom: {configMapKeyRef: {name: web-config, key: logo.png}}}]
    """, name="web")))
    found = summary(report, RULE)
    assert [f[:3] for f in found] == [(RULE, 14, 79)]
    assert found[0][3].startswith("ConfigMap web-config has no key 'logo.png' (")


def test_envfrom_needs_no_particular_key(lint):
    report = lint(stream(document("ConfigMap", "empty"), pod("""
        containers: [{name: app, image: app:1, envFrom: [{configMapRef: {name: empty}}]}]
        volumes: [{name: all, configMap: {name: empty}}]
    """)))
    assert summary(report, RULE) == []


@pytest.mark.parametrize("documents", [
    # No ConfigMap at all: they are evidently managed elsewhere.
    pytest.param([web("web-settings")], id="no-configmap"),
    # Missing keys are not judged either when the ConfigMap is not there.
    pytest.param([KEYS_POD], id="no-configmap-for-keys"),
    # ConfigMaps in another namespace only: the Deployment's namespace holds none.
    pytest.param([web_config("other"), web("web-settings", "shop")], id="configmaps-in-another-namespace"),
    # Other kinds in the namespace do not make it judged.
    pytest.param([document("Secret", "web-settings", "stringData: {a: b}"), web("web-settings")], id="a-secret"),
])
def test_nothing_is_judged_in_a_namespace_without_configmaps(lint, documents):
    assert summary(lint(stream(*documents)), RULE) == []


@pytest.mark.parametrize("name", ["kube-root-ca.crt", "istio-ca-root-cert"])
def test_root_certificates_kubernetes_and_istio_publish_are_in_every_namespace(lint, name):
    report = lint(stream(web_config("shop"), pod(f"""
        containers:
          - name: app
            image: app:1
            env: [{{name: CA, valueFrom: {{configMapKeyRef: {{name: {name}, key: ca.crt}}}}}}]
        volumes:
          - name: ca
            projected: {{sources: [{{configMap: {{name: {name}, items: [{{key: ca.crt, path: ca.crt}}]}}}}]}}
    """, namespace="shop")))
    assert summary(report, RULE) == []


def unrelated(name, namespace):
    """A ConfigMap that is not referred to."""
    return document("ConfigMap", name, "data: {a: b}", namespace)


@pytest.mark.parametrize("documents, setting, expected", [
    # Namespaces are compared after defaulting: the same declared one, `default` declared on one side only.
    pytest.param([web_config("shop"), web("web-config", "shop")], None, [], id="same-namespace"),
    pytest.param([web_config("default"), web("web-config")], None, [], id="default-declared-by-the-configmap"),
    pytest.param([web_config(), web("web-config", "default")], None, [], id="default-declared-by-the-deployment"),
    # Both namespaces are declared: a certain finding, and the suggestion comes from the pod's namespace only.
    pytest.param([web_config("web"), web("web-config", "shop"), unrelated("shop-config", "shop")], None,
                 [("warning", absent("web-config", "shop", hint="; did you mean 'shop-config'?" + OPTIONAL))],
                 id="configmap-in-another-namespace"),
    # The namespace setting is the default namespace...
    pytest.param([web_config(), web("web-config")], "shop", [], id="setting-both-undeclared"),
    pytest.param([web_config(), web("web-settings")], "shop", [("warning", absent("web-settings", "shop"))],
                 id="setting-missing"),
    pytest.param([web_config("shop"), web("web-config")], "shop", [], id="setting-declared-by-the-configmap"),
    # ... and does not move objects that declare their namespace.
    pytest.param([web_config("default"), web("web-config"), unrelated("unrelated", "shop")], "shop",
                 [("info", absent("web-config", "shop", hint=doubtful("default", "Deployment web", "shop")))],
                 id="setting-explicit-default"),
    # The same name in another namespace with an undeclared side is doubtful: one level below the rule's warning.
    pytest.param([web_config("shop"), web("web-config"), unrelated("unrelated", "default")], None,
                 [("info", absent("web-config", hint=doubtful("shop", "Deployment web", "default")))],
                 id="doubtful-deployment-undeclared"),
    pytest.param([web_config(), web("web-config", "shop"), unrelated("unrelated", "shop")], None,
                 [("info", absent("web-config", "shop", hint=doubtful("default", "ConfigMap web-config", "default")))],
                 id="doubtful-configmap-undeclared"),
    # Passing the namespace settles it.
    pytest.param([web_config("shop"), web("web-config"), unrelated("unrelated", "default")], "shop", [],
                 id="doubtful-settled-by-the-setting"),
])
def test_namespaces(lint, documents, setting, expected):
    report = lint(stream(*documents), **({"namespace": setting} if setting else {}))
    findings = [(f.rule, f.line, f.column, f.severity, f.message) for f in report.findings if f.rule == RULE]
    assert findings == [(RULE, 14, 69, severity, message) for severity, message in expected]


def test_configmaps_and_pods_inside_a_list(lint):
    configmap = document("ConfigMap", "web-config", "data: {LOG_LEVEL: info}")
    report = lint(as_list(configmap, document("Deployment", "web", """
        spec:
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - name: web
                  image: nginx
                  envFrom: [{configMapRef: {name: web-config}}]
                  env:
                    - {name: L, valueFrom: {configMapKeyRef: {name: web-config, key: LOG_LEVEL}}}
                    - {name: M, valueFrom: {configMapKeyRef: {name: web-config, key: MODE}}}
                    - {name: N, valueFrom: {configMapKeyRef: {name: web-conf, key: MODE}}}
          selector: {matchLabels: {app: web}}
    """, api_version="apps/v1")))
    assert summary(report, RULE) == [
        (RULE, 21, 82, no_key("web-config", "MODE", "LOG_LEVEL")),
        (RULE, 22, 65, absent("web-conf", hint="; did you mean 'web-config'?" + OPTIONAL)),
    ]
    [related] = report.findings[0].related
    assert (related.line, related.column, related.object["kind"], related.object["name"]) == (4, 5, "ConfigMap",
                                                                                              "web-config")


def test_anchors_and_merge_keys(lint):
    report = lint(stream(document("ConfigMap", "web-config", "data: {LOG_LEVEL: info}"), pod("""
        initContainers:
          - name: init
            image: busybox
            envFrom: &from
              - configMapRef: {name: web-cfg}
        containers:
          - name: web
            image: nginx
            envFrom: *from
            env:
              - name: LOG_LEVEL
                valueFrom:
                  configMapKeyRef: &ref {name: web-config, key: LOG_LEVEL}
              - name: MODE
                valueFrom:
                  configMapKeyRef:
                    <<: *ref
                    key: MODE
    """, name="web")))
    hint = "; did you mean 'web-config'?" + OPTIONAL
    assert summary(report, RULE) == [
        # An alias has its anchor's position: both containers' references are reported there.
        (RULE, 14, 32, absent("web-cfg", hint=hint)),
        (RULE, 14, 32, absent("web-cfg", hint=hint)),
        (RULE, 27, 20, no_key("web-config", "MODE", "LOG_LEVEL")),
    ]
    assert [f.path for f in report.findings if f.rule == RULE] == [
        "/spec/initContainers/0/envFrom/0/configMapRef/name", "/spec/containers/0/envFrom/0/configMapRef/name",
        "/spec/containers/0/env/1/valueFrom/configMapKeyRef/key"]


def test_merge_key_supplies_the_name(lint):
    report = lint(stream(document("ConfigMap", "web-config", "data: {LOG_LEVEL: info}"), pod("""
        containers:
          - name: web
            image: nginx
            env:
              - name: A
                valueFrom:
                  configMapKeyRef: &gone {name: gone, key: LOG_LEVEL}
              - name: B
                valueFrom:
                  configMapKeyRef: {<<: *gone, name: web-config}
    """, name="web")))
    # B's own name wins over the merged one, and its merged key exists: only A is reported.
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 16, 43)]


@pytest.mark.parametrize("files, context", [
    pytest.param({"configmap.yaml": web_config(), "deployment.yaml": web("web-config")}, None, id="another-file"),
    pytest.param({"deployment.yaml": web("web-config")}, {"configmap.yaml": web_config()}, id="context"),
    # Findings are never reported on context files.
    pytest.param({"configmap.yaml": web_config()}, {"deployment.yaml": web("web-settings")}, id="findings-are-never-reported-on-context-files"),
])
def test_configmap_in_another_file_or_in_context_resolves(lint, files, context):
    assert summary(lint(files, context=context), RULE) == []


def test_context_configmaps_make_a_namespace_judged_and_are_related(lint):
    probe = pod("containers: [{name: probe, image: busybox, env: [{name: X, valueFrom: {configMapKeyRef: "
                "{name: web-config, key: X}}}]}]", name="probe")
    report = lint({"deployment.yaml": stream(web("web-settings"), probe)}, context={"configmap.yaml": web_config()})
    assert summary(report, RULE) == [
        (RULE, 9, 69, absent("web-settings")),
        (RULE, 16, 115, no_key("web-config", "X", "LOG_LEVEL, app.yaml")),
    ]
    assert {f.file for f in report.findings if f.rule == RULE} == {"deployment.yaml"}
    [related] = report.findings[1].related
    assert (related.file, related.line, related.column) == ("configmap.yaml", 1, 1)


def test_cronjob_and_job_templates(lint):
    cronjob = document("CronJob", "report", """
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers: [{name: report, image: report:1, envFrom: [{configMapRef: {name: report-config}}]}]
                  restartPolicy: OnFailure
          schedule: "0 3 * * *"
    """, api_version="batch/v1")
    job = document("Job", "migrate", """
        spec:
          template:
            spec:
              containers: [{name: migrate, image: migrate:1, volumeMounts: [{name: c, mountPath: /c}]}]
              volumes: [{name: c, configMap: {name: web-config, items: [{key: schema.sql, path: schema.sql}]}}]
              restartPolicy: Never
    """, api_version="batch/v1")
    report = lint(stream(web_config(), cronjob, job))
    assert summary(report, RULE) == [
        (RULE, 14, 88, absent("report-config", hint="; did you mean 'web-config'?" + OPTIONAL)),
        (RULE, 25, 71, no_key("web-config", "schema.sql", "LOG_LEVEL, app.yaml", VOLUME)),
    ]
    assert report.findings[0].path == "/spec/jobTemplate/spec/template/spec/containers/0/envFrom/0/configMapRef/name"
    assert report.findings[0].object["kind"] == "CronJob"


@pytest.mark.parametrize("kind, api_version", [
    ("ReplicaSet", "apps/v1"), ("StatefulSet", "apps/v1"), ("DaemonSet", "apps/v1"), ("ReplicationController", "v1"),
])
def test_every_workload_kind_is_checked(lint, kind, api_version):
    report = lint(stream(web_config(), document(kind, "w", """
        spec:
          serviceName: w
          selector: {matchLabels: {app: w}}
          template:
            metadata: {labels: {app: w}}
            spec: {containers: [{name: w, image: w, envFrom: [{configMapRef: {name: nope}}]}]}
    """, api_version=api_version)))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 14, 77)]


def test_custom_workload_kinds_are_checked(lint):
    app = document("App", "web", """
        spec:
          template:
            spec:
              containers: [{name: web, image: nginx, envFrom: [{configMapRef: {name: app-config}}]}]
    """, api_version="example.com/v1")
    report = lint(stream(web_config(), app), workload_kinds=frozenset({"example.com/App"}))
    hint = "; did you mean 'web-config'?" + OPTIONAL
    assert summary(report, RULE) == [(RULE, 12, 78, absent("app-config", hint=hint))]


def test_kustomize_generated_configmaps_count_as_present(lint):
    files = {
        "app/kustomization.yaml": """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [configmap.yaml, deployment.yaml]
            configMapGenerator:
              - name: web-settings
                literals: [LOG_LEVEL=debug]
        """,
        "app/configmap.yaml": web_config(),
        "app/deployment.yaml": web("web-settings"),
    }
    report = lint(files)
    assert summary(report, RULE) == []
    assert "app/kustomization.yaml" in report.skipped
    # Without the generator, the same reference is missing.
    del files["app/kustomization.yaml"]
    report = lint({name.replace("app/", "plain/"): text for name, text in files.items()})
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 9, 69)]


def test_a_malformed_reference_is_not_a_reference(lint):
    assert summary(lint(stream(document("ConfigMap", "present"), malformed_references(CONFIGMAP))), RULE) == []
