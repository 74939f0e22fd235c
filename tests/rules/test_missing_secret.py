"""missing-secret: a pod template refers to a Secret, or a key of one, that the manifests do not hold."""

import textwrap

from support import summary

RULE = "missing-secret"

SECRET = """
apiVersion: v1
kind: Secret
metadata:
  name: db
  {namespace}
type: Opaque
stringData:
  password: hunter2
data:
  username: YXBw
"""

DEPLOYMENT = """
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  {namespace}
spec:
  selector:
    matchLabels: {{app: api}}
  template:
    metadata:
      labels: {{app: api}}
    spec:
      containers:
        - name: api
          image: api:1.0
          envFrom:
            - secretRef: {{name: {name}}}
"""

OPTIONAL = " (or mark the reference optional: true)"
ENV = "the container cannot start (CreateContainerConfigError) until it exists"
VOLUME = "the pods cannot mount it and stay in ContainerCreating until it exists"
PULL = "images from private registries cannot be pulled with it until it exists"


def absent(name, namespace="default", consequence=ENV, hint=OPTIONAL):
    return (f"Secret {name!r} is not among the manifests of namespace {namespace!r}, which hold other "
            f"Secrets: {consequence}{hint}")


def test_missing_secret_is_reported_at_the_name_as_information(lint):
    report = lint(SECRET.format(namespace="") + DEPLOYMENT.format(namespace="", name="db-credentials"))
    assert summary(report, RULE) == [(
        RULE, 29, 33,
        "Secret 'db-credentials' is not among the manifests of namespace 'default', which hold other Secrets: "
        "the container cannot start (CreateContainerConfigError) until it exists (or mark the reference "
        "optional: true)",
    )]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert finding.severity == "info"
    assert finding.path == "/spec/template/spec/containers/0/envFrom/0/secretRef/name"
    assert finding.related == ()
    assert (finding.object["kind"], finding.object["name"]) == ("Deployment", "api")


def test_existing_secret_is_clean(lint):
    assert summary(lint(SECRET.format(namespace="") + DEPLOYMENT.format(namespace="", name="db"))) == []


def test_realistic_application_is_clean(lint):
    report = lint("""
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
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          namespace: shop
          labels: {app: api}
        spec:
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
        kind: Service
        metadata:
          name: api
          namespace: shop
        spec:
          selector: {app: api}
          ports: [{port: 443, targetPort: 8443}]
    """)
    assert summary(report) == []


ALL_SITES = """
apiVersion: v1
kind: Secret
metadata: {name: present}
stringData: {key: value}
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  imagePullSecrets:
    - name: pull
  initContainers:
    - name: init
      image: busybox
      envFrom:
        - secretRef: {name: init-env}
  containers:
    - name: app
      image: app:1
      env:
        - name: TOKEN
          valueFrom:
            secretKeyRef: {name: app-env, key: TOKEN}
      envFrom:
        - prefix: APP_
          secretRef: {name: app-bulk}
  ephemeralContainers:
    - name: debug
      image: busybox
      env:
        - name: X
          valueFrom:
            secretKeyRef: {name: debug-env, key: X}
  volumes:
    - name: plain
      secret: {secretName: plain-volume}
    - name: projected
      projected:
        sources:
          - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
          - secret: {name: projected-volume}
"""


def test_every_reference_site_is_checked(lint):
    assert summary(lint(ALL_SITES), RULE) == [
        # imagePullSecrets cannot be optional: no such hint.
        (RULE, 11, 13, absent("pull", consequence=PULL, hint="")),
        (RULE, 16, 29, absent("init-env")),
        (RULE, 23, 34, absent("app-env")),
        (RULE, 26, 29, absent("app-bulk")),
        (RULE, 33, 34, absent("debug-env")),
        (RULE, 36, 28, absent("plain-volume", consequence=VOLUME)),
        (RULE, 41, 28, absent("projected-volume", consequence=VOLUME)),
    ]


def test_image_pull_secrets_are_reported_as_information(lint):
    report = lint("""
        apiVersion: v1
        kind: Secret
        metadata: {name: registry-credentials}
        type: kubernetes.io/dockerconfigjson
        data: {.dockerconfigjson: e30=}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          imagePullSecrets: [{name: registry-credential}]
          containers: [{name: app, image: registry.example.com/app:1}]
    """)
    assert summary(report, RULE) == [(RULE, 11, 29, absent(
        "registry-credential", consequence=PULL, hint="; did you mean 'registry-credentials'?"))]
    assert report.findings[0].severity == "info"
    assert report.findings[0].path == "/spec/imagePullSecrets/0/name"


def test_a_configmap_of_the_name_does_not_count_as_the_secret(lint):
    report = lint(textwrap.dedent("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app-env}
        data: {TOKEN: x}
        ---
    """) + ALL_SITES.strip("\n"))
    assert (RULE, 28, 34, absent("app-env")) in summary(report, RULE)


def test_optional_references_are_skipped_even_with_missing_keys(lint):
    report = lint("""
        apiVersion: v1
        kind: Secret
        metadata: {name: present}
        stringData: {key: value}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          containers:
            - name: app
              image: app:1
              env:
                - name: A
                  valueFrom:
                    secretKeyRef: {name: gone, key: A, optional: true}
                - name: B
                  valueFrom:
                    secretKeyRef: {name: present, key: nope, optional: true}
              envFrom:
                - secretRef: {name: gone, optional: true}
          volumes:
            - name: a
              secret: {secretName: gone, optional: true}
            - name: b
              secret: {secretName: present, optional: true, items: [{key: nope, path: nope}]}
            - name: c
              projected:
                sources:
                  - secret: {name: gone, optional: true, items: [{key: nope, path: nope}]}
    """)
    assert summary(report, RULE) == []


KEYS = """
apiVersion: v1
kind: Secret
metadata: {name: db}
stringData:
  password: hunter2
data:
  username: YXBw
---
apiVersion: v1
kind: Pod
metadata: {name: migrate}
spec:
  containers:
    - name: migrate
      image: flyway/flyway:10
      env:
        - name: FLYWAY_PASSWORD
          valueFrom:
            secretKeyRef: {name: db, key: pasword}
  volumes:
    - name: creds
      secret:
        secretName: db
        items:
          - {key: username, path: user}
          - {key: ca.crt, path: ca.crt}
    - name: projected
      projected:
        sources:
          - secret:
              name: db
              items: [{key: usernam, path: u}]
"""


def test_missing_keys_are_reported_at_the_key_with_the_keys_there_are(lint):
    report = lint(KEYS)
    assert summary(report, RULE) == [
        (RULE, 19, 43, "Secret db has no key 'pasword' (it has password, username): the container cannot start "
                       "(CreateContainerConfigError); did you mean 'password'?"),
        (RULE, 26, 19, "Secret db has no key 'ca.crt' (it has password, username): the pods cannot mount it and "
                       "stay in ContainerCreating"),
        (RULE, 32, 29, "Secret db has no key 'usernam' (it has password, username): the pods cannot mount it and "
                       "stay in ContainerCreating; did you mean 'username'?"),
    ]
    for finding in [f for f in report.findings if f.rule == RULE]:
        assert finding.severity == "info"
        assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related] \
            == [("manifest.yaml", 1, 1, "Secret", "db", "the Secret")]
    assert report.findings[0].path == "/spec/containers/0/env/0/valueFrom/secretKeyRef/key"


def test_a_secret_without_data_has_no_keys(lint):
    report = lint("""
        apiVersion: v1
        kind: Secret
        metadata: {name: empty}
        type: Opaque
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          containers:
            - name: app
              image: app:1
              envFrom: [{secretRef: {name: empty}}]
              env: [{name: A, valueFrom: {secretKeyRef: {name: empty, key: token}}}]
    """)
    assert summary(report, RULE) == [(RULE, 14, 68, "Secret empty has no key 'token' (it has none): the container "
                                                    "cannot start (CreateContainerConfigError)")]


def test_nothing_is_judged_in_a_namespace_without_secrets(lint):
    # No Secret at all: they are evidently created elsewhere (by hand, a vault, CI).
    assert summary(lint(DEPLOYMENT.format(namespace="", name="db-credentials")), RULE) == []
    assert summary(lint(ALL_SITES.split("---\n", 1)[1]), RULE) == []
    # Secrets in another namespace only.
    report = lint(SECRET.format(namespace="namespace: other")
                  + DEPLOYMENT.format(namespace="namespace: shop", name="db-credentials"))
    assert summary(report, RULE) == []
    # A ConfigMap in the namespace does not make Secrets judged.
    configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db-credentials}\ndata: {a: b}\n"
    assert summary(lint(configmap + DEPLOYMENT.format(namespace="", name="db-credentials")), RULE) == []


def test_namespaces_are_compared_after_defaulting(lint):
    assert summary(lint(SECRET.format(namespace="namespace: shop")
                        + DEPLOYMENT.format(namespace="namespace: shop", name="db")), RULE) == []
    assert summary(lint(SECRET.format(namespace="namespace: default")
                        + DEPLOYMENT.format(namespace="", name="db")), RULE) == []
    assert summary(lint(SECRET.format(namespace="")
                        + DEPLOYMENT.format(namespace="namespace: default", name="db")), RULE) == []


OTHER_SECRET = """
---
apiVersion: v1
kind: Secret
metadata: {{name: unrelated, {namespace}}}
stringData: {{a: b}}
"""


def test_a_secret_in_another_namespace_does_not_count(lint):
    report = lint(SECRET.format(namespace="namespace: billing")
                  + DEPLOYMENT.format(namespace="namespace: shop", name="db")
                  + OTHER_SECRET.format(namespace="namespace: shop"))
    assert summary(report, RULE) == [(RULE, 29, 33, absent("db", "shop"))]
    assert report.findings[0].severity == "info"


def test_the_namespace_setting_is_the_default_namespace(lint):
    both_undeclared = SECRET.format(namespace="") + DEPLOYMENT.format(namespace="", name="db")
    assert summary(lint(both_undeclared, namespace="shop"), RULE) == []
    missing = SECRET.format(namespace="") + DEPLOYMENT.format(namespace="", name="db-credentials")
    assert summary(lint(missing, namespace="shop"), RULE) == [(RULE, 29, 33, absent("db-credentials", "shop"))]
    declared = SECRET.format(namespace="namespace: shop") + DEPLOYMENT.format(namespace="", name="db")
    assert summary(lint(declared, namespace="shop"), RULE) == []


def test_same_name_in_another_namespace_with_an_undeclared_side_is_doubtful(lint):
    report = lint(SECRET.format(namespace="namespace: shop") + DEPLOYMENT.format(namespace="", name="db")
                  + OTHER_SECRET.format(namespace="namespace: default"))
    assert summary(report, RULE) == [(RULE, 29, 33, absent(
        "db", hint="; a Secret of that name is in namespace 'shop', and Deployment api has no namespace, so it is "
                   "checked as in 'default': if they are applied to one namespace, pass it with --namespace"))]
    assert report.findings[0].severity == "info"  # info lowered stays info
    report = lint(SECRET.format(namespace="") + DEPLOYMENT.format(namespace="namespace: shop", name="db")
                  + OTHER_SECRET.format(namespace="namespace: shop"))
    assert summary(report, RULE) == [(RULE, 29, 33, absent(
        "db", "shop", hint="; a Secret of that name is in namespace 'default', and Secret db has no namespace, so it "
                           "is checked as in 'default': if they are applied to one namespace, pass it with "
                           "--namespace"))]
    # With the namespace passed, both are in `shop`.
    report = lint(SECRET.format(namespace="namespace: shop") + DEPLOYMENT.format(namespace="", name="db")
                  + OTHER_SECRET.format(namespace="namespace: default"), namespace="shop")
    assert summary(report, RULE) == []


def test_doubtful_findings_follow_a_configured_severity_down_one_level(lint):
    doubtful = (SECRET.format(namespace="namespace: shop") + DEPLOYMENT.format(namespace="", name="db")
                + OTHER_SECRET.format(namespace="namespace: default"))
    report = lint(doubtful, severity={RULE: "error"})
    assert [(f.rule, f.severity) for f in report.findings if f.rule == RULE] == [(RULE, "warning")]
    certain = SECRET.format(namespace="") + DEPLOYMENT.format(namespace="", name="db-credentials")
    report = lint(certain, severity={RULE: "error"})
    assert [(f.rule, f.severity) for f in report.findings if f.rule == RULE] == [(RULE, "error")]


def test_secrets_and_pods_inside_a_list(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Secret
            metadata: {name: db}
            stringData: {password: hunter2}
          - apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: migrate
                      image: flyway/flyway:10
                      env:
                        - {name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}
                        - {name: U, valueFrom: {secretKeyRef: {name: db, key: user}}}
                        - {name: T, valueFrom: {secretKeyRef: {name: dbb, key: token}}}
    """)
    assert summary(report, RULE) == [
        (RULE, 20, 71, "Secret db has no key 'user' (it has password): the container cannot start "
                       "(CreateContainerConfigError)"),
        (RULE, 21, 62, absent("dbb", hint="; did you mean 'db'?" + OPTIONAL)),
    ]
    [related] = report.findings[0].related
    assert (related.line, related.column, related.object["kind"], related.object["name"]) == (4, 5, "Secret", "db")


def test_anchors_and_merge_keys(lint):
    report = lint("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db}
        stringData: {password: hunter2}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
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
    """)
    assert summary(report, RULE) == [
        (RULE, 19, 42, "Secret db has no key 'user' (it has password): the container cannot start "
                       "(CreateContainerConfigError)"),
        (RULE, 28, 43, absent("other-db")),
    ]


def test_secret_in_another_file_or_in_context_resolves(lint):
    files = {"secret.yaml": SECRET.format(namespace=""), "deployment.yaml": DEPLOYMENT.format(namespace="", name="db")}
    assert summary(lint(files), RULE) == []
    report = lint({"deployment.yaml": DEPLOYMENT.format(namespace="", name="db")},
                  context={"secret.yaml": SECRET.format(namespace="")})
    assert summary(report, RULE) == []


def test_context_secrets_make_a_namespace_judged_and_are_related(lint):
    report = lint({"pod.yaml": """
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          imagePullSecrets: [{name: registry}]
          containers:
            - name: app
              image: app:1
              env: [{name: X, valueFrom: {secretKeyRef: {name: db, key: X}}}]
    """}, context={"secret.yaml": SECRET.format(namespace="")})
    assert summary(report, RULE) == [
        (RULE, 5, 29, absent("registry", consequence=PULL, hint="")),
        (RULE, 9, 65, "Secret db has no key 'X' (it has password, username): the container cannot start "
                      "(CreateContainerConfigError)"),
    ]
    [related] = report.findings[1].related
    assert (related.file, related.line, related.column, related.object["name"]) == ("secret.yaml", 1, 1, "db")


def test_findings_are_never_reported_on_context_files(lint):
    report = lint({"secret.yaml": SECRET.format(namespace="")},
                  context={"deployment.yaml": DEPLOYMENT.format(namespace="", name="db-credentials")})
    assert summary(report, RULE) == []


def test_cronjob_templates(lint):
    report = lint(SECRET.format(namespace="") + textwrap.dedent("""
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: backup}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  imagePullSecrets: [{name: registry}]
                  containers:
                    - name: backup
                      image: backup:1
                      env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}]
                      volumeMounts: [{name: s3, mountPath: /s3}]
                  volumes: [{name: s3, secret: {secretName: s3-credentials}}]
    """))
    assert summary(report, RULE) == [
        (RULE, 23, 37, absent("registry", consequence=PULL, hint="")),
        (RULE, 29, 53, absent("s3-credentials", consequence=VOLUME)),
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
        "app/secret.yaml": SECRET.format(namespace=""),
        "app/deployment.yaml": DEPLOYMENT.format(namespace="", name="db-credentials").lstrip("-\n"),
    }
    report = lint(files)
    assert summary(report, RULE) == []
    assert "app/kustomization.yaml" in report.skipped
    # The same files without the kustomization: the reference is missing.
    plain = {name.replace("app/", "plain/"): text for name, text in files.items() if name != "app/kustomization.yaml"}
    assert [f[:3] for f in summary(lint(plain), RULE)] == [(RULE, 17, 33)]


def test_certificate_secrets_count_as_present(lint):
    report = lint(SECRET.format(namespace="namespace: shop") + textwrap.dedent("""
        ---
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: api, namespace: shop}
        spec:
          secretName: api-tls
          dnsNames: [api.example.com]
          issuerRef: {name: letsencrypt, kind: ClusterIssuer}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api, namespace: shop}
        spec:
          containers: [{name: api, image: api:1}]
          volumes:
            - {name: tls, secret: {secretName: api-tls}}
            - {name: by-certificate-name, secret: {secretName: api}}
    """))
    # spec.secretName is made; the Certificate's own name is not a Secret.
    # (Names the Certificate makes are not suggested: only Secret objects are.)
    assert summary(report, RULE) == [(RULE, 28, 56, absent("api", "shop", consequence=VOLUME))]


def test_operator_secrets_count_only_in_their_namespace(lint):
    report = lint("""
        apiVersion: v1
        kind: Secret
        metadata: {name: other, namespace: shop}
        ---
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: api, namespace: certs}
        spec:
          secretName: api-tls
          issuerRef: {name: ca}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api, namespace: shop}
        spec:
          containers: [{name: api, image: api:1}]
          volumes: [{name: tls, secret: {secretName: api-tls}}]
    """)
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 17, 46)]


def test_an_operator_secret_alone_does_not_make_a_namespace_judged(lint):
    report = lint("""
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: api}
        spec:
          secretName: api-tls
          issuerRef: {name: ca}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers: [{name: api, image: api:1, envFrom: [{secretRef: {name: elsewhere}}]}]
    """)
    assert summary(report, RULE) == []


def test_sealed_secrets_count_as_present(lint):
    report = lint(SECRET.format(namespace="") + textwrap.dedent("""
        ---
        apiVersion: bitnami.com/v1alpha1
        kind: SealedSecret
        metadata: {name: smtp}
        spec:
          encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: mailer}
        spec:
          containers:
            - name: mailer
              image: mailer:1
              env:
                - name: SMTP_PASSWORD
                  valueFrom:
                    secretKeyRef: {name: smtp, key: password}
    """))
    assert summary(report, RULE) == []


def test_a_sealed_secret_unseals_under_its_own_name(lint):
    # The sealed-secrets controller forces the Secret's name and namespace to the SealedSecret's
    # (SealedSecret.Unseal: `secret.SetName(smeta.GetName())` after copying spec.template.metadata), since
    # the encryption is bound to them: spec.template.metadata.name does not rename the Secret.
    report = lint(SECRET.format(namespace="") + textwrap.dedent("""
        ---
        apiVersion: bitnami.com/v1alpha1
        kind: SealedSecret
        metadata: {name: smtp}
        spec:
          encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}
          template:
            metadata: {name: smtp-credentials, labels: {app: mailer}}
            type: Opaque
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: mailer}
        spec:
          containers:
            - name: mailer
              image: mailer:1
              envFrom: [{secretRef: {name: smtp}}]
    """))
    assert summary(report, RULE) == []


def test_external_secrets_count_as_present(lint):
    report = lint(SECRET.format(namespace="") + textwrap.dedent("""
        ---
        apiVersion: external-secrets.io/v1beta1
        kind: ExternalSecret
        metadata: {name: stripe}
        spec:
          secretStoreRef: {name: vault, kind: ClusterSecretStore}
          data: [{secretKey: api-key, remoteRef: {key: stripe/api-key}}]
        ---
        apiVersion: external-secrets.io/v1beta1
        kind: ExternalSecret
        metadata: {name: aws}
        spec:
          secretStoreRef: {name: vault, kind: ClusterSecretStore}
          target: {name: aws-credentials}
          dataFrom: [{extract: {key: aws}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: billing}
        spec:
          containers:
            - name: billing
              image: billing:1
              env:
                - {name: STRIPE_KEY, valueFrom: {secretKeyRef: {name: stripe, key: api-key}}}
              envFrom:
                - secretRef: {name: aws-credentials}
                - secretRef: {name: aws}
    """))
    # target.name renames the Secret: the ExternalSecret's own name is then not a Secret.
    assert summary(report, RULE) == [(RULE, 39, 29, absent("aws"))]


def test_look_alike_custom_resources_of_other_groups_make_no_secrets(lint):
    report = lint(SECRET.format(namespace="") + textwrap.dedent("""
        ---
        apiVersion: example.com/v1
        kind: Certificate
        metadata: {name: api}
        spec: {secretName: api-tls}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers: [{name: api, image: api:1}]
          volumes: [{name: tls, secret: {secretName: api-tls}}]
    """))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 23, 46)]


def test_service_account_token_secrets_get_their_keys_from_the_token_controller(lint):
    # A Secret of type kubernetes.io/service-account-token is filled in by the token controller with
    # `token`, `ca.crt` and `namespace` (https://kubernetes.io/docs/concepts/configuration/secret/
    # #serviceaccount-token-secrets; pkg/controller/serviceaccount/tokens_controller.go): the manifest
    # never holds them, and reading them is correct.
    report = lint("""
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: ci}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: ci-token
          annotations:
            kubernetes.io/service-account.name: ci
        type: kubernetes.io/service-account-token
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: runner}
        spec:
          containers:
            - name: runner
              image: runner:1
              env:
                - name: KUBE_TOKEN
                  valueFrom:
                    secretKeyRef: {name: ci-token, key: token}
          volumes:
            - name: ca
              secret:
                secretName: ci-token
                items: [{key: ca.crt, path: ca.crt}, {key: namespace, path: namespace}]
    """)
    assert summary(report, RULE) == []


def test_a_malformed_reference_is_not_a_reference(lint):
    report = lint("""
        apiVersion: v1
        kind: Secret
        metadata: {name: present}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          imagePullSecrets: [{name: ""}, {}, "registry"]
          containers:
            - name: app
              image: app:1
              env:
                - {name: A, valueFrom: {secretKeyRef: {key: X}}}
              envFrom:
                - secretRef: {}
          volumes:
            - {name: a, secret: {}}
    """)
    assert summary(report, RULE) == []
