"""not-an-object: documents and List items that are not Kubernetes objects."""

from support import summary


def test_lists_scalars_and_mappings_without_apiversion_or_kind(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        ---
        - name: leftover
        ---
        just some text
        ---
        metadata: {name: orphan}
        spec: {}
        ---
        apiVersion: v1
        kind: 7
        ---
    """)
    assert summary(report) == [
        ("not-an-object", 5, 1, "this document is a list, not a Kubernetes object"),
        ("not-an-object", 7, 1, 'this document is the scalar "just some text", not a Kubernetes object'),
        ("not-an-object", 9, 1, "this document has no apiVersion and no kind, so it is not a Kubernetes object"),
        ("not-an-object", 13, 7, "kind must be a non-empty string, not 7"),
    ]


def test_list_items_are_objects_and_typed_lists_default_their_kind(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
          - metadata: {name: b}
        ---
        apiVersion: apps/v1
        kind: DeploymentList
        items:
          - metadata: {name: c}
            spec:
              selector: {matchLabels: {app: c}}
              template:
                metadata: {labels: {app: other}}
                spec: {containers: [{name: c, image: nginx}]}
    """)
    assert summary(report) == [
        ("not-an-object", 7, 5, "this list item has no apiVersion and no kind, so it is not a Kubernetes object"),
        ("selector-mismatch", 14, 7, "the selector does not select this Deployment's own pods: it needs app=c, but "
                                     "the pod template is labelled app=other; the API server rejects this Deployment"),
    ]
    assert report.objects == 2


def test_wrong_types_never_crash(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items: 7
        ---
        apiVersion: v1
        kind: Service
        metadata: null
        spec: {selector: [x]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: [x]
        spec: {selector: 3, template: [1]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {labels: null, annotations: [1]}
        spec: null
    """)
    assert summary(report) == [
        ("not-an-object", 3, 8, "items of a List must be a list, not 7"),
        ("schema", 8, 18, "spec.selector: expected object, got array"),
        ("schema", 12, 11, "metadata: expected object, got array"),
        ("schema", 13, 18, "spec.selector: expected object, got integer 3"),
        ("schema", 13, 31, "spec.template: expected object, got array"),
        ("schema", 17, 39, "metadata.annotations: expected object, got array"),
    ]
