"""missing-secret: a pod template refers to a Secret, or a key of one, that the manifests do not hold."""

import pytest
from rules.reference_fixtures import (OPTIONAL, SECRET, VOLUME, as_list, deployment, document, every_site,
                                      malformed_references, optional_everywhere, pod, stream)
from support import summary

RULE = "missing-secret"
PULL = "images from private registries cannot be pulled with it"
absent, no_key, doubtful = SECRET.absent, SECRET.no_key, SECRET.doubtful
PRESENT = document("Secret", "present", "stringData: {key: value}")


def db(namespace=""):
    """Secret db, with the keys password and username."""
    return document("Secret", "db", """
        type: Opaque
        stringData: {password: hunter2}
        data: {username: YXBw}
    """, namespace)


def api(uses, namespace=""):
    """Deployment api, whose container takes its environment from Secret `uses` (named on its line 9)."""
    return deployment(SECRET, uses, "api", namespace)


def test_missing_secret_is_reported_at_the_name_as_information(lint):
    report = lint(stream(db(), api("db-credentials")))
    assert summary(report, RULE) == [(
        RULE, 16, 66,
        "Secret 'db-credentials' is not among the manifests of namespace 'default', which hold other Secrets: "
        "the container cannot start (CreateContainerConfigError) until it exists (or mark the reference "
        "optional: true)",
    )]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert (finding.severity, finding.path, finding.related) == (
        "info", "/spec/template/spec/containers/0/envFrom/0/secretRef/name", ())
    assert (finding.object["kind"], finding.object["name"]) == ("Deployment", "api")


def test_existing_secret_is_clean(lint):
    assert summary(lint(stream(db(), api("db")))) == []


def test_realistic_application_is_clean(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop, labels: {app: api}}
        spec:
          strategy:
            type: RollingUpdate
            rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
          replicas: 2
          selector:
            matchLabels: {app: api}
          template:
            metadata:
              labels: {app: api}
            spec:
              imagePullSecrets: [{name: registry}]
              initContainers:
                - name: migrate
                  image: registry.example.com/api-migrate:1.0
                  envFrom: [{secretRef: {name: db}}]
              containers:
                - name: api
                  image: registry.example.com/api:1.0
                  ports: [{containerPort: 8443}]
                  env:
                    - name: DB_PASSWORD
                      valueFrom:
                        secretKeyRef: {name: db, key: password}
                  volumeMounts:
                    - {name: tls, mountPath: /etc/tls, readOnly: true}
                    - {name: creds, mountPath: /etc/creds, readOnly: true}
              volumes:
                - name: tls
                  secret:
                    secretName: api-tls
                    items: [{key: tls.crt, path: tls.crt}, {key: tls.key, path: tls.key}]
                - name: creds
                  projected:
                    sources:
                      - secret:
                          name: db
                          items: [{key: username, path: username}]
                      - serviceAccountToken: {path: token, expirationSeconds: 3600}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: shop
        type: Opaque
        stringData:
          password: hunter2
        data:
          username: YXBw
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: registry
          namespace: shop
        type: kubernetes.io/dockerconfigjson
        data:
          .dockerconfigjson: eyJhdXRocyI6e319
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: api-tls
          namespace: shop
        type: kubernetes.io/tls
        data:
          tls.crt: Y2VydA==
          tls.key: a2V5
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: api
          namespace: shop
        spec:
          selector: {app: api}
          ports: [{port: 443, targetPort: 8443}]
    """)
    assert summary(report) == []


PULL_SITE = "imagePullSecrets: [{name: pull}]"


def test_every_reference_site_is_checked(lint):
    assert summary(lint(stream(PRESENT, every_site(SECRET, PULL_SITE))), RULE) == [
        # imagePullSecrets cannot be optional: no such hint.
        (RULE, 10, 29, absent("pull", consequence=PULL, hint="")),
        (RULE, 13, 65, absent("init-env")),
        (RULE, 17, 59, absent("app-env")),
        (RULE, 18, 50, absent("app-bulk")),
        (RULE, 20, 86, absent("debug-env")),
        (RULE, 22, 42, absent("plain-volume", consequence=VOLUME)),
        (RULE, 27, 28, absent("projected-volume", consequence=VOLUME)),
    ]


def test_image_pull_secrets_are_reported_as_information(lint):
    registry = document("Secret", "registry-credentials", """
        type: kubernetes.io/dockerconfigjson
        data: {.dockerconfigjson: e30=}
    """)
    report = lint(stream(registry, pod("""
        imagePullSecrets: [{name: registry-credential}]
        containers: [{name: app, image: registry.example.com/app:1}]
    """)))
    assert summary(report, RULE) == [(RULE, 11, 29, absent(
        "registry-credential", consequence=PULL, hint="; did you mean 'registry-credentials'?"))]
    assert (report.findings[0].severity, report.findings[0].path) == ("info", "/spec/imagePullSecrets/0/name")


def test_a_configmap_of_the_name_does_not_count_as_the_secret(lint):
    configmap = document("ConfigMap", "app-env", "data: {MODE: x}")
    report = lint(stream(configmap, PRESENT, every_site(SECRET, PULL_SITE)))
    assert (RULE, 22, 59, absent("app-env")) in summary(report, RULE)


def test_optional_references_are_skipped_even_with_missing_keys(lint):
    assert summary(lint(stream(PRESENT, optional_everywhere(SECRET))), RULE) == []


KEYS_POD = pod("""
    containers:
      - name: migrate
        image: flyway/flyway:10
        env: [{name: FLYWAY_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: pasword}}}]
    volumes:
      - name: creds
        secret:
          secretName: db
          items:
            - {key: username, path: user}
            - {key: ca.crt, path: ca.crt}
      - {name: projected, projected: {sources: [{secret: {name: db, items: [{key: usernam, path: u}]}}]}}
""", name="migrate")


def test_missing_keys_are_reported_at_the_key_with_the_keys_there_are(lint):
    report = lint(stream(db(), KEYS_POD))
    has = "password, username"
    assert summary(report, RULE) == [
        (RULE, 15, 79, "Secret db has no key 'pasword' (it has password, username): the container cannot start "
                     "(CreateContainerConfigError); did you mean 'password'?"),
        (RULE, 22, 19, no_key("db", "ca.crt", has, VOLUME)),
        (RULE, 23, 81, no_key("db", "usernam", has, VOLUME, "; did you mean 'username'?")),
    ]
    for finding in [f for f in report.findings if f.rule == RULE]:
        assert finding.severity == "info"
        assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related] \
            == [("manifest.yaml", 1, 1, "Secret", "db", "the Secret")]
    assert report.findings[0].path == "/spec/containers/0/env/0/valueFrom/secretKeyRef/key"


def test_a_secret_without_data_has_no_keys(lint):
    report = lint(stream(document("Secret", "empty", "type: Opaque"), pod("""
        containers:
          - name: app
            image: app:1
            envFrom: [{secretRef: {name: empty}}]
            env: [{name: A, valueFrom: {secretKeyRef: {name: empty, key: token}}}]
    """)))
    assert summary(report, RULE) == [(RULE, 14, 68, no_key("empty", "token", ""))]


@pytest.mark.parametrize("documents", [
    # No Secret at all: they are evidently created elsewhere (by hand, a vault, CI).
    pytest.param([api("db-credentials")], id="no-secret"),
    pytest.param([every_site(SECRET, PULL_SITE)], id="no-secret-for-any-site"),
    # Secrets in another namespace only.
    pytest.param([db("other"), api("db-credentials", "shop")], id="secrets-in-another-namespace"),
    # A ConfigMap in the namespace does not make Secrets judged.
    pytest.param([document("ConfigMap", "db-credentials", "data: {a: b}"), api("db-credentials")], id="a-configmap"),
])
def test_nothing_is_judged_in_a_namespace_without_secrets(lint, documents):
    assert summary(lint(stream(*documents)), RULE) == []


def unrelated(namespace):
    """A Secret that is not referred to."""
    return document("Secret", "unrelated", "stringData: {a: b}", namespace)


@pytest.mark.parametrize("documents, setting, expected", [
    # Namespaces are compared after defaulting: the same declared one, `default` declared on one side only.
    pytest.param([db("shop"), api("db", "shop")], None, [], id="same-namespace"),
    pytest.param([db("default"), api("db")], None, [], id="default-declared-by-the-secret"),
    pytest.param([db(), api("db", "default")], None, [], id="default-declared-by-the-deployment"),
    # A Secret in another namespace does not count.
    pytest.param([db("billing"), api("db", "shop"), unrelated("shop")], None, [("info", absent("db", "shop"))],
                 id="secret-in-another-namespace"),
    # The namespace setting is the default namespace.
    pytest.param([db(), api("db")], "shop", [], id="setting-both-undeclared"),
    pytest.param([db(), api("db-credentials")], "shop", [("info", absent("db-credentials", "shop"))],
                 id="setting-missing"),
    pytest.param([db("shop"), api("db")], "shop", [], id="setting-declared-by-the-secret"),
    # The same name in another namespace with an undeclared side is doubtful: info lowered stays info.
    pytest.param([db("shop"), api("db"), unrelated("default")], None,
                 [("info", absent("db", hint=doubtful("shop", "Deployment api", "default")))],
                 id="doubtful-deployment-undeclared"),
    pytest.param([db(), api("db", "shop"), unrelated("shop")], None,
                 [("info", absent("db", "shop", hint=doubtful("default", "Secret db", "default")))],
                 id="doubtful-secret-undeclared"),
    # With the namespace passed, both are in `shop`.
    pytest.param([db("shop"), api("db"), unrelated("default")], "shop", [], id="doubtful-settled-by-the-setting"),
])
def test_namespaces(lint, documents, setting, expected):
    report = lint(stream(*documents), **({"namespace": setting} if setting else {}))
    findings = [(f.rule, f.line, f.column, f.severity, f.message) for f in report.findings if f.rule == RULE]
    assert findings == [(RULE, 16, 66, severity, message) for severity, message in expected]


@pytest.mark.parametrize("documents, severity", [
    pytest.param([db("shop"), api("db"), unrelated("default")], "warning", id="doubtful"),
    pytest.param([db(), api("db-credentials")], "error", id="certain"),
])
def test_doubtful_findings_follow_a_configured_severity_down_one_level(lint, documents, severity):
    report = lint(stream(*documents), severity={RULE: "error"})
    assert [(f.rule, f.severity) for f in report.findings if f.rule == RULE] == [(RULE, severity)]


def test_secrets_and_pods_inside_a_list(lint):
    report = lint(as_list(document("Secret", "db", "stringData: {password: hunter2}"), document("Job", "migrate", """
        spec:
          template:
            spec:
              containers:
                - name: migrate
                  image: flyway/flyway:10
                  env:
                    - {name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}
                    - {name: U, valueFrom: {secretKeyRef: {name: db, key: user}}}
                    - {name: T, valueFrom: {secretKeyRef: {name: dbb, key: token}}}
              restartPolicy: Never
    """, api_version="batch/v1")))
    assert summary(report, RULE) == [
        (RULE, 19, 71, no_key("db", "user", "password")),
        (RULE, 20, 62, absent("dbb", hint="; did you mean 'db'?" + OPTIONAL)),
    ]
    [related] = report.findings[0].related
    assert (related.line, related.column, related.object["kind"], related.object["name"]) == (4, 5, "Secret", "db")


def test_anchors_and_merge_keys(lint):
    report = lint(stream(document("Secret", "db", "stringData: {password: hunter2}"), pod("""
        containers:
          - name: app
            image: app:1
            env:
              - name: PASSWORD
                valueFrom:
                  secretKeyRef: &db {name: db, key: password}
              - name: USER
                valueFrom:
                  secretKeyRef: {<<: *db, key: user}
          - name: sidecar
            image: sidecar:1
            env:
              - name: PASSWORD
                valueFrom:
                  secretKeyRef: {<<: *db}
              - name: OTHER
                valueFrom:
                  secretKeyRef: {<<: *db, name: other-db}
    """)))
    assert summary(report, RULE) == [
        (RULE, 19, 42, no_key("db", "user", "password")),
        (RULE, 28, 43, absent("other-db")),
    ]


@pytest.mark.parametrize("files, context", [
    pytest.param({"secret.yaml": db(), "deployment.yaml": api("db")}, None, id="another-file"),
    pytest.param({"deployment.yaml": api("db")}, {"secret.yaml": db()}, id="context"),
    # Findings are never reported on context files.
    pytest.param({"secret.yaml": db()}, {"deployment.yaml": api("db-credentials")}, id="findings-are-never-reported-on-context-files"),
])
def test_secret_in_another_file_or_in_context_resolves(lint, files, context):
    assert summary(lint(files, context=context), RULE) == []


def test_context_secrets_make_a_namespace_judged_and_are_related(lint):
    report = lint({"pod.yaml": pod("""
        imagePullSecrets: [{name: registry}]
        containers: [{name: app, image: app:1, env: [{name: X, valueFrom: {secretKeyRef: {name: db, key: X}}}]}]
    """)}, context={"secret.yaml": db()})
    assert summary(report, RULE) == [
        (RULE, 5, 29, absent("registry", consequence=PULL, hint="")),
        (RULE, 6, 100, no_key("db", "X", "password, username")),
    ]
    [related] = report.findings[1].related
    assert (related.file, related.line, related.column, related.object["name"]) == ("secret.yaml", 1, 1, "db")


def test_cronjob_templates(lint):
    report = lint(stream(db(), document("CronJob", "backup", """
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  imagePullSecrets: [{name: registry}]
                  containers:
                    - name: backup
                      image: backup:1
                      env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}]
                      volumeMounts: [{name: s3, mountPath: /s3}]
                  volumes: [{name: s3, secret: {secretName: s3-credentials}}]
                  restartPolicy: OnFailure
          schedule: "0 3 * * *"
    """, api_version="batch/v1")))
    assert summary(report, RULE) == [
        (RULE, 16, 37, absent("registry", consequence=PULL, hint="")),
        (RULE, 22, 53, absent("s3-credentials", consequence=VOLUME)),
    ]
    assert report.findings[0].path == "/spec/jobTemplate/spec/template/spec/imagePullSecrets/0/name"
    assert report.findings[1].object["kind"] == "CronJob"


def test_kustomize_generated_secrets_count_as_present(lint):
    files = {
        "app/kustomization.yaml": """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [secret.yaml, deployment.yaml]
            secretGenerator:
              - name: db-credentials
                literals: [password=hunter2]
        """,
        "app/secret.yaml": db(),
        "app/deployment.yaml": api("db-credentials"),
    }
    report = lint(files)
    assert summary(report, RULE) == []
    assert "app/kustomization.yaml" in report.skipped
    # The same files without the kustomization: the reference is missing.
    plain = {name.replace("app/", "plain/"): text for name, text in files.items() if name != "app/kustomization.yaml"}
    assert [f[:3] for f in summary(lint(plain), RULE)] == [(RULE, 9, 66)]


def test_certificate_secrets_count_as_present(lint):
    certificate = document("Certificate", "api", """
        spec:
          secretName: api-tls
          dnsNames: [api.example.com]
          issuerRef: {name: letsencrypt, kind: ClusterIssuer}
    """, "shop", "cert-manager.io/v1")
    report = lint(stream(db("shop"), certificate, pod("""
        containers: [{name: api, image: api:1}]
        volumes:
          - {name: tls, secret: {secretName: api-tls}}
          - {name: by-certificate-name, secret: {secretName: api}}
    """, "api", "shop")))
    # spec.secretName is made; the Certificate's own name is not a Secret.
    # (Names the Certificate makes are not suggested: only Secret objects are.)
    assert summary(report, RULE) == [(RULE, 23, 56, absent("api", "shop", consequence=VOLUME))]


def tls_pod(namespace=""):
    """Pod api, mounting Secret api-tls."""
    return pod("""
        containers: [{name: api, image: api:1}]
        volumes: [{name: tls, secret: {secretName: api-tls}}]
    """, "api", namespace)


def test_operator_secrets_count_only_in_their_namespace(lint):
    certificate = document("Certificate", "api", "spec: {secretName: api-tls, issuerRef: {name: ca}}", "certs",
                           "cert-manager.io/v1")
    report = lint(stream(document("Secret", "other", namespace="shop"), certificate, tls_pod("shop")))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 15, 46)]


def test_an_operator_secret_alone_does_not_make_a_namespace_judged(lint):
    certificate = document("Certificate", "api", "spec: {secretName: api-tls, issuerRef: {name: ca}}",
                           api_version="cert-manager.io/v1")
    report = lint(stream(certificate, pod("containers: [{name: api, image: api:1, envFrom: [{secretRef: {name: "
                                          "elsewhere}}]}]", "api")))
    assert summary(report, RULE) == []


@pytest.mark.parametrize("sealed_secret, reference", [
    pytest.param("spec: {encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}}",
                 "env: [{name: SMTP_PASSWORD, valueFrom: {secretKeyRef: {name: smtp, key: password}}}]",
                 id="sealed-secrets-count-as-present"),
    # The sealed-secrets controller forces the Secret's name and namespace to the SealedSecret's
    # (SealedSecret.Unseal: `secret.SetName(smeta.GetName())` after copying spec.template.metadata), since
    # the encryption is bound to them: spec.template.metadata.name does not rename the Secret.
    pytest.param("""
        spec:
          encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}
          template:
            metadata: {name: smtp-credentials, labels: {app: mailer}}
            type: Opaque
    """, "envFrom: [{secretRef: {name: smtp}}]", id="a-sealed-secret-unseals-under-its-own-name"),
])
def test_sealed_secrets(lint, sealed_secret, reference):
    sealed = document("SealedSecret", "smtp", sealed_secret, api_version="bitnami.com/v1alpha1")
    report = lint(stream(db(), sealed, pod(f"containers: [{{name: mailer, image: mailer:1, {reference}}}]", "mailer")))
    assert summary(report, RULE) == []


def test_external_secrets_count_as_present(lint):
    stripe = document("ExternalSecret", "stripe", """
        spec:
          secretStoreRef: {name: vault, kind: ClusterSecretStore}
          data: [{secretKey: api-key, remoteRef: {key: stripe/api-key}}]
    """, api_version="external-secrets.io/v1beta1")
    aws = document("ExternalSecret", "aws", """
        spec:
          secretStoreRef: {name: vault, kind: ClusterSecretStore}
          target: {name: aws-credentials}
          dataFrom: [{extract: {key: aws}}]
    """, api_version="external-secrets.io/v1beta1")
    report = lint(stream(db(), stripe, aws, pod("""
        containers:
          - name: billing
            image: billing:1
            env:
              - {name: STRIPE_KEY, valueFrom: {secretKeyRef: {name: stripe, key: api-key}}}
            envFrom:
              - secretRef: {name: aws-credentials}
              - secretRef: {name: aws}
    """, "billing")))
    # target.name renames the Secret: the ExternalSecret's own name is then not a Secret.
    assert summary(report, RULE) == [(RULE, 34, 29, absent("aws"))]


def test_look_alike_custom_resources_of_other_groups_make_no_secrets(lint):
    look_alike = document("Certificate", "api", "spec: {secretName: api-tls}", api_version="example.com/v1")
    report = lint(stream(db(), look_alike, tls_pod()))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 18, 46)]


def test_service_account_token_secrets_get_their_keys_from_the_token_controller(lint):
    # A Secret of type kubernetes.io/service-account-token is filled in by the token controller with
    # `token`, `ca.crt` and `namespace` (https://kubernetes.io/docs/concepts/configuration/secret/
    # #serviceaccount-token-secrets; pkg/controller/serviceaccount/tokens_controller.go): the manifest
    # never holds them, and reading them is correct.
    token = """
        apiVersion: v1
        kind: Secret
        metadata: {name: ci-token, annotations: {kubernetes.io/service-account.name: ci}}
        type: kubernetes.io/service-account-token
    """
    report = lint(stream(document("ServiceAccount", "ci"), token, pod("""
        containers:
          - name: runner
            image: runner:1
            env: [{name: KUBE_TOKEN, valueFrom: {secretKeyRef: {name: ci-token, key: token}}}]
        volumes:
          - name: ca
            secret:
              secretName: ci-token
              items: [{key: ca.crt, path: ca.crt}, {key: namespace, path: namespace}]
    """, "runner")))
    assert summary(report, RULE) == []


def test_a_malformed_reference_is_not_a_reference(lint):
    pod_ = malformed_references(SECRET, 'imagePullSecrets: [{name: ""}, {}, "registry"]')
    assert summary(lint(stream(document("Secret", "present"), pod_)), RULE) == []
