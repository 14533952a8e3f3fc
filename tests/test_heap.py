"""stafett.heap: freed native memory really goes back to the operating system (Linux, glibc)."""

import pyoxigraph as ox

from stafett.heap import release_freed_memory, resident_bytes


def test_memory_a_native_library_freed_is_returned_by_release_freed_memory():
    store = ox.Store()  # native (Rust) allocations, as the harvester's store and validator make
    s = ox.NamedNode("http://ex.test/s")
    store.extend(
        ox.Quad(s, ox.NamedNode(f"http://ex.test/p{i}"), ox.Literal("x" * 200 + str(i)))
        for i in range(200_000)
    )
    filled = resident_bytes()
    del store
    release_freed_memory()
    released = resident_bytes()
    assert filled > 0 and filled - released > 50 * 2**20, (filled, released)
