"""kubecheck.kinds agrees with the bundled schemas."""

from kubecheck.kinds import CLUSTER_SCOPED, KUBERNETES_GROUPS, is_custom_group, split_api_version
from kubecheck.schemastore import api_lifecycle, bundled_versions, kubernetes_schemas


def test_every_group_of_the_bundled_schemas_and_the_lifecycle_data_is_a_kubernetes_group():
    groups = {split_api_version(api)[0] for version in bundled_versions() for api, _ in kubernetes_schemas(version).kinds}
    groups |= {split_api_version(entry["apiVersion"])[0] for entry in api_lifecycle()}
    assert groups == KUBERNETES_GROUPS


def test_sub_projects_and_aggregated_apis_are_custom():
    assert is_custom_group("gateway.networking.k8s.io") and is_custom_group("metrics.k8s.io")
    assert is_custom_group("monitoring.coreos.com") and not is_custom_group("apps")


def test_cluster_scoped_kinds_exist():
    newest = kubernetes_schemas(bundled_versions()[-1])
    served = {(split_api_version(api)[0], kind) for api, kind in newest.kinds}
    removed = {(split_api_version(e["apiVersion"])[0], e["kind"]) for e in api_lifecycle()}
    assert CLUSTER_SCOPED <= served | removed | {("", "ComponentStatus")}
