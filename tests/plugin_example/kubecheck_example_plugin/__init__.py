"""Test fixture: an example third-party kubecheck plugin (see tests/test_plugins.py).

It registers, through the ``kubecheck`` entry-point group, two rules of the family ``example``:

- ``no-latest-tag`` (warning): a container image tagged ``:latest``, or without a tag (which
  means ``:latest``), reported at the image value;
- ``example-crash`` (off by default): a check that always raises, to show that a crashing rule
  becomes an ``internal-error`` finding and does not stop the run.
"""

from kubecheck.hookspecs import hookimpl
from kubecheck.rule import Rule, Violation

WORKLOADS = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
             "Job", "CronJob"}


def _tag(image: str) -> str | None:
    """The tag of an image reference; None without one. Digests (`name@sha256:...`) count as pinned."""
    if "@" in image:
        return "@digest"
    name = image.rsplit("/", 1)[-1]  # a registry's port (`registry:5000/app`) is not a tag
    return name.split(":", 1)[1] if ":" in name else None


def check_latest(obj, ctx):
    template = obj.pod_template
    if template is None:
        return
    for field in ("initContainers", "containers"):
        containers = obj.get(*template.path, "spec", field)
        if not isinstance(containers, list):
            continue
        for number, container in enumerate(containers):
            image = container.get("image") if isinstance(container, dict) else None
            if not isinstance(image, str):
                continue
            tag = _tag(image)
            if tag is None or tag == "latest":
                problem = "is tagged :latest" if tag else "has no tag (so :latest)"
                yield Violation((*template.path, "spec", field, number, "image"),
                                f"image {image!r} {problem}; pin a version or a digest", at="value")


def check_crash(obj, ctx):
    raise RuntimeError("this rule always fails")


NO_LATEST_TAG = Rule(
    id="no-latest-tag",
    family="example",
    severity="warning",
    summary="A container image is tagged :latest or has no tag",
    rationale=(
        "An image tagged `:latest`, or without a tag, names whatever was pushed last: two nodes may "
        "run different code, and a rollback redeploys the same moving target. Pin a version tag or "
        "a digest."
    ),
    fail_example="""\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
""",
    pass_example="""\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
""",
    check=check_latest,
    kinds=WORKLOADS,
)

EXAMPLE_CRASH = Rule(
    id="example-crash",
    family="example",
    severity="error",
    summary="A rule whose check always raises (a test fixture)",
    rationale="It exists to show that a failing rule is reported as an internal error and the run goes on.",
    fail_example="apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
    pass_example="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
    check=check_crash,
    kinds={"Deployment"},
    enabled_by_default=False,
)


@hookimpl
def kubecheck_rules():
    return [NO_LATEST_TAG, EXAMPLE_CRASH]
