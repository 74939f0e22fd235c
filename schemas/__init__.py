"""Data, not code: kubecheck's JSON schemas (config file, and more as they are added).

This directory is installed as the package `kubecheck.schemas` so that its files travel in the
wheel and are found with `importlib.resources` from an installed or an editable kubecheck.
"""
