"""missing-configmap: a pod template refers to a ConfigMap, or a key of one, that the manifests do not hold."""

import textwrap

from support import summary

RULE = "missing-configmap"

CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  {namespace}
data:
  LOG_LEVEL: info
  app.yaml: "port: 8080"
"""

DEPLOYMENT = """
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  {namespace}
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          envFrom:
            - configMapRef: {{name: {name}}}
"""

ABSENT = "the container cannot start (CreateContainerConfigError) until it exists"


def absent(name, namespace="default", consequence=ABSENT, hint=""):
    return (f"ConfigMap {name!r} is not among the manifests of namespace {namespace!r}, which hold other "
            f"ConfigMaps: {consequence}{hint}")


def test_missing_configmap_is_reported_at_the_name_as_a_warning(lint):
    report = lint(CONFIGMAP.format(namespace="") + DEPLOYMENT.format(namespace="", name="web-settings"))
    assert summary(report, RULE) == [(
        RULE, 27, 36,
        "ConfigMap 'web-settings' is not among the manifests of namespace 'default', which hold other ConfigMaps: "
        "the container cannot start (CreateContainerConfigError) until it exists (or mark the reference "
        "optional: true)",
    )]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert finding.severity == "warning"
    assert finding.path == "/spec/template/spec/containers/0/envFrom/0/configMapRef/name"
    assert finding.related == ()
    assert (finding.object["kind"], finding.object["name"]) == ("Deployment", "web")


def test_existing_configmap_is_clean(lint):
    assert summary(lint(CONFIGMAP.format(namespace="") + DEPLOYMENT.format(namespace="", name="web-config"))) == []


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
        metadata:
          name: web
          namespace: shop
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
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
        metadata:
          name: web
          namespace: shop
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
    """)
    assert summary(report) == []


ALL_SITES = """
apiVersion: v1
kind: ConfigMap
metadata: {name: present}
data: {key: value}
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  initContainers:
    - name: init
      image: busybox
      envFrom:
        - configMapRef: {name: init-env}
  containers:
    - name: app
      image: app:1
      env:
        - name: MODE
          valueFrom:
            configMapKeyRef: {name: app-env, key: MODE}
      envFrom:
        - prefix: APP_
          configMapRef: {name: app-bulk}
  ephemeralContainers:
    - name: debug
      image: busybox
      env:
        - name: X
          valueFrom:
            configMapKeyRef: {name: debug-env, key: X}
  volumes:
    - name: plain
      configMap: {name: plain-volume}
    - name: projected
      projected:
        sources:
          - serviceAccountToken: {path: token}
          - configMap: {name: projected-volume}
"""


def test_every_reference_site_is_checked(lint):
    volume = "the pods cannot mount it and stay in ContainerCreating until it exists"
    optional = " (or mark the reference optional: true)"
    assert summary(lint(ALL_SITES), RULE) == [
        (RULE, 14, 32, absent("init-env", hint=optional)),
        (RULE, 21, 37, absent("app-env", hint=optional)),
        (RULE, 24, 32, absent("app-bulk", hint=optional)),
        (RULE, 31, 37, absent("debug-env", hint=optional)),
        (RULE, 34, 25, absent("plain-volume", consequence=volume, hint=optional)),
        (RULE, 39, 31, absent("projected-volume", consequence=volume, hint=optional)),
    ]


def test_a_secret_of_the_name_does_not_count_as_the_configmap(lint):
    report = lint(textwrap.dedent("""
        apiVersion: v1
        kind: Secret
        metadata: {name: app-env}
        stringData: {MODE: prod}
        ---
    """) + ALL_SITES.strip("\n"))
    assert (RULE, 26, 37, absent("app-env", hint=" (or mark the reference optional: true)")) in summary(report, RULE)


def test_optional_references_are_skipped_even_with_missing_keys(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: present}
        data: {key: value}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          containers:
            - name: app
              image: app:1
              env:
                - name: MODE
                  valueFrom:
                    configMapKeyRef: {name: gone, key: MODE, optional: true}
                - name: OTHER
                  valueFrom:
                    configMapKeyRef: {name: present, key: nope, optional: true}
              envFrom:
                - configMapRef: {name: gone, optional: true}
          volumes:
            - name: a
              configMap: {name: gone, optional: true}
            - name: b
              configMap: {name: present, optional: true, items: [{key: nope, path: nope}]}
            - name: c
              projected:
                sources:
                  - configMap: {name: gone, optional: true}
    """)
    assert summary(report, RULE) == []


def test_optional_false_is_not_optional(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: present}
        data: {key: value}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          containers:
            - name: app
              image: app:1
              envFrom:
                - configMapRef: {name: gone, optional: false}
    """)
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 14, 32)]


KEYS = """
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data:
  LOG_LEVEL: info
  nginx.conf: "server {}"
binaryData:
  logo.png: iVBORw0KGgo=
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: nginx
      env:
        - name: LOG_LEVEL
          valueFrom:
            configMapKeyRef: {name: web-config, key: LOG_LEVLE}
  volumes:
    - name: config
      configMap:
        name: web-config
        items:
          - {key: nginx.conf, path: nginx.conf}
          - {key: logo.png, path: logo.png}
          - {key: nginx.conff, path: extra.conf}
    - name: projected
      projected:
        sources:
          - configMap:
              name: web-config
              items: [{key: favicon.ico, path: favicon.ico}]
"""


def test_missing_keys_are_reported_at_the_key_with_the_keys_there_are(lint):
    report = lint(KEYS)
    has = "it has LOG_LEVEL, logo.png, nginx.conf"  # binaryData's logo.png only for volumes
    assert summary(report, RULE) == [
        (RULE, 20, 54, "ConfigMap web-config has no key 'LOG_LEVLE' (it has LOG_LEVEL, nginx.conf): the container "
                       "cannot start "
                       "(CreateContainerConfigError); did you mean 'LOG_LEVEL'?"),
        (RULE, 28, 19, f"ConfigMap web-config has no key 'nginx.conff' ({has}): the pods cannot mount it and stay "
                       "in ContainerCreating; did you mean 'nginx.conf'?"),
        (RULE, 34, 29, f"ConfigMap web-config has no key 'favicon.ico' ({has}): the pods cannot mount it and stay "
                       "in ContainerCreating"),
    ]
    for finding in [f for f in report.findings if f.rule == RULE]:
        assert finding.severity == "warning"
        assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related] \
            == [("manifest.yaml", 1, 1, "ConfigMap", "web-config", "the ConfigMap")]
    assert report.findings[0].path == "/spec/containers/0/env/0/valueFrom/configMapKeyRef/key"


def test_a_configmap_without_data_has_no_keys_and_long_key_lists_are_shortened(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: empty}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: many}
        data: {a: "1", b: "2", c: "3", d: "4", e: "5", f: "6", g: "7", h: "8", i: "9"}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          containers:
            - name: app
              image: app:1
              env:
                - {name: A, valueFrom: {configMapKeyRef: {name: empty, key: mode}}}
                - {name: B, valueFrom: {configMapKeyRef: {name: many, key: zz}}}
    """)
    assert summary(report, RULE) == [
        (RULE, 18, 69, "ConfigMap empty has no key 'mode' (it has none): the container cannot start "
                       "(CreateContainerConfigError)"),
        (RULE, 19, 68, "ConfigMap many has no key 'zz' (it has a, b, c, d, e, f, g, h, ...): the container cannot "
                       "start (CreateContainerConfigError)"),
    ]


def test_binary_data_keys_cannot_be_read_into_the_environment(lint):
    # The kubelet resolves configMapKeyRef from the ConfigMap's `data` only (makeEnvironmentVariables in
    # pkg/kubelet/kubelet_pods.go: `configMap.Data[key]`); a key in `binaryData` is "couldn't find key".
    # Volumes project both `data` and `binaryData` (test_missing_keys_are_reported_... mounts logo.png).
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-config}
        data: {LOG_LEVEL: info}
        binaryData: {logo.png: iVBORw0KGgo=}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - name: web
              image: nginx
              env:
                - name: LOGO
                  valueFrom:
                    configMapKeyRef: {name: web-config, key: logo.png}
    """)
    found = summary(report, RULE)
    assert [f[:3] for f in found] == [(RULE, 17, 54)]
    assert found[0][3].startswith("ConfigMap web-config has no key 'logo.png' (")


def test_envfrom_needs_no_particular_key(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: empty}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          containers:
            - name: app
              image: app:1
              envFrom: [{configMapRef: {name: empty}}]
          volumes:
            - {name: all, configMap: {name: empty}}
    """)
    assert summary(report, RULE) == []


def test_nothing_is_judged_in_a_namespace_without_configmaps(lint):
    # No ConfigMap at all: they are evidently managed elsewhere.
    assert summary(lint(DEPLOYMENT.format(namespace="", name="web-settings")), RULE) == []
    # ConfigMaps in another namespace only: the Deployment's namespace holds none.
    report = lint(CONFIGMAP.format(namespace="namespace: other")
                  + DEPLOYMENT.format(namespace="namespace: shop", name="web-settings"))
    assert summary(report, RULE) == []
    # Missing keys are not judged either when the ConfigMap is not there.
    assert summary(lint(KEYS.split("---\n", 1)[1]), RULE) == []


def test_other_kinds_in_the_namespace_do_not_make_it_judged(lint):
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: web-settings}\nstringData: {a: b}\n"
    assert summary(lint(secret + DEPLOYMENT.format(namespace="", name="web-settings")), RULE) == []


def test_kube_root_ca_is_in_every_namespace(lint):
    report = lint(CONFIGMAP.format(namespace="namespace: shop") + textwrap.dedent("""
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app, namespace: shop}
        spec:
          containers:
            - name: app
              image: app:1
              env:
                - name: CA
                  valueFrom:
                    configMapKeyRef: {name: kube-root-ca.crt, key: ca.crt}
          volumes:
            - name: ca
              projected:
                sources:
                  - configMap:
                      name: kube-root-ca.crt
                      items: [{key: ca.crt, path: ca.crt}]
    """))
    assert summary(report, RULE) == []


def test_namespaces_are_compared_after_defaulting(lint):
    # Same declared namespace.
    assert summary(lint(CONFIGMAP.format(namespace="namespace: shop")
                        + DEPLOYMENT.format(namespace="namespace: shop", name="web-config")), RULE) == []
    # `default` declared on one side, defaulted on the other.
    assert summary(lint(CONFIGMAP.format(namespace="namespace: default")
                        + DEPLOYMENT.format(namespace="", name="web-config")), RULE) == []
    assert summary(lint(CONFIGMAP.format(namespace="")
                        + DEPLOYMENT.format(namespace="namespace: default", name="web-config")), RULE) == []


def test_a_configmap_in_another_namespace_does_not_count(lint):
    other = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop-config, namespace: shop}\ndata: {a: b}\n"
    report = lint(CONFIGMAP.format(namespace="namespace: web")
                  + DEPLOYMENT.format(namespace="namespace: shop", name="web-config") + other)
    # Both namespaces are declared: a certain finding, and the suggestion comes from the pod's namespace only.
    assert summary(report, RULE) == [(RULE, 27, 36, absent(
        "web-config", "shop", hint="; did you mean 'shop-config'? (or mark the reference optional: true)"))]
    assert report.findings[0].severity == "warning"


OTHER_CONFIGMAP = """
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: unrelated, {namespace}}}
data: {{a: b}}
"""


def test_the_namespace_setting_is_the_default_namespace(lint):
    both_undeclared = CONFIGMAP.format(namespace="") + DEPLOYMENT.format(namespace="", name="web-config")
    assert summary(lint(both_undeclared, namespace="shop"), RULE) == []
    missing = CONFIGMAP.format(namespace="") + DEPLOYMENT.format(namespace="", name="web-settings")
    assert summary(lint(missing, namespace="shop"), RULE) == [(RULE, 27, 36, absent(
        "web-settings", "shop", hint=" (or mark the reference optional: true)"))]
    declared = CONFIGMAP.format(namespace="namespace: shop") + DEPLOYMENT.format(namespace="", name="web-config")
    assert summary(lint(declared, namespace="shop"), RULE) == []
    # The setting does not move objects that declare their namespace.
    explicit = (CONFIGMAP.format(namespace="namespace: default") + DEPLOYMENT.format(namespace="", name="web-config")
                + OTHER_CONFIGMAP.format(namespace="namespace: shop"))
    report = lint(explicit, namespace="shop")
    assert summary(report, RULE) == [(RULE, 27, 36, absent(
        "web-config", "shop", hint="; a ConfigMap of that name is in namespace 'default', and Deployment web has no "
                                   "namespace, so it is checked as in 'shop': if they are applied to one namespace, "
                                   "pass it with --namespace"))]


def test_same_name_in_another_namespace_with_an_undeclared_side_is_doubtful(lint):
    # The Deployment has no namespace (checked as in `default`), the ConfigMap is in `shop`.
    report = lint(CONFIGMAP.format(namespace="namespace: shop") + DEPLOYMENT.format(namespace="", name="web-config")
                  + OTHER_CONFIGMAP.format(namespace="namespace: default"))
    assert summary(report, RULE) == [(RULE, 27, 36, absent(
        "web-config", hint="; a ConfigMap of that name is in namespace 'shop', and Deployment web has no namespace, "
                           "so it is checked as in 'default': if they are applied to one namespace, pass it with "
                           "--namespace"))]
    assert report.findings[0].severity == "info"  # one level below the rule's warning
    # The other way round: the ConfigMap has no namespace, the Deployment is in `shop`.
    report = lint(CONFIGMAP.format(namespace="") + DEPLOYMENT.format(namespace="namespace: shop", name="web-config")
                  + OTHER_CONFIGMAP.format(namespace="namespace: shop"))
    assert summary(report, RULE) == [(RULE, 27, 36, absent(
        "web-config", "shop", hint="; a ConfigMap of that name is in namespace 'default', and ConfigMap web-config "
                                   "has no namespace, so it is checked as in 'default': if they are applied to one "
                                   "namespace, pass it with --namespace"))]
    assert report.findings[0].severity == "info"
    # Passing the namespace settles it.
    report = lint(CONFIGMAP.format(namespace="namespace: shop") + DEPLOYMENT.format(namespace="", name="web-config")
                  + OTHER_CONFIGMAP.format(namespace="namespace: default"), namespace="shop")
    assert summary(report, RULE) == []


def test_configmaps_and_pods_inside_a_list(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: web-config}
            data: {LOG_LEVEL: info}
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
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
    """)
    assert summary(report, RULE) == [
        (RULE, 22, 82, "ConfigMap web-config has no key 'MODE' (it has LOG_LEVEL): the container cannot start "
                       "(CreateContainerConfigError)"),
        (RULE, 23, 65, absent("web-conf", hint="; did you mean 'web-config'? (or mark the reference optional: true)")),
    ]
    [related] = report.findings[0].related
    assert (related.line, related.column, related.object["kind"], related.object["name"]) == (4, 5, "ConfigMap",
                                                                                              "web-config")


def test_anchors_and_merge_keys(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-config}
        data: {LOG_LEVEL: info}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
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
    """)
    hint = "; did you mean 'web-config'? (or mark the reference optional: true)"
    assert summary(report, RULE) == [
        # An alias has its anchor's position: both containers' references are reported there.
        (RULE, 14, 32, absent("web-cfg", hint=hint)),
        (RULE, 14, 32, absent("web-cfg", hint=hint)),
        (RULE, 27, 20, "ConfigMap web-config has no key 'MODE' (it has LOG_LEVEL): the container cannot start "
                       "(CreateContainerConfigError)"),
    ]
    assert [f.path for f in report.findings if f.rule == RULE] == [
        "/spec/initContainers/0/envFrom/0/configMapRef/name", "/spec/containers/0/envFrom/0/configMapRef/name",
        "/spec/containers/0/env/1/valueFrom/configMapKeyRef/key"]


def test_merge_key_supplies_the_name(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-config}
        data: {LOG_LEVEL: info}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
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
    """)
    # B's own name wins over the merged one, and its merged key exists: only A is reported.
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 16, 43)]


def test_configmap_in_another_file_or_in_context_resolves(lint):
    files = {"configmap.yaml": CONFIGMAP.format(namespace=""),
             "deployment.yaml": DEPLOYMENT.format(namespace="", name="web-config")}
    assert summary(lint(files), RULE) == []
    report = lint({"deployment.yaml": DEPLOYMENT.format(namespace="", name="web-config")},
                  context={"configmap.yaml": CONFIGMAP.format(namespace="")})
    assert summary(report, RULE) == []


def test_context_configmaps_make_a_namespace_judged_and_are_related(lint):
    report = lint({"deployment.yaml": DEPLOYMENT.format(namespace="", name="web-settings") + textwrap.dedent("""
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: probe}
        spec:
          containers:
            - name: probe
              image: busybox
              env: [{name: X, valueFrom: {configMapKeyRef: {name: web-config, key: X}}}]
    """)}, context={"configmap.yaml": CONFIGMAP.format(namespace="")})
    assert summary(report, RULE) == [
        (RULE, 18, 36, absent("web-settings", hint=" (or mark the reference optional: true)")),
        (RULE, 28, 76, "ConfigMap web-config has no key 'X' (it has LOG_LEVEL, app.yaml): the container cannot start "
                       "(CreateContainerConfigError)"),
    ]
    assert {f.file for f in report.findings if f.rule == RULE} == {"deployment.yaml"}
    [related] = report.findings[1].related
    assert (related.file, related.line, related.column) == ("configmap.yaml", 1, 1)


def test_findings_are_never_reported_on_context_files(lint):
    report = lint({"configmap.yaml": CONFIGMAP.format(namespace="")},
                  context={"deployment.yaml": DEPLOYMENT.format(namespace="", name="web-settings")})
    assert summary(report, RULE) == []


def test_cronjob_and_job_templates(lint):
    report = lint(CONFIGMAP.format(namespace="") + textwrap.dedent("""
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers:
                    - name: report
                      image: report:1
                      envFrom: [{configMapRef: {name: report-config}}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: migrate
                  image: migrate:1
                  volumeMounts: [{name: c, mountPath: /c}]
              volumes: [{name: c, configMap: {name: web-config, items: [{key: schema.sql, path: schema.sql}]}}]
    """))
    assert summary(report, RULE) == [
        (RULE, 24, 47, absent("report-config",
                              hint="; did you mean 'web-config'? (or mark the reference optional: true)")),
        (RULE, 37, 71, "ConfigMap web-config has no key 'schema.sql' (it has LOG_LEVEL, app.yaml): the pods cannot "
                       "mount it and stay in ContainerCreating"),
    ]
    assert report.findings[0].path == "/spec/jobTemplate/spec/template/spec/containers/0/envFrom/0/configMapRef/name"
    assert report.findings[0].object["kind"] == "CronJob"


def test_every_workload_kind_is_checked(lint):
    templates = {
        "ReplicaSet": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "ReplicationController": "v1",
    }
    for kind, api_version in templates.items():
        report = lint(CONFIGMAP.format(namespace="") + textwrap.dedent(f"""
            ---
            apiVersion: {api_version}
            kind: {kind}
            metadata: {{name: w}}
            spec:
              serviceName: w
              selector: {{matchLabels: {{app: w}}}}
              template:
                metadata: {{labels: {{app: w}}}}
                spec:
                  containers: [{{name: w, image: w, envFrom: [{{configMapRef: {{name: nope}}}}]}}]
        """))
        assert [f[:3] for f in summary(report, RULE)] == [(RULE, 20, 72)], kind


def test_custom_workload_kinds_are_checked(lint):
    report = lint(CONFIGMAP.format(namespace="") + textwrap.dedent("""
        ---
        apiVersion: example.com/v1
        kind: App
        metadata: {name: web}
        spec:
          template:
            spec:
              containers: [{name: web, image: nginx, envFrom: [{configMapRef: {name: app-config}}]}]
    """), workload_kinds=frozenset({"example.com/App"}))
    assert summary(report, RULE) == [(RULE, 17, 78, absent(
        "app-config", hint="; did you mean 'web-config'? (or mark the reference optional: true)"))]


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
        "app/configmap.yaml": CONFIGMAP.format(namespace=""),
        "app/deployment.yaml": DEPLOYMENT.format(namespace="", name="web-settings").lstrip("-\n"),
    }
    report = lint(files)
    assert summary(report, RULE) == []
    assert "app/kustomization.yaml" in report.skipped
    # Without the generator, the same reference is missing.
    del files["app/kustomization.yaml"]
    report = lint({name.replace("app/", "plain/"): text for name, text in files.items()})
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 17, 36)]


def test_a_malformed_reference_is_not_a_reference(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: present}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          containers:
            - name: app
              image: app:1
              env:
                - {name: A, valueFrom: {configMapKeyRef: {key: X}}}
                - {name: B, valueFrom: {configMapKeyRef: {name: 42, key: X}}}
              envFrom:
                - configMapRef: {}
          volumes:
            - {name: a, configMap: {}}
    """)
    assert summary(report, RULE) == []
