"""The bundled schemas: every version loads, versions are parsed, the bundle stays small."""

import pytest
from support import PROJECT

from kubecheck.schemastore import (SchemaStore, bundled_versions, kubernetes_schemas, newest_version, parse_version,
                                   served_kinds)


def test_versions_from_1_25_to_the_newest():
    versions = bundled_versions()
    assert versions[0] == "1.25" and newest_version() == versions[-1] == "1.37"
    assert [int(v.split(".")[1]) for v in versions] == list(range(25, 38))


@pytest.mark.parametrize("version", bundled_versions())
def test_every_bundled_version_loads_and_resolves_its_kinds(version):
    schemas = kubernetes_schemas(version)
    assert schemas.kubernetes.startswith(version + ".")
    for api_version, kind in [("v1", "Pod"), ("apps/v1", "Deployment"), ("v1", "Service"), ("batch/v1", "CronJob")]:
        definition = schemas.definition(schemas.definition_for(api_version, kind))
        assert definition["title"] == kind and "properties" in definition
    assert served_kinds(version) == set(schemas.kinds)  # the header alone says the same


@pytest.mark.parametrize("text, expected", [("1.30", "1.30"), ("v1.30", "1.30"), ("1.30.7", "1.30"),
                                            ("1.24", None), ("2.0", None), ("latest", None)])
def test_parse_version(text, expected):
    assert parse_version(text) == expected


def test_the_bundle_stays_a_few_megabytes():
    total = sum(path.stat().st_size for path in (PROJECT / "schemas" / "kubernetes").glob("*.jsonl.gz"))
    assert total < 4_000_000


def test_validators_of_built_in_kinds_are_compiled_once_per_process():
    first, second = SchemaStore("1.37"), SchemaStore("1.37")
    assert first.validator("v1", "Pod") is second.validator("v1", "Pod")
    assert SchemaStore("1.37", strict=False).validator("v1", "Pod") is not first.validator("v1", "Pod")
