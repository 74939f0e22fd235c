"""schemas/api-lifecycle.yaml agrees with the bundled Kubernetes schemas."""

import pytest

from kubecheck.schemastore import api_lifecycle, bundled_versions, kubernetes_schemas

VERSIONS = bundled_versions()
LIFECYCLE = api_lifecycle()


def minor(version: str) -> int:
    return int(version.split(".")[1])


def served(api_version: str, kind: str, version: str) -> bool:
    return kubernetes_schemas(version).definition_for(api_version, kind) is not None


@pytest.mark.parametrize("entry", LIFECYCLE, ids=[f"{e['apiVersion']} {e['kind']}" for e in LIFECYCLE])
def test_removed_apis_have_no_schema_from_their_removal_on(entry):
    removed = minor(entry["removed-in"])
    for version in VERSIONS:
        if minor(version) >= removed:
            assert not served(entry["apiVersion"], entry["kind"], version), version
        elif minor(version) == removed - 1:
            assert served(entry["apiVersion"], entry["kind"], version), f"still served in {version}"
    if entry["deprecated-in"] is not None:
        assert minor(entry["deprecated-in"]) < removed


@pytest.mark.parametrize("entry", [e for e in LIFECYCLE if e["replacement"]],
                         ids=[f"{e['apiVersion']} {e['kind']}" for e in LIFECYCLE if e["replacement"]])
def test_replacements_are_served_from_when_they_became_available(entry):
    replacement_removed = {(e["apiVersion"], e["kind"]): minor(e["removed-in"]) for e in LIFECYCLE}
    available = minor(entry["replacement-available-in"])
    gone = replacement_removed.get((entry["replacement"], entry["kind"]), 10**6)
    for version in VERSIONS:
        expected = available <= minor(version) < gone
        assert served(entry["replacement"], entry["kind"], version) is expected, version


def test_every_removal_seen_in_the_bundled_versions_is_listed():
    listed = {(e["apiVersion"], e["kind"]) for e in LIFECYCLE}
    for older, newer in zip(VERSIONS, VERSIONS[1:]):
        gone = set(kubernetes_schemas(older).kinds) - set(kubernetes_schemas(newer).kinds)
        top_level = {key for key in gone
                     if not key[1].endswith("List") and key[1] not in ("DeleteOptions", "WatchEvent", "Status")}
        assert top_level <= listed, f"removed in {newer}: {sorted(top_level - listed)}"
