"""stafett.lru: least recently used out first, by count or by a cost per entry."""

from stafett.lru import LRU


def test_bounded_by_count_the_least_recently_used_goes_first():
    lru = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "b" is now the least recently used
    lru.put("c", 3)
    assert (lru.get("b"), lru.get("a"), lru.get("c"), lru.total) == (None, 1, 3, 2)


def test_bounded_by_cost_and_replacing_a_key_counts_it_once():
    lru = LRU(10, cost=len)
    lru.put("x", "1234")
    lru.put("x", "123456")
    assert lru.total == 6
    lru.put("y", "12345")  # 11 > 10: "x" goes
    assert (lru.get("x"), lru.get("y"), lru.total) == (None, "12345", 5)
    lru.clear()
    assert (lru.get("y"), lru.total) == (None, 0)
