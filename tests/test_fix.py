"""`kubecheck fix` (issue 6): each migration on a manifest with comments and odd formatting, with
the exact text expected afterwards (only the lines the migration must change differ), plus
idempotence, `kubecheck check` afterwards, refusals, `--diff`, files that do not parse, atomic
writes that keep permissions, `--kubernetes-version` and the exit status.

The command runs in-process with click's CliRunner from a temporary working directory.
"""

from __future__ import annotations

import difflib
import json
import os
import stat
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubecheck.cli import main
from kubecheck.schemastore import bundled_versions


def dedent(text: str) -> str:
    """The text dedented, without the newline after the opening triple quote."""
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture(autouse=True)
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def kubecheck(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output + result.stderr
    return result


def fix(*args: str, version: str | None = None):
    return kubecheck("fix", *(("--kubernetes-version", version) if version else ()), *args)


def findings(path: str, version: str | None = None) -> list[tuple[str, str]]:
    """(rule, message) of `kubecheck check` on one file."""
    result = kubecheck("check", "--format", "json", *(("--kubernetes-version", version) if version else ()), path)
    assert result.exit_code in (0, 1), result.output
    return [(f["rule"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def write(name: str, text: str | bytes) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def read(name: str) -> str:
    return Path(name).read_bytes().decode("utf-8")


LIFECYCLE_RULES = {"removed-api", "deprecated-api"}


# --- the migrations: before and after --------------------------------------------------------

PDB = dedent("""
    # Budget for the web tier
    apiVersion: policy/v1beta1   # old
    kind: PodDisruptionBudget
    metadata:
        name: "web"
        labels: {app: web, tier: 'front'}

    spec:
        minAvailable: 1    # keep one
        selector:
            matchLabels:
                app: web
    """)
# The new apiVersion is written over the old value where it stands: the comment after it keeps
# its distance from the value (not its column), and nothing else on the line changes.
PDB_FIXED = PDB.replace("apiVersion: policy/v1beta1   # old", "apiVersion: policy/v1   # old")

PDB_EXPRESSIONS = dedent("""
    apiVersion: policy/v1beta1
    kind: PodDisruptionBudget
    metadata: {name: web}
    spec:
      maxUnavailable: "25%"
      selector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}
    """)

# No selector at all selects no pods in both versions: a plain rename.
PDB_NO_SELECTOR = dedent("""
    apiVersion: policy/v1beta1
    kind: PodDisruptionBudget
    metadata:
      name: nothing   # selects no pods, in v1beta1 and in v1
    spec:
      minAvailable: 0
    """)

CRONJOB = dedent("""
    ---
    # Nightly backup
    apiVersion: "batch/v1beta1"
    kind: CronJob
    metadata:
      name: nightly
      annotations: {owner: "ops",
                    'ticket': OPS-12}
    spec:
      schedule: '0 3 * * *'   # UTC

      concurrencyPolicy: Forbid
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: OnFailure
              containers:
              - name: backup      # a non-indented sequence
                image: busybox:1.36
                command:
                - sh
                - -c
                - |
                  set -e
                    echo "indented"   # not a comment

                  tar czf /backup/x.tgz /data
                env: [{name: A, value: "1"}]
    """)

HPA_V2BETA1 = dedent("""
    apiVersion: autoscaling/v2beta1
    kind: HorizontalPodAutoscaler
    metadata:
      name: web
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
      minReplicas: 2
      maxReplicas: 10   # at most
      metrics:
      # CPU first
      - type: Resource
        resource:
          name: cpu
          targetAverageUtilization: 80
      - type: Resource
        resource: {name: memory, targetAverageValue: 500Mi}

      - type: Pods
        pods:
          metricName: packets-per-second
          selector:
            matchLabels: {verb: GET}
          targetAverageValue: 1k
      - type: Object
        object:
          target:   # the ingress
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            name: main-route
          metricName: requests-per-second
          targetValue: 10k
      - type: Object
        object:
          target: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main-route}
          metricName: requests
          targetValue: 10k
          averageValue: "2"
      - type: External
        external:
          metricName: queue_messages_ready
          metricSelector:
            matchLabels:
              queue: "worker_tasks"
          targetAverageValue: "30"
      - type: External
        external: {metricName: errors, targetValue: 5}
    """)

# The conversion functions of autoscaling/v2beta1: Resource targetAverageUtilization becomes a
# Utilization target and targetAverageValue an AverageValue one; Pods, Object and External name
# their metric in `metric: {name, selector}`; an Object's `target` is its describedObject, its
# targetValue a Value target unless averageValue is set (then an AverageValue target); External's
# metricSelector is the metric's selector.
HPA_V2BETA1_FIXED = dedent("""
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: web
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
      minReplicas: 2
      maxReplicas: 10   # at most
      metrics:
      # CPU first
      - type: Resource
        resource:
          name: cpu
          target:
            type: Utilization
            averageUtilization: 80
      - type: Resource
        resource: {name: memory, target: {type: AverageValue, averageValue: 500Mi}}

      - type: Pods
        pods:
          metric:
            name: packets-per-second
            selector:
              matchLabels: {verb: GET}
          target:
            type: AverageValue
            averageValue: 1k
      - type: Object
        object:
          describedObject: # the ingress
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            name: main-route
          metric:
            name: requests-per-second
          target:
            type: Value
            value: 10k
      - type: Object
        object:
          describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main-route}
          metric:
            name: requests
          target:
            type: AverageValue
            averageValue: "2"
      - type: External
        external:
          metric:
            name: queue_messages_ready
            selector:
              matchLabels:
                queue: "worker_tasks"
          target:
            type: AverageValue
            averageValue: "30"
      - type: External
        external: {metric: {name: errors}, target: {type: Value, value: 5}}
    """)

# A comment on a target that moves goes with the value it was about (as the Ingress migration
# does for serviceName and servicePort), at its column.
HPA_V2BETA1_COMMENT = dedent("""
    apiVersion: autoscaling/v2beta1
    kind: HorizontalPodAutoscaler
    metadata:
      name: web
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
      maxReplicas: 10
      metrics:
      - type: Resource
        resource:
          name: cpu
          targetAverageUtilization: 80   # percent of the request
    """)
HPA_V2BETA1_COMMENT_FIXED = dedent("""
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: web
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
      maxReplicas: 10
      metrics:
      - type: Resource
        resource:
          name: cpu
          target:
            type: Utilization
            averageUtilization: 80       # percent of the request
    """)

HPA_V2BETA2 = dedent("""
    apiVersion: autoscaling/v2beta2  # will go
    kind: HorizontalPodAutoscaler
    metadata:
        name: "web"
    spec:
        scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: web
        maxReplicas: 5
        metrics:
            - type: Resource
              resource:
                  name: cpu
                  target: {type: Utilization, averageUtilization: 70}
    """)
HPA_V2BETA2_FIXED = HPA_V2BETA2.replace("autoscaling/v2beta2  # will go", "autoscaling/v2  # will go")

INGRESS_EXTENSIONS = dedent("""
    apiVersion: extensions/v1beta1
    kind: Ingress
    metadata:
      name: web
      annotations:
        kubernetes.io/ingress.class: "nginx"   # the controller
    spec:
      backend:
        serviceName: fallback   # catch-all
        servicePort: 80
      tls:
      - hosts: [example.com]
        secretName: web-tls
      rules:
      - host: example.com
        http:
          paths:
          # the API
          - path: /api
            backend:
              serviceName: api
              servicePort: http   # named port
          - path: /static
            pathType: Prefix
            backend: {serviceName: static, servicePort: 8080}

          - backend:
              serviceName: web
              servicePort: 80
    """)
INGRESS_EXTENSIONS_FIXED = dedent("""
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
      annotations:
        kubernetes.io/ingress.class: "nginx"   # the controller
    spec:
      defaultBackend:
        service:
          name: fallback        # catch-all
          port:
            number: 80
      tls:
      - hosts: [example.com]
        secretName: web-tls
      rules:
      - host: example.com
        http:
          paths:
          # the API
          - path: /api
            pathType: ImplementationSpecific
            backend:
              service:
                name: api
                port:
                  name: http      # named port
          - path: /static
            pathType: Prefix
            backend: {service: {name: static, port: {number: 8080}}}

          - pathType: ImplementationSpecific
            backend:
              service:
                name: web
                port:
                  number: 80
    """)

INGRESS_NETWORKING = dedent("""
    apiVersion: networking.k8s.io/v1beta1
    kind: Ingress
    metadata:
        name: 'web'
    spec:
        ingressClassName: nginx
        rules:
            - host: "example.com"
              http:
                  paths:
                      - path: /
                        backend:
                            serviceName: web
                            servicePort: 80
    """)
INGRESS_NETWORKING_FIXED = dedent("""
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
        name: 'web'
    spec:
        ingressClassName: nginx
        rules:
            - host: "example.com"
              http:
                  paths:
                      - path: /
                        pathType: ImplementationSpecific
                        backend:
                            service:
                                name: web
                                port:
                                    number: 80
    """)


# The same Ingress in a style kubecheck's indentation guesses do not include: lines the migration
# does not change keep their indentation all the same.
# (Failing with fix.py's line patches: the inserted lines come out at the dump's indentation, so
# the object is refused as "would reformat lines the migration does not change", though the
# faithful result below only changes the lines the migration must change.)
INGRESS_DASH_THREE = dedent("""
    apiVersion: networking.k8s.io/v1beta1
    kind: Ingress
    metadata:
        name: 'web'
    spec:
        rules:
            -   host: "example.com"
                http:
                    paths:
                        -   path: /
                            backend:
                                serviceName: web
                                servicePort: 80
    """)
INGRESS_DASH_THREE_FIXED = dedent("""
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
        name: 'web'
    spec:
        rules:
            -   host: "example.com"
                http:
                    paths:
                        -   path: /
                            pathType: ImplementationSpecific
                            backend:
                                service:
                                    name: web
                                    port:
                                        number: 80
    """)

NETWORK_POLICY = dedent("""
    apiVersion: extensions/v1beta1
    kind: NetworkPolicy
    metadata:
        name: api-from-web   # only the web tier
    spec:
        podSelector: {matchLabels: {app: api}}
        ingress:
        -   from:
            -   podSelector:
                    matchLabels: {app: web}
            ports: [{protocol: TCP, port: 8080}]
    """)

# The plain renames, one object per document; the ConfigMap and the Service have nothing to fix
# and stay byte for byte, odd spacing and all.
RENAMES = dedent("""
    # a config map first
    apiVersion: v1
    kind: ConfigMap
    metadata:   {name: settings}
    data:
      mode:    "fast"
    ---
    apiVersion: storage.k8s.io/v1beta1
    kind: StorageClass
    metadata:
      name: fast
    provisioner: kubernetes.io/no-provisioner
    volumeBindingMode: WaitForFirstConsumer
    ---   # the priority class
    apiVersion: scheduling.k8s.io/v1beta1
    kind: PriorityClass
    metadata:
      name: high
    value: 1000000
    globalDefault: false
    description: "For the important pods."
    ---
    apiVersion: coordination.k8s.io/v1beta1
    kind: Lease
    metadata:
      name: leader
    spec:
      holderIdentity: pod-a
      leaseDurationSeconds: 15
    ---
    kind: ClusterRoleBinding
    apiVersion: rbac.authorization.k8s.io/v1beta1
    metadata: {name: readers}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
    subjects:
    - kind: Group
      name: "readers"
    ...
    ---
    apiVersion: v1
    kind: Service
    metadata:
        name:   odd
    spec:
        ports: [{port: 80}]
    """)

LIST = dedent("""
    apiVersion: v1
    kind: List
    items:
    # first the role
    - apiVersion: rbac.authorization.k8s.io/v1beta1
      kind: Role
      metadata: {name: reader, namespace: default}
      rules:
      - apiGroups: [""]
        resources: ["pods"]
        verbs: ["get", "list"]
    - apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
      data: {mode: fast}
    - apiVersion: extensions/v1beta1
      kind: NetworkPolicy
      metadata:
        name: deny-all   # default deny
      spec:
        podSelector: {}
        policyTypes:
        - Ingress
    """)

# sideEffects declared None: v1 gets the old defaults written out (admissionReviewVersions is
# required in v1; failurePolicy, matchPolicy and timeoutSeconds changed their defaults).
WEBHOOK = dedent("""
    apiVersion: admissionregistration.k8s.io/v1beta1
    kind: ValidatingWebhookConfiguration
    metadata:
      name: check
    webhooks:
    - name: check.example.com   # the only one
      sideEffects: None
      clientConfig:
        service: {namespace: default, name: checker}
      rules:
      - operations: ["CREATE"]
        apiGroups: [""]
        apiVersions: ["v1"]
        resources: ["pods"]
    """)
WEBHOOK_FIXED = WEBHOOK.replace("admissionregistration.k8s.io/v1beta1", "admissionregistration.k8s.io/v1") + (
    "  admissionReviewVersions:\n  - v1beta1\n  failurePolicy: Ignore\n  matchPolicy: Exact\n  timeoutSeconds: 30\n")

STATEFULSET = dedent("""
    apiVersion: apps/v1beta1
    kind: StatefulSet
    metadata:
        name: db

    spec:
        serviceName: db
        replicas: 3
        template:
            metadata:
                labels:
                    app: db     # the database
            spec:
                containers:
                    - name: db
                      image: "postgres:16"
    """)
# The selector is a copy of the labels, without their comment; apps/v1beta1 StatefulSets
# defaulted to OnDelete updates.
STATEFULSET_FIXED = dedent("""
    apiVersion: apps/v1
    kind: StatefulSet
    metadata:
        name: db

    spec:
        serviceName: db
        replicas: 3
        selector:
            matchLabels:
                app: db
        updateStrategy:
            type: OnDelete
        template:
            metadata:
                labels:
                    app: db     # the database
            spec:
                containers:
                    - name: db
                      image: "postgres:16"
    """)

# A selector and an update strategy already there are kept as they are.
DAEMONSET_COMPLETE = dedent("""
    apiVersion: extensions/v1beta1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector:
        matchLabels: {app: agent}   # narrower than the labels
      updateStrategy: {type: RollingUpdate}
      template:
        metadata:
          labels: {app: agent, tier: node}
        spec:
          containers: [{name: agent, image: "agent:1.0"}]
    """)

WORKLOAD = """\
apiVersion: {api_version}
kind: {kind}
metadata:
  name: web   # the web tier
spec:
{extra}  template:
    metadata:
      labels: {{app: web, tier: "front"}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""

#: apiVersion and kind of every old workload in the lifecycle data.
OLD_WORKLOADS = [
    ("extensions/v1beta1", "Deployment"), ("extensions/v1beta1", "DaemonSet"), ("extensions/v1beta1", "ReplicaSet"),
    ("apps/v1beta1", "Deployment"), ("apps/v1beta1", "StatefulSet"), ("apps/v1beta1", "ReplicaSet"),
    ("apps/v1beta2", "Deployment"), ("apps/v1beta2", "DaemonSet"), ("apps/v1beta2", "StatefulSet"),
    ("apps/v1beta2", "ReplicaSet"),
]
ON_DELETE = {("extensions/v1beta1", "DaemonSet"), ("apps/v1beta1", "StatefulSet")}


def workload(api_version: str, kind: str):
    """A workload without a selector, before and after: the selector the old API defaulted from
    the template's labels, and OnDelete where the old API defaulted to it."""
    extra = {"DaemonSet": "", "StatefulSet": "  serviceName: web\n  replicas: 2\n"}.get(kind, "  replicas: 2\n")
    before = WORKLOAD.format(api_version=api_version, kind=kind, extra=extra)
    added = '  selector:\n    matchLabels: {app: web, tier: "front"}\n'
    if (api_version, kind) in ON_DELETE:
        added += "  updateStrategy:\n    type: OnDelete\n"
    after = WORKLOAD.format(api_version="apps/v1", kind=kind, extra=extra + added)
    return pytest.param(before, after, None, id=f"{api_version}-{kind}")


def renamed(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    return text


#: (before, after, --kubernetes-version or None for the newest bundled)
MIGRATIONS = [
    pytest.param(PDB, PDB_FIXED, None, id="pdb"),
    pytest.param(PDB_EXPRESSIONS, PDB_EXPRESSIONS.replace("policy/v1beta1", "policy/v1"), None, id="pdb-expressions"),
    pytest.param(PDB_NO_SELECTOR, PDB_NO_SELECTOR.replace("policy/v1beta1", "policy/v1"), None, id="pdb-no-selector"),
    pytest.param(CRONJOB, CRONJOB.replace('"batch/v1beta1"', '"batch/v1"'), None, id="cronjob"),
    pytest.param(CRONJOB, CRONJOB.replace('"batch/v1beta1"', '"batch/v1"'), "1.25", id="cronjob-1.25"),
    pytest.param(HPA_V2BETA1, HPA_V2BETA1_FIXED, None, id="hpa-v2beta1"),
    pytest.param(HPA_V2BETA1_COMMENT, HPA_V2BETA1_COMMENT_FIXED, None, id="hpa-v2beta1-comment-follows-its-value"),
    pytest.param(HPA_V2BETA2, HPA_V2BETA2_FIXED, None, id="hpa-v2beta2"),
    pytest.param(HPA_V2BETA2, HPA_V2BETA2_FIXED, "1.25", id="hpa-v2beta2-deprecated-but-served-1.25"),
    pytest.param(INGRESS_EXTENSIONS, INGRESS_EXTENSIONS_FIXED, None, id="ingress-extensions"),
    pytest.param(INGRESS_NETWORKING, INGRESS_NETWORKING_FIXED, None, id="ingress-networking"),
    pytest.param(INGRESS_DASH_THREE, INGRESS_DASH_THREE_FIXED, None, id="ingress-dash-three-spaces"),
    pytest.param(NETWORK_POLICY, NETWORK_POLICY.replace("extensions/v1beta1", "networking.k8s.io/v1"), None,
                 id="networkpolicy"),
    pytest.param(RENAMES, renamed(RENAMES, ("storage.k8s.io/v1beta1", "storage.k8s.io/v1"),
                                  ("scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1"),
                                  ("coordination.k8s.io/v1beta1", "coordination.k8s.io/v1"),
                                  ("rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1")),
                 None, id="plain-renames-in-several-documents"),
    pytest.param(LIST, renamed(LIST, ("rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1"),
                               ("apiVersion: extensions/v1beta1", "apiVersion: networking.k8s.io/v1")),
                 None, id="list-items"),
    pytest.param(WEBHOOK, WEBHOOK_FIXED, None, id="validating-webhook"),
    pytest.param(STATEFULSET, STATEFULSET_FIXED, None, id="statefulset-four-spaces"),
    pytest.param(DAEMONSET_COMPLETE, DAEMONSET_COMPLETE.replace("extensions/v1beta1", "apps/v1"), None,
                 id="daemonset-with-selector-and-strategy"),
    *(workload(api_version, kind) for api_version, kind in OLD_WORKLOADS),
]


@pytest.mark.parametrize("before, after, version", MIGRATIONS)
def test_migration_changes_only_what_it_must(before, after, version):
    write("manifest.yaml", before)
    result = fix("manifest.yaml", version=version)
    assert read("manifest.yaml") == after
    assert "fixed:" in result.stdout and "could not fix" not in result.stdout
    assert result.stderr.startswith("fixed ") and "; 0 could not be fixed" in result.stderr


@pytest.mark.parametrize("before, after, version", MIGRATIONS)
def test_fix_twice_changes_nothing_the_second_time(before, after, version):
    write("manifest.yaml", before)
    fix("manifest.yaml", version=version)
    once = read("manifest.yaml")
    again = fix("manifest.yaml", version=version)
    assert read("manifest.yaml") == once
    assert again.stdout == ""
    assert again.stderr.startswith("fixed 0 objects; 0 could not be fixed\n")


@pytest.mark.parametrize("before, after, version", MIGRATIONS)
def test_check_after_fix_finds_no_lifecycle_finding_and_nothing_new(before, after, version):
    write("manifest.yaml", before)
    old = findings("manifest.yaml", version)
    assert {rule for rule, _ in old} & LIFECYCLE_RULES
    fix("manifest.yaml", version=version)
    new = findings("manifest.yaml", version)
    assert not [finding for finding in new if finding[0] in LIFECYCLE_RULES]
    assert not [finding for finding in new if finding not in old], "new findings after fix"


def test_fix_reports_each_object_it_changed_and_how():
    write("ingress.yaml", INGRESS_EXTENSIONS)
    write("renames.yaml", RENAMES)
    result = fix("ingress.yaml", "renames.yaml")
    assert result.stdout.splitlines() == [
        "ingress.yaml:1:13: fixed: extensions/v1beta1 Ingress -> networking.k8s.io/v1; spec.backend became "
        "spec.defaultBackend; added pathType: ImplementationSpecific to 2 paths (the old API's behaviour)",
        "renames.yaml:8:13: fixed: storage.k8s.io/v1beta1 StorageClass -> storage.k8s.io/v1",
        "renames.yaml:15:13: fixed: scheduling.k8s.io/v1beta1 PriorityClass -> scheduling.k8s.io/v1",
        "renames.yaml:23:13: fixed: coordination.k8s.io/v1beta1 Lease -> coordination.k8s.io/v1",
        "renames.yaml:32:13: fixed: rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding -> "
        "rbac.authorization.k8s.io/v1",
    ]
    assert result.stderr.startswith("fixed 5 objects; 0 could not be fixed\n")


def test_documents_with_nothing_to_fix_stay_byte_for_byte():
    write("renames.yaml", RENAMES)
    fix("renames.yaml")
    before, after = RENAMES.split("---"), read("renames.yaml").split("---")
    assert len(before) == len(after)
    assert (before[0], before[-1]) == (after[0], after[-1])  # the ConfigMap and the Service


# --- where inserted fields go -----------------------------------------------------------------

# A comment (or comment block) above a key belongs to that key: a field inserted before or after
# its neighbour must not slip between the comment and the key it is about.
COMMENT_ABOVE_TEMPLATE = dedent("""
    apiVersion: apps/v1beta1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 2
      # the pods
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
    """)
COMMENT_ABOVE_TEMPLATE_FIXED = COMMENT_ABOVE_TEMPLATE.replace("apps/v1beta1", "apps/v1").replace(
    "  replicas: 2\n", "  replicas: 2\n  selector:\n    matchLabels: {app: web}\n")

COMMENT_ABOVE_BACKEND = dedent("""
    apiVersion: networking.k8s.io/v1beta1
    kind: Ingress
    metadata:
      name: web
    spec:
      rules:
      - http:
          paths:
          - path: /
            # everything goes to web
            backend: {serviceName: web, servicePort: 80}
    """)
COMMENT_ABOVE_BACKEND_FIXED = dedent("""
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
    spec:
      rules:
      - http:
          paths:
          - path: /
            pathType: ImplementationSpecific
            # everything goes to web
            backend: {service: {name: web, port: {number: 80}}}
    """)


@pytest.mark.parametrize("before, after", [
    pytest.param(COMMENT_ABOVE_TEMPLATE, COMMENT_ABOVE_TEMPLATE_FIXED, id="selector-before-template"),
    pytest.param(COMMENT_ABOVE_BACKEND, COMMENT_ABOVE_BACKEND_FIXED, id="pathType-after-path"),
])
def test_inserted_fields_do_not_come_between_a_comment_and_its_key(before, after):
    write("manifest.yaml", before)
    fix("manifest.yaml")
    assert read("manifest.yaml") == after


# --- text as written: line endings, BOM, JSON, multi-line flow collections, symlinks -------------

@pytest.mark.parametrize("before, after", [
    pytest.param(PDB_EXPRESSIONS, PDB_EXPRESSIONS.replace("policy/v1beta1", "policy/v1"), id="rename"),
    pytest.param(STATEFULSET, STATEFULSET_FIXED, id="inserted-fields"),
])
def test_windows_line_endings_are_kept_on_changed_lines_too(before, after):
    write("manifest.yaml", before.replace("\n", "\r\n"))
    fix("manifest.yaml")
    assert read("manifest.yaml") == after.replace("\n", "\r\n")


def test_a_byte_order_mark_is_kept():
    write("cronjob.yaml", b"\xef\xbb\xbf" + CRONJOB.encode())
    fix("cronjob.yaml")
    assert Path("cronjob.yaml").read_bytes() == b"\xef\xbb\xbf" + CRONJOB.replace("v1beta1", "v1").encode()


CRONJOB_JSON = dedent("""
    {
      "apiVersion": "batch/v1beta1",
      "kind": "CronJob",
      "metadata": {"name": "nightly"},
      "spec": {
        "schedule": "0 3 * * *",
        "jobTemplate": {"spec": {"template": {"spec": {
          "restartPolicy": "OnFailure",
          "containers": [{"name": "backup", "image": "busybox:1.36"}]
        }}}}
      }
    }
    """)

DEPLOYMENT_JSON = dedent("""
    {
      "apiVersion": "extensions/v1beta1",
      "kind": "Deployment",
      "metadata": {"name": "web"},
      "spec": {
        "template": {
          "metadata": {"labels": {"app": "web"}},
          "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}
        }
      }
    }
    """)


def test_a_json_manifest_keeps_its_layout_on_a_plain_rename():
    write("cronjob.json", CRONJOB_JSON)
    fix("cronjob.json")
    assert read("cronjob.json") == CRONJOB_JSON.replace('"batch/v1beta1"', '"batch/v1"')


def test_a_json_manifest_is_renamed_in_place_but_not_restructured():
    # JSON manifests get apiVersion renames only: a migration that adds or moves fields (here
    # spec.selector) is refused with the reason, and the file stays byte for byte.
    write("deployment.json", DEPLOYMENT_JSON)
    result = fix("deployment.json")
    assert read("deployment.json") == DEPLOYMENT_JSON
    assert result.stdout.splitlines() == [
        "deployment.json:2:17: could not fix: extensions/v1beta1 Deployment -> apps/v1 changes fields besides the "
        "apiVersion, and kubecheck rewrites JSON manifests only for apiVersions"]
    assert result.stderr.startswith("fixed 0 objects; 1 could not be fixed\n")
    assert result.exit_code == 1


MULTILINE_FLOW = dedent("""
    apiVersion: networking.k8s.io/v1beta1
    kind: Ingress
    metadata:
      name: web
      labels: {app: web,
               tier: front}
    spec:
      rules:
      - http:
          paths:
          - path: /b
            backend: {serviceName: b,
                      servicePort: 81}
    """)


def test_multi_line_flow_collections_the_migration_does_not_touch_stay_as_written():
    # (Failing with fix.py's line patches: the backend written over two lines cannot be matched
    # to ruamel.yaml's one-line dump, so the Ingress is refused rather than migrated.)
    write("ingress.yaml", MULTILINE_FLOW)
    fix("ingress.yaml")
    assert read("ingress.yaml") == dedent("""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          labels: {app: web,
                   tier: front}
        spec:
          rules:
          - http:
              paths:
              - path: /b
                pathType: ImplementationSpecific
                backend: {service: {name: b, port: {number: 81}}}
        """)


def test_a_symlinked_manifest_is_fixed_through_the_link():
    write("real/pdb.yaml", PDB)
    Path("links").mkdir()
    Path("links/pdb.yaml").symlink_to("../real/pdb.yaml")
    fix("links/pdb.yaml")
    assert Path("links/pdb.yaml").is_symlink()
    assert read("real/pdb.yaml") == PDB_FIXED


# --- refusals ----------------------------------------------------------------------------------

EMPTY_SELECTOR_PDB = """\
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: all   # keep this
spec:
  maxUnavailable: 1
{selector}"""

PSP = dedent("""
    apiVersion: {api_version}
    kind: PodSecurityPolicy
    metadata:
      name: restricted   # the default policy
    spec:
      privileged: false
      seLinux: {{rule: RunAsAny}}
      runAsUser: {{rule: MustRunAsNonRoot}}
      supplementalGroups: {{rule: RunAsAny}}
      fsGroup: {{rule: RunAsAny}}
      volumes: ['*']
    """)

WEBHOOK_UNKNOWN_SIDE_EFFECTS = renamed(WEBHOOK, ("  sideEffects: None\n", ""))

ROLLBACK_TO = dedent("""
    apiVersion: extensions/v1beta1
    kind: Deployment
    metadata:
      name: web
    spec:
      rollbackTo: {revision: 1}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
    """)

EMPTY_SELECTOR_REASON = ("its selector is empty: in policy/v1beta1 that selects no pods, in policy/v1 every pod of the "
                         "namespace")


@pytest.mark.parametrize("text, reason", [
    pytest.param(EMPTY_SELECTOR_PDB.format(selector="  selector: {}\n"), EMPTY_SELECTOR_REASON, id="pdb-selector-{}"),
    pytest.param(EMPTY_SELECTOR_PDB.format(selector="  selector:\n    matchLabels: {}\n"), EMPTY_SELECTOR_REASON,
                 id="pdb-empty-matchLabels"),
    pytest.param(EMPTY_SELECTOR_PDB.format(selector="  selector:\n    matchLabels: {}\n    matchExpressions: []\n"),
                 EMPTY_SELECTOR_REASON, id="pdb-empty-matchLabels-and-matchExpressions"),
    pytest.param(PSP.format(api_version="policy/v1beta1"), "policy/v1beta1 PodSecurityPolicy has no replacement",
                 id="psp-policy"),
    pytest.param(PSP.format(api_version="extensions/v1beta1"),
                 "extensions/v1beta1 PodSecurityPolicy has no replacement",
                 id="psp-extensions"),
    pytest.param(WEBHOOK_UNKNOWN_SIDE_EFFECTS, "sideEffects", id="webhook-without-sideEffects"),
    pytest.param(ROLLBACK_TO, 'as apps/v1 it would not be valid (unknown field "rollbackTo"', id="schema-reason"),
])
def test_what_cannot_be_migrated_faithfully_is_left_alone_with_the_reason(text, reason):
    write("manifest.yaml", text)
    result = fix("manifest.yaml")
    assert read("manifest.yaml") == text
    [line] = result.stdout.splitlines()
    assert line.startswith("manifest.yaml:1:13: could not fix: ")
    assert reason in line and "not changed" not in line
    assert result.stderr.startswith("fixed 0 objects; 1 could not be fixed\n")
    assert result.exit_code == 1
    assert {rule for rule, _ in findings("manifest.yaml")} & LIFECYCLE_RULES, "still reported by check"


def test_a_refusal_leaves_the_other_objects_of_the_file_fixed():
    refused = EMPTY_SELECTOR_PDB.format(selector="  selector: {}\n")
    write("manifest.yaml", f"{refused}---\n{PDB}")
    result = fix("manifest.yaml")
    assert read("manifest.yaml") == f"{refused}---\n{PDB_FIXED}"
    assert result.stderr.startswith("fixed 1 object; 1 could not be fixed\n")
    assert result.exit_code == 1


# --- --diff --------------------------------------------------------------------------------------

def test_diff_prints_a_unified_diff_and_writes_nothing():
    write("pdb.yaml", PDB)
    result = fix("--diff", "pdb.yaml")
    assert read("pdb.yaml") == PDB
    assert result.stdout == dedent("""
        --- a/pdb.yaml
        +++ b/pdb.yaml
        @@ -1,5 +1,5 @@
         # Budget for the web tier
        -apiVersion: policy/v1beta1   # old
        +apiVersion: policy/v1   # old
         kind: PodDisruptionBudget
         metadata:
             name: "web"
        """)
    assert result.stderr == ("pdb.yaml:2:13: fixed: policy/v1beta1 PodDisruptionBudget -> policy/v1\n"
                             "would fix 1 object; 0 could not be fixed\n")
    assert result.exit_code == 1


def test_diff_of_the_whole_migration_applies_to_the_fixed_text():
    write("ingress.yaml", INGRESS_EXTENSIONS)
    diff = fix("--diff", "ingress.yaml").stdout
    assert read("ingress.yaml") == INGRESS_EXTENSIONS
    expected = "".join(difflib.unified_diff(INGRESS_EXTENSIONS.splitlines(keepends=True),
                                            INGRESS_EXTENSIONS_FIXED.splitlines(keepends=True),
                                            "a/ingress.yaml", "b/ingress.yaml"))
    assert diff == expected


def test_diff_with_nothing_to_change_prints_nothing_and_exits_0():
    write("pdb.yaml", PDB_FIXED)
    result = fix("--diff", "pdb.yaml")
    assert (result.stdout, result.exit_code) == ("", 0)


def test_diff_with_only_refusals_exits_1_and_prints_no_diff():
    write("pdb.yaml", EMPTY_SELECTOR_PDB.format(selector="  selector: {}\n"))
    result = fix("--diff", "pdb.yaml")
    assert (result.stdout, result.exit_code) == ("", 1)
    assert "could not fix" in result.stderr


# --- files that do not parse ----------------------------------------------------------------

PRIORITY_CLASS = "apiVersion: scheduling.k8s.io/v1beta1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n"


@pytest.mark.parametrize("text", [
    pytest.param(PRIORITY_CLASS + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\ndata: {}\n",
                 id="syntax-error-in-another-document"),
    pytest.param(PRIORITY_CLASS + "value: 2000\n", id="duplicate-key"),
    pytest.param(PRIORITY_CLASS + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n", id="tab-indentation"),
])
@pytest.mark.parametrize("diff", [False, True], ids=["write", "diff"])
def test_a_file_that_does_not_parse_is_never_written(text, diff):
    write("broken.yaml", text)
    write("fine.yaml", PDB)
    result = fix(*(["--diff"] if diff else []), "broken.yaml", "fine.yaml")
    assert read("broken.yaml") == text
    assert read("fine.yaml") == (PDB if diff else PDB_FIXED)
    assert "a/broken.yaml" not in result.stdout
    reported = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("broken.yaml:")]
    assert reported and all(": could not fix: the file does not parse (" in line for line in reported)
    assert result.exit_code == 1


# --- atomic writes, permissions ------------------------------------------------------------------

@pytest.mark.parametrize("mode", [0o640, 0o600, 0o664])
def test_permissions_are_kept(mode):
    path = write("pdb.yaml", PDB)
    path.chmod(mode)
    fix("pdb.yaml")
    assert read("pdb.yaml") == PDB_FIXED
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_no_temporary_file_is_left_behind(project):
    write("pdb.yaml", PDB)
    write("sub/cronjob.yaml", CRONJOB)
    fix(".")
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()) == [
        "pdb.yaml", os.path.join("sub", "cronjob.yaml")]


# --- --kubernetes-version ------------------------------------------------------------------------

@pytest.mark.parametrize("version", bundled_versions())
def test_a_batch_v1beta1_cronjob_is_fixed_for_every_bundled_target(version):
    # Removed in 1.25, the oldest bundled version: due for every target kubecheck knows.
    write("cronjob.yaml", CRONJOB)
    result = fix("cronjob.yaml", version=version)
    assert read("cronjob.yaml") == CRONJOB.replace("v1beta1", "v1")
    assert result.exit_code == 0


SERVICE_CIDR = dedent("""
    apiVersion: networking.k8s.io/v1beta1   # beta
    kind: ServiceCIDR
    metadata:
      name: extra
    spec:
      cidrs: ["10.96.0.0/16"]
    """)

FLOW_SCHEMA = dedent("""
    apiVersion: flowcontrol.apiserver.k8s.io/v1beta2
    kind: FlowSchema
    metadata:
      name: batch-jobs
    spec:
      priorityLevelConfiguration: {name: workload-low}
      matchingPrecedence: 1000
    """)


@pytest.mark.parametrize("text, version", [
    pytest.param(SERVICE_CIDR, "1.32", id="servicecidr-v1beta1-before-its-deprecation-in-1.33"),
    pytest.param(FLOW_SCHEMA, "1.25", id="flowschema-v1beta2-before-its-deprecation-in-1.26"),
    pytest.param(HPA_V2BETA2.replace("autoscaling/v2beta2", "autoscaling/v2"), "1.25", id="already-current"),
])
def test_what_the_target_does_not_deprecate_is_left_alone(text, version):
    write("manifest.yaml", text)
    result = fix("manifest.yaml", version=version)
    assert read("manifest.yaml") == text
    assert (result.stdout, result.exit_code) == ("", 0)


def test_deprecated_at_the_target_is_fixed():
    write("cidr.yaml", SERVICE_CIDR)
    result = fix("cidr.yaml", version="1.33")
    assert read("cidr.yaml") == SERVICE_CIDR.replace("networking.k8s.io/v1beta1   # beta",
                                                     "networking.k8s.io/v1   # beta")
    assert result.exit_code == 0
    assert findings("cidr.yaml", "1.33") == []


def test_deprecated_at_the_target_goes_to_a_replacement_the_target_serves():
    # The deprecation guide: flowcontrol v1beta2 (deprecated in 1.26, gone in 1.29) moves to v1,
    # available since 1.29, "or the flowcontrol.apiserver.k8s.io/v1beta3 API version, available
    # since v1.26": for a 1.27 target that is v1beta3 (no FlowSchema field changed).
    write("flowschema.yaml", FLOW_SCHEMA)
    result = fix("flowschema.yaml", version="1.27")
    assert read("flowschema.yaml") == FLOW_SCHEMA.replace("v1beta2", "v1beta3")
    assert result.exit_code == 0


def test_a_kubernetes_version_that_is_not_bundled_is_a_usage_error():
    write("pdb.yaml", PDB)
    result = fix("pdb.yaml", version="1.12")
    assert result.exit_code == 2
    assert "is not bundled" in result.stderr
    assert read("pdb.yaml") == PDB


# --- exit status -----------------------------------------------------------------------------------

# A Deployment whose pods the budget selects: nothing but the apiVersion to report.
BUDGETED = dedent("""
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: web, image: "nginx:1.27"}]
    """)


@pytest.mark.parametrize("files, options, status", [
    pytest.param({"pdb.yaml": PDB, "web.yaml": BUDGETED}, [], 0, id="all-fixed-and-clean"),
    pytest.param({"web.yaml": BUDGETED}, [], 0, id="nothing-to-fix"),
    pytest.param({"pdb.yaml": PDB}, [], 1, id="a-warning-remains"),  # pdb-no-match
    pytest.param({"pdb.yaml": PDB}, ["--fail-on", "error"], 0, id="a-warning-remains-below-fail-on"),
    pytest.param({"pdb.yaml": EMPTY_SELECTOR_PDB.format(selector="  selector: {}\n"), "web.yaml": BUDGETED,
                  ".kubecheck.yaml": "severity: {removed-api: info, pdb-no-match: info}\n"},
                 [], 1, id="a-refusal-alone"),
    pytest.param({"pdb.yaml": PSP.format(api_version="policy/v1beta1")}, [], 1, id="no-replacement"),
    pytest.param({"pdb.yaml": PDB, "web.yaml": BUDGETED}, ["--diff"], 1, id="diff-with-changes"),
    pytest.param({"web.yaml": BUDGETED}, ["--diff"], 0, id="diff-without-changes"),
])
def test_exit_status(files, options, status):
    for name, text in files.items():
        write(name, text)
    result = fix(*options, *(name for name in files if name.endswith(".yaml") and name[0] != "."))
    assert result.exit_code == status, result.output + result.stderr


def test_remaining_findings_are_counted_on_stderr():
    write("pdb.yaml", PDB)
    result = fix("pdb.yaml")
    assert result.stderr.splitlines()[-1] == "1 finding(s) remain; run `kubecheck check` to see them"
