"""duplicate-key: the same key twice in one mapping, reported at the second."""

from support import summary


def test_second_key_is_reported_with_the_first_line(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          mode: fast
          replicas: "3"
          mode: slow
    """)
    assert summary(report) == [("duplicate-key", 8, 3, 'duplicate key "mode" (first set at line 6)')]
    assert report.findings[0].object == {"apiVersion": "v1", "kind": "ConfigMap", "namespace": "default",
                                         "name": "settings"}


def test_keys_are_compared_as_json_strings(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data:
          1: one
          "1": uno
    """)
    assert summary(report) == [("duplicate-key", 6, 3, 'duplicate key "1" (first set at line 5)')]


def test_merged_keys_are_not_duplicates(lint):
    report = lint("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data:
          base: &base {mode: fast, color: blue}
          merged:
            <<: *base
            mode: slow
    """)
    assert summary(report, "duplicate-key") == []
