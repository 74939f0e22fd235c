"""selector-mismatch: a workload's selector does not select its own pod template."""

from kubecheck.kinds import job_generated_labels
from kubecheck.rule import Related, Rule, Violation
from kubecheck.selectors import Selector, SelectorError

#: Kinds whose validation rejects an empty selector ("empty selector is invalid for ...").
_NO_EMPTY_SELECTOR = {("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet")}


def check(obj, ctx):
    shape = obj.workload
    template = obj.pod_template
    if shape is None or shape.selector is None or template is None:
        return
    selector_path = shape.selector
    data = obj.get(*selector_path)
    if (obj.group, obj.kind) == ("batch", "CronJob"):
        yield from _cronjob(obj, selector_path, data)
        return
    if data is None:
        return  # required (a schema finding) or defaulted from the template (ReplicationController, Job)
    try:
        selector = Selector.from_map(data) if shape.selector_style == "map" else Selector.from_label_selector(data)
    except SelectorError as error:
        if not error.wrong_type:  # wrong types are schema findings
            yield Violation(selector_path + error.path, f"invalid label selector: {error}; the API server rejects "
                                                        f"this {obj.kind}", at="value")
        return
    if selector.is_empty:
        if (obj.group, obj.kind) in _NO_EMPTY_SELECTOR:
            labels = {key: value for key, value in data.items() if key not in ("matchLabels", "matchExpressions")}
            hint = ""
            if labels:
                written = ", ".join(f"{key}={value}" for key, value in labels.items())
                hint = f" ({written} must go under matchLabels)"
            yield Violation(selector_path, f"the selector has no matchLabels or matchExpressions{hint}: an empty "
                                           f"selector would select every pod in the namespace, and the API server "
                                           f"rejects it for a {obj.kind}")
        return  # a ReplicationController's empty selector defaults to the template's labels
    runtime = {}
    if (obj.group, obj.kind) == ("batch", "Job"):
        spec = obj.get("spec")
        runtime = job_generated_labels(obj.name, spec if isinstance(spec, dict) else {})
    if selector.matches(template.labels, runtime):
        return
    has = ", ".join(f"{key}={value}" for key, value in template.labels.items())
    message = (f"the selector does not select this {obj.kind}'s own pods: it needs "
               f"{', '.join(selector.missing(template.labels, runtime))}, but the pod template "
               f"{'is labelled ' + has if has else 'has no labels'}; the API server rejects this {obj.kind}")
    yield Violation(selector_path, message, (Related(obj, template.labels_path, "the pod template's labels"),))


def _cronjob(obj, selector_path, data):
    job_spec_path = selector_path[:-1]
    if data is not None:
        yield Violation(selector_path, "a CronJob's job template must not set a selector: the API server generates "
                                       "each Job's selector and rejects this CronJob (`selector` will be "
                                       "auto-generated)")
    if obj.get(*job_spec_path, "manualSelector") is True:
        yield Violation(job_spec_path + ("manualSelector",), "a CronJob's job template cannot use manualSelector: "
                                                             "true; the API server rejects this CronJob", at="value")


RULE = Rule(
    id="selector-mismatch",
    family="graph",
    severity="error",
    summary="A workload's spec.selector does not select its own pod template labels",
    rationale=(
        "A Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or ReplicationController manages the pods "
        "its selector selects, so the API server rejects one whose selector does not select the labels "
        "of its own pod template ('`selector` does not match template `labels`'). Also rejected, and "
        "reported here: an empty selector for Deployments, ReplicaSets, StatefulSets and DaemonSets, a "
        "selector with an unknown operator or with `In` and no values, and any selector in a CronJob's "
        "job template (the API server generates it). A Job's selector is compared with its template plus "
        "the labels the API server adds to it (`job-name`, `controller-uid`) unless `manualSelector` is "
        "true. Kinds listed in `workload-kinds` are checked the same way."
    ),
    fail_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: frontend
    spec:
      containers:
        - name: web
          image: nginx:1.27
""",
    pass_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: frontend
    spec:
      containers:
        - name: web
          image: nginx:1.27
""",
    check=check,
)
