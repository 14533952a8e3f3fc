"""Fixtures for the node's write-side tests (names start with `writer_` to stay clear of others)."""

import pytest
from writer_support import make_node


@pytest.fixture
def writer_node(tmp_path):
    server, node = make_node(tmp_path)
    yield node
    node.http.close()
    node.anonymous.close()
    server.stop()
