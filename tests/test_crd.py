"""Custom resources validated against the CRDs among the inputs, and against --schema-dir folders."""

import json

from support import crd, summary

CRD = crd("Widget", """
    type: object
    required: [spec]
    properties:
      spec:
        type: object
        required: [size]
        properties:
          size: {type: integer, minimum: 1}
          color: {type: string, enum: [red, green]}
          port: {x-kubernetes-int-or-string: true}
          owner: {type: string, nullable: true}
          extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
          template:
            type: object
            x-kubernetes-embedded-resource: true
            properties:
              spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
""")


def widget(spec: str) -> str:
    return f"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n{spec}"


def test_a_crd_in_one_file_validates_custom_resources_in_another(lint):
    good = widget("  size: 2\n  color: red\n  port: 8080\n  owner: null\n  extra: {anything: [1, 2]}\n"
                  "  template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {x: 1}}\n")
    assert summary(lint({"crd.yaml": CRD, "widget.yaml": good})) == []
    report = lint({"crd.yaml": CRD, "widget.yaml": widget("  size: zero\n  color: blue\n  port: 1.5\n  sise: 3\n")})
    assert [(f.file, f.line, f.column, f.message) for f in report.findings] == [
        ("widget.yaml", 6, 9, 'spec.size: expected integer, got string "zero"'),
        ("widget.yaml", 7, 10, 'spec.color: "blue" is not one of "red", "green"'),
        ("widget.yaml", 8, 9, "spec.port: expected integer or string, got number 1.5"),
        ("widget.yaml", 9, 3, 'unknown field "sise" in Widget.spec; did you mean "size"?'),
    ]


def test_crds_in_context_count_and_the_root_takes_metadata_as_object_meta(lint):
    report = lint({"widget.yaml": widget("  size: 0\n").replace("name: w", "name: 7")}, context={"crd.yaml": CRD})
    assert summary(report) == [
        ("schema", 4, 9, "metadata.name: expected string, got integer 7 (an unquoted 7 is a number in YAML: write "
                         "\"7\" in quotes)"),
        ("schema", 6, 9, "spec.size: 0 is less than the minimum of 1"),
    ]


def test_no_strict_keeps_unknown_custom_fields(lint):
    report = lint({"crd.yaml": CRD, "widget.yaml": widget("  size: 2\n  sise: 3\n")}, strict=False)
    assert summary(report) == []


def test_v1beta1_crds_with_one_schema_for_all_versions_that_keep_unknown_fields_unless_told_otherwise(lint):
    v1beta1 = """
        apiVersion: apiextensions.k8s.io/v1beta1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.com}
        spec:
          group: example.com
          version: v1
          names: {kind: Gadget, plural: gadgets}
          validation:
            openAPIV3Schema:
              properties:
                spec: {properties: {size: {type: integer}}}
    """
    gadget = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: big, colour: red}\n"
    report = lint({"gadget.yaml": gadget}, context={"crd.yaml": v1beta1}, kubernetes_version="1.37")
    assert summary(report) == [("schema", 4, 14, 'spec.size: expected integer, got string "big"')]
    closed = v1beta1.replace("version: v1\n", "version: v1\n          preserveUnknownFields: false\n")
    assert summary(lint({"gadget.yaml": gadget}, context={"crd.yaml": closed})) == [
        ("schema", 4, 14, 'spec.size: expected integer, got string "big"'),
        ("schema", 4, 19, 'unknown field "colour" in Gadget.spec')]


def test_schema_dirs_in_kubeconform_and_catalogue_layouts(lint, tmp_path):
    schema = {"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}},
                                                         "additionalProperties": False}}}
    (tmp_path / "schemas" / "example.com").mkdir(parents=True)
    (tmp_path / "schemas" / "widget-example-v1.json").write_text(json.dumps(schema))
    (tmp_path / "schemas" / "example.com" / "gadget_v1.json").write_text(json.dumps(schema))
    files = {"w.yaml": widget("  size: two\n"),
             "g.yaml": "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: 2, sise: 1}\n"}
    report = lint(files, schema_dirs=(str(tmp_path / "schemas"),))
    assert [(f.file, f.line, f.column, f.message) for f in report.findings] == [
        ("g.yaml", 4, 17, 'unknown field "sise" in Gadget.spec; did you mean "size"?'),
        ("w.yaml", 6, 9, 'spec.size: expected integer, got string "two"'),
    ]


def test_a_schema_file_that_is_not_json_is_reported_by_the_schema_rule(lint, tmp_path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "widget-example-v1.json").write_text("{not json")
    report = lint({"w.yaml": widget("  size: 1\n")}, schema_dirs=(str(tmp_path / "schemas"),))
    [finding] = report.findings
    assert (finding.rule, finding.line, finding.column) == ("schema", 1, 1)
    assert finding.message.startswith(f"Widget cannot be validated: the schema file {tmp_path / 'schemas'}"
                                      "/widget-example-v1.json is not JSON (")


STRUCTURAL = crd("Gizmo", """
    type: object
    properties:
      spec:
        type: object
        properties:
          settings: {type: object}
          mode: {type: string, enum: [fast, safe], nullable: true}
          replicas:
            anyOf: [{type: integer}, {type: string}]
            x-kubernetes-int-or-string: true
          since: {type: string, format: date-time}
""")


def gizmo(spec: str) -> str:
    return f"apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {{name: g}}\nspec:\n{spec}"


def test_structural_schemas_as_the_api_server_applies_them(lint):
    good = gizmo("  settings: {}\n  mode: null\n  replicas: 50%\n  since: 2024-05-01T12:00:00Z\n")
    assert summary(lint({"gizmo.yaml": good}, context={"crd.yaml": STRUCTURAL})) == []
    bad = gizmo("  settings: {debug: true}\n  mode: slow\n  replicas: 1.5\n  since: yesterday\n")
    assert summary(lint({"gizmo.yaml": bad}, context={"crd.yaml": STRUCTURAL})) == [
        # an object without properties or x-kubernetes-preserve-unknown-fields keeps no field
        ("schema", 5, 14, 'unknown field "debug" in Gizmo.spec.settings'),
        ("schema", 6, 9, 'spec.mode: "slow" is not one of "fast", "safe"'),
        # controller-gen's anyOf of integer and string is one cause, not three
        ("schema", 7, 13, "spec.replicas: expected integer or string, got number 1.5"),
        ("schema", 8, 10, 'spec.since: "yesterday" is not a valid date-time (such as 2024-05-01T12:00:00Z)'),
    ]
