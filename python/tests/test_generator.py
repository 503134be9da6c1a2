"""diaggauss.Generator (numpy's Generator interface): values equal the C API's for the offsets its position
gives, no Philox block is ever used twice, shapes / dtypes / out= behave as numpy's."""
import numpy as np
import pytest

import diaggauss as dg


def test_standard_normal_equals_c_api_float32_and_float64():
    g = dg.Generator(1)
    a = g.standard_normal((3, 4), dtype=np.float32)
    assert a.shape == (3, 4) and a.dtype == np.float32
    np.testing.assert_array_equal(a.ravel(), dg.normal(12, seed=1, dtype=np.float32))
    # 12 float32 normals fill blocks 0..2 (4 a block): the next call starts at block 3.
    assert g.position == 3
    b = g.standard_normal(5)
    np.testing.assert_array_equal(b, dg.normal(5, seed=1, offset=2 * 3))
    assert g.position == 3 + 3  # 5 float64 normals need 3 blocks (2 a block)


def test_no_block_is_reused_across_calls_and_dtypes():
    """Raw words behind every call: the blocks each call touched are disjoint and contiguous."""
    g = dg.Generator(7, stream=3)
    calls = [("standard_normal", np.float64, 3), ("random", np.float32, 5), ("standard_normal", np.float32, 1),
             ("random", np.float64, 7), ("standard_normal", np.float64, 1)]
    per_block = {("standard_normal", np.float64): 2, ("standard_normal", np.float32): 4,
                 ("random", np.float64): 2, ("random", np.float32): 4}
    used = []
    for name, dt, n in calls:
        start = g.position
        values = getattr(g, name)(n, dtype=dt)
        per = per_block[(name, dt)]
        kernel = dg.normal if name == "standard_normal" else dg.uniform
        np.testing.assert_array_equal(values, kernel(n, seed=7, stream=3, offset=start * per, dtype=dt))
        blocks = set(range(start, g.position))
        assert len(blocks) == -(-n // per)
        assert not blocks & set(used)
        used.extend(blocks)
    assert sorted(used) == list(range(len(used)))


def test_scalar_size_none_and_out():
    g = dg.Generator(5)
    x = g.standard_normal()
    assert isinstance(x, np.float64) and x == dg.normal(1, seed=5)[0]
    y = g.random(dtype=np.float32)
    assert isinstance(y, np.float32) and 0 < y < 1
    out = np.empty((2, 3), np.float32)
    r = g.standard_normal(dtype=np.float32, out=out)
    assert r is out
    with pytest.raises(dg.Error, match="size"):
        g.standard_normal((3, 2), dtype=np.float32, out=out)
    with pytest.raises(TypeError, match="dtype"):
        g.standard_normal(dtype=np.float64, out=out)
    with pytest.raises(TypeError, match="C-contiguous"):
        g.random(dtype=np.float32, out=np.empty((4, 6), np.float32)[:, ::2])
    with pytest.raises(TypeError, match="dtype"):
        g.standard_normal(3, dtype=np.int32)


def test_random_open_interval_and_c_api():
    g = dg.Generator(11)
    u = g.random((1000,))
    assert np.all((u > 0) & (u < 1))
    np.testing.assert_array_equal(u, dg.uniform(1000, seed=11))


def test_normal_loc_scale_broadcast_like_numpy():
    g, ref = dg.Generator(3), dg.Generator(3)
    loc = np.array([0.0, 10.0, -5.0])
    scale = np.array([1.0, 2.0, 0.5])
    x = g.normal(loc, scale, size=(4, 3))
    np.testing.assert_array_equal(x, loc + scale * ref.standard_normal((4, 3)))
    assert g.normal(loc, scale).shape == (3,)
    assert isinstance(g.normal(), float)
    with pytest.raises(dg.Error, match="scale"):
        g.normal(0.0, -1.0)


def test_seed_none_draws_from_os_and_reads_back():
    a, b = dg.Generator(), dg.Generator()
    assert a.seed != b.seed  # 2^-64 chance of a false failure
    np.testing.assert_array_equal(a.standard_normal(8), dg.Generator(a.seed).standard_normal(8))


def test_seed_and_stream_validation():
    for bad in (-1, 1 << 64):
        with pytest.raises(dg.Error, match="seed"):
            dg.Generator(bad)
        with pytest.raises(dg.Error, match="stream"):
            dg.Generator(1, stream=bad)
    with pytest.raises(TypeError, match="seed"):
        dg.Generator(1.5)
    assert dg.Generator((1 << 64) - 1).seed == (1 << 64) - 1


def test_spawn_gives_distinct_streams_and_same_values_twice():
    g = dg.Generator(9)
    kids = g.spawn(4)
    streams = [k.stream for k in kids]
    assert len(set(streams + [g.stream])) == 5
    assert all(k.seed == 9 and k.position == 0 for k in kids)
    more = g.spawn(2)  # later children continue the count: no repeats
    assert not {k.stream for k in more} & set(streams)
    again = dg.Generator(9).spawn(4)  # reproducible
    assert [k.stream for k in again] == streams
    draws = [k.standard_normal(1000) for k in kids]
    for i in range(4):
        for j in range(i + 1, 4):
            assert abs(np.corrcoef(draws[i], draws[j])[0, 1]) < 0.15
    np.testing.assert_array_equal(draws[0], dg.normal(1000, seed=9, stream=streams[0]))
