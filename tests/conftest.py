"""Suite-wide set-up: the skip gate (tests/skip_gate.py) and pytest's own `pytester` fixture for its test."""

import skip_gate

pytest_plugins = ("pytester",)


def pytest_configure(config):
    skip_gate.install(config)
