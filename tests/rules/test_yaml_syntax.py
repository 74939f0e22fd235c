"""yaml-syntax: files Kubernetes cannot read, reported where the parser stopped."""

from support import summary


def test_error_is_at_the_parser_position_and_earlier_documents_are_still_checked(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: broken
          labels: [a
        data: {}
    """)
    assert summary(report) == [
        ("orphan-service", 4, 8, "Service web selects no pods: no pod template in namespace 'default' carries app=web"),
        ("yaml-syntax", 11, 5, "did not find expected ',' or ']' (while parsing a flow sequence at line 10, column 11)"),
    ]
    assert report.findings[1].document == 1


def test_helm_templates_get_a_hint(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}
          labels:
        {{ include "labels" . | indent 4 }}
    """)
    [finding] = report.findings
    assert finding.rule == "yaml-syntax"
    assert finding.message.endswith("the file looks like a Helm or Go template: check its rendered output "
                                    "(helm template)")


def test_undecodable_bytes_are_reported_at_their_position(lint):
    report = lint({"latin1.yaml": "apiVersion: v1\nkind: ConfigMap\ndata:\n  city: Zürich\n".encode("latin-1")})
    assert summary(report) == [("yaml-syntax", 4, 10, "the file is not UTF-8 text: byte 0xfc cannot be decoded")]


def test_tabs_in_indentation(lint):
    report = lint("apiVersion: v1\nkind: ConfigMap\ndata:\n\tkey: value\n")
    assert [f[:3] for f in summary(report)] == [("yaml-syntax", 4, 1)]
