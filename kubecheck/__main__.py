from kubecheck.cli import run

run()
