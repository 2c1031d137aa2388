"""The persistent map behind a scope's definitions: every version keeps what it saw, setting a key again
is seen only by the versions after it, and 10,000 versions cost linear memory."""

from __future__ import annotations

import pickle
import tracemalloc

import pytest

from derive.engine.persistent import PersistentMap


def versions(*pairs: tuple[str, int]) -> list[PersistentMap[str, int]]:
    found: list[PersistentMap[str, int]] = [PersistentMap()]
    for key, value in pairs:
        found.append(found[-1].set(key, value))
    return found


def test_every_version_keeps_what_it_saw() -> None:
    empty, one, two, again = versions(("a", 1), ("b", 2), ("a", 3))
    assert [dict(v) for v in (empty, one, two, again)] == [{}, {"a": 1}, {"a": 1, "b": 2}, {"a": 3, "b": 2}]
    assert [len(v) for v in (empty, one, two, again)] == [0, 1, 2, 2]


@pytest.mark.parametrize(
    ("version", "key", "expected"),
    [(0, "a", None), (1, "a", 1), (1, "b", None), (3, "a", 3), (2, "a", 1), (4, "a", 5)],
    ids=["empty", "first", "not-yet", "set-again", "before-set-again", "set-a-third-time"],
)
def test_a_lookup_sees_the_last_value_set_before_its_version(version: int, key: str, expected: int | None) -> None:
    found = versions(("a", 1), ("b", 2), ("a", 3), ("a", 5))
    assert found[version].get(key) == expected
    assert (key in found[version]) == (expected is not None)


def test_setting_an_older_version_branches_without_changing_the_newer() -> None:
    _, one, two = versions(("a", 1), ("b", 2))
    branch = one.set("c", 3)
    assert (dict(branch), dict(two), dict(one)) == ({"a": 1, "c": 3}, {"a": 1, "b": 2}, {"a": 1})
    assert dict(two.set("d", 4)) == {"a": 1, "b": 2, "d": 4}


def test_keys_come_in_the_order_first_set() -> None:
    *_, last = versions(("b", 1), ("a", 2), ("b", 3))
    assert list(last) == ["b", "a"]


def test_versions_pickle_to_what_they_see() -> None:
    _, one, two = versions(("a", 1), ("b", 2))
    assert pickle.loads(pickle.dumps((one, two))) == ({"a": 1}, {"a": 1, "b": 2})


def test_ten_thousand_versions_take_linear_memory() -> None:
    """Copying a dict per version held 50 million entries here (hundreds of MB); sharing holds 10,000."""
    tracemalloc.start()
    try:
        found = versions(*((f"name{k}", k) for k in range(10_000)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(found[-1]) == 10_000
    assert found[5_000].get("name4999") == 4999
    assert "name5000" not in found[5_000]
    assert peak < 20 * 1024 * 1024
