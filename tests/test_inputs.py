"""Which files are manifests: non-Kubernetes YAML and kustomize's own files are skipped."""

from support import summary

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
"""


def test_yaml_without_any_kind_is_not_a_manifest(lint):
    report = lint({"Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
                   "compose.yml": "services:\n  web: {image: nginx}\n", "ok.yaml": DEPLOYMENT})
    assert summary(report) == []
    assert sorted(report.skipped) == ["Chart.yaml", "compose.yml"]


def test_a_file_that_does_not_parse_is_a_manifest_when_it_has_a_kind_key(lint):
    report = lint({
        "tsconfig.json": '{\n  // comments are not JSON, nor YAML\n  "compilerOptions": {"strict": true}\n}\n',
        "notes.yaml": "a: [unclosed\nb: 1\n",
        "broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\ndata: {}\n",
        "broken-after.yaml": "metadata: {name: x\n  kind: ConfigMap\n",
        "list.json": '{"items": [\n  {"kind": "ConfigMap",, "apiVersion": "v1"}]}\n',
    })
    assert sorted(report.skipped) == ["notes.yaml", "tsconfig.json"]
    assert sorted((f.file, f.rule) for f in report.findings) == [
        ("broken-after.yaml", "yaml-syntax"), ("broken.yaml", "yaml-syntax"), ("list.json", "yaml-syntax")]


def test_a_document_with_a_kind_makes_the_file_a_manifest(lint):
    report = lint({"typo.yaml": "apiversion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n",
                   "no-version.yaml": "kind: Service\nmetadata: {name: x}\n"})
    assert [(f.file, f.rule, f.message) for f in report.findings] == [
        ("no-version.yaml", "not-an-object", "this document has no apiVersion, so it is not a Kubernetes object"),
        ("typo.yaml", "not-an-object", "this document has no apiVersion, so it is not a Kubernetes object"),
    ]


def test_kustomize_patches_and_kustomization_files_are_not_objects(lint):
    files = {
        "base/kustomization.yaml": "resources: [deployment.yaml]\n",
        "base/deployment.yaml": DEPLOYMENT,
        "overlays/prod/kustomization.yaml": """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [../../base]
            patches:
              - path: replicas.yaml
            patchesStrategicMerge:
              - ../shared/memory.yaml
              - |-
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
            configMapGenerator:
              - name: settings
                files: [app.yaml=settings.yaml]
        """,
        "overlays/prod/replicas.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}\n",
        "overlays/shared/memory.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
        "overlays/prod/settings.yaml": "kind: of config\nlevel: 3\n",
    }
    report = lint(files)
    assert summary(report) == []
    assert sorted(report.skipped) == ["base/kustomization.yaml", "overlays/prod/kustomization.yaml",
                                      "overlays/prod/replicas.yaml", "overlays/prod/settings.yaml",
                                      "overlays/shared/memory.yaml"]
    assert report.objects == 1


SHOP_SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
"""


def test_kustomize_namespace_puts_its_resources_in_it(lint):
    # The Deployment says no namespace; kustomize puts it in shop, where the Service selects it.
    files = {"app/kustomization.yaml": "namespace: shop\nresources: [deployment.yaml, service.yaml]\n",
             "app/deployment.yaml": DEPLOYMENT, "app/service.yaml": SHOP_SERVICE}
    assert summary(lint(files), "orphan-service") == []
    # An including kustomization's namespace wins over the included one's.
    files = {"overlay/kustomization.yaml": "namespace: shop\nresources: [../base, service.yaml]\n",
             "base/kustomization.yaml": "namespace: other\nresources: [deployment.yaml]\n",
             "base/deployment.yaml": DEPLOYMENT, "overlay/service.yaml": SHOP_SERVICE}
    assert summary(lint(files), "orphan-service") == []


def test_kustomizations_that_include_each_other_are_read_once(lint):
    files = {"kustomization.yaml": "resources: [., ., ., sub]\n", "sub/kustomization.yaml": "resources: [.., ..]\n",
             "deployment.yaml": DEPLOYMENT}
    report = lint(files)  # returns: no endless revisiting
    assert report.internal_errors == 0 and summary(report) == []
