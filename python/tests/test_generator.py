"""diaggauss.Generator (numpy's Generator interface): values equal the C API's for the offsets its position
gives, no Philox block is ever used twice, shapes / dtypes / out= behave as numpy's."""
import pickle

import numpy as np
import pytest

import diaggauss as dg


def test_standard_normal_equals_c_api_float32_and_float64():
    g = dg.Generator(1)
    a = g.standard_normal((3, 4), dtype=np.float32)
    assert a.shape == (3, 4) and a.dtype == np.float32
    np.testing.assert_array_equal(a.ravel(), dg.normal(12, seed=1, dtype=np.float32))
    # 12 float32 normals take one unit of 64 (16 blocks): the next call starts at the next unit of its own type.
    assert g.position == 16
    b = g.standard_normal(5)
    # float64 normals come in units of 24 blocks (64 normals): the first boundary at or after block 16 is 24.
    np.testing.assert_array_equal(b, dg.normal(5, seed=1, offset=64))
    assert g.position == 48


# ---- which Philox blocks a draw reads (docs/random-stream.md, version 2), written from the spec's index mapping --
def _spec_blocks(kind, dt, first, n):
    """The blocks elements first .. first+n-1 of a kind read."""
    i = np.arange(first, first + n, dtype=np.int64)
    if kind == "standard_normal" and dt == np.float64:  # triple t = 8 (i >> 6) + (i & 7): blocks 3t .. 3t+2
        t = 8 * (i >> 6) + (i & 7)
        return set((3 * t).tolist()) | set((3 * t + 1).tolist()) | set((3 * t + 2).tolist())
    if kind == "standard_normal":  # float normal: block 16 (i >> 6) + (i & 15)
        return set((16 * (i >> 6) + (i & 15)).tolist())
    return set((i >> (1 if dt == np.float64 else 2)).tolist())  # uniforms: 2 doubles or 4 floats a block


def _offset_found(values, kind, dt, seed, stream, limit):
    """Where in the stream a draw's values are: every offset o < limit with kernel(o .. o+n-1) == values."""
    kernel = dg.normal if kind == "standard_normal" else dg.uniform
    ref = kernel(limit + len(values), seed=seed, stream=stream, dtype=dt)
    win = np.lib.stride_tricks.sliding_window_view(ref, len(values))[:limit]
    return np.flatnonzero(np.all(win == values, axis=1)).tolist()


def test_no_block_is_reused_across_calls_and_dtypes():
    """The blocks each call really reads (located by its values in the stream, mapped to blocks by the spec) are
    disjoint from every earlier call's, at or after the position before the call and below the one after.  On the
    bookkeeping of stream version 1 (one block per 2 or 4 values of every kind) the float32 uniforms after three
    float64 normals read block 2, the first normals' angle words."""
    seed, stream = 7, 3
    g = dg.Generator(seed, stream=stream)
    calls = [("standard_normal", np.float64, 3), ("random", np.float32, 5), ("standard_normal", np.float32, 2),
             ("random", np.float64, 7), ("standard_normal", np.float64, 1), ("standard_normal", np.float32, 70),
             ("random", np.float32, 3), ("standard_normal", np.float64, 130), ("random", np.float64, 2),
             ("standard_normal", np.float32, 1), ("standard_normal", np.float64, 64)]
    # A draw's unit (docs/random-stream.md, diaggauss::Stream): (blocks, values).
    units = {("standard_normal", np.float64): (24, 64), ("standard_normal", np.float32): (16, 64),
             ("random", np.float64): (1, 2), ("random", np.float32): (1, 4)}
    used = set()
    for name, dt, n in calls:
        start = g.position
        values = getattr(g, name)(n, dtype=dt)
        found = _offset_found(values, name, dt, seed, stream, limit=64 * 32)
        assert len(found) == 1, (name, dt, n, found)
        blocks = _spec_blocks(name, dt, found[0], n)
        assert not blocks & used, f"{name} {np.dtype(dt)} {n} reuses blocks {sorted(blocks & used)[:8]}"
        assert min(blocks) >= start and max(blocks) < g.position, (name, dt, n, start, g.position)
        used |= blocks
        # The rule itself: the first unit boundary of the type at or after the position, whole units.
        ub, ue = units[(name, np.dtype(dt).type)]
        first = -(-start // ub)
        assert found[0] == first * ue
        assert g.position == (first - (-n // ue)) * ub


def test_positions_and_values_equal_the_cpp_stream():
    """The positions a C++ diaggauss::Stream(5, 9) reports after each of these draws (printed by a program calling
    Stream::normal<T> / uniform<T> in this order), and the values at the offsets that gives."""
    g = dg.Generator(5, stream=9)
    steps = [("n", np.float64, 3, 24), ("n", np.float32, 5, 48), ("u", np.float64, 1, 49), ("u", np.float32, 7, 51),
             ("n", np.float64, 1, 96), ("n", np.float32, 0, 96), ("n", np.float32, 1, 112), ("n", np.float32, 70, 144),
             ("n", np.float64, 130, 216), ("u", np.float64, 2, 217), ("u", np.float32, 0, 217)]
    first = {"n": {np.float64: 24, np.float32: 16}, "u": {np.float64: 1, np.float32: 1}}
    per = {"n": {np.float64: 64, np.float32: 64}, "u": {np.float64: 2, np.float32: 4}}
    for kind, dt, n, after in steps:
        start = g.position
        got = (g.standard_normal if kind == "n" else g.random)(n, dtype=dt)
        kernel = dg.normal if kind == "n" else dg.uniform
        offset = -(-start // first[kind][dt]) * per[kind][dt]
        np.testing.assert_array_equal(got, kernel(n, seed=5, stream=9, offset=offset, dtype=dt))
        assert g.position == after, (kind, dt, n)
    # Two values printed by the C++ program (the first float64 normal, the float64 uniform after block 48).
    h = dg.Generator(5, stream=9)
    assert h.standard_normal(3)[0] == -0.020674343234883978
    h.standard_normal(5, dtype=np.float32)
    assert h.random() == 0.29822745384480742


def test_float64_normal_and_float32_uniforms_are_independent():
    """The audit's reproducer: a float64 normal's angle word (block 2, word 0) was u[4] of the next float32
    uniforms, so the normal's sign was always that of cos(2 pi u[4])."""
    agree = 0
    for s in range(2000):
        g = dg.Generator(s)
        z = g.standard_normal()
        u = g.random(8, dtype=np.float32)
        agree += np.sign(z) == np.sign(np.cos(2 * np.pi * float(u[4])))
    assert 0.4 < agree / 2000 < 0.6


def test_empty_draws_read_nothing():
    g = dg.Generator(2)
    g.random(3)
    assert g.position == 2
    assert g.standard_normal(0).shape == (0,) and g.standard_normal((4, 0), dtype=np.float32).shape == (4, 0)
    assert g.position == 2  # as diaggauss::Stream: no block read, the position stays


def test_failed_calls_leave_the_position_alone():
    g = dg.Generator(1)
    a = g.standard_normal(10)
    pos = g.position
    with pytest.raises(dg.Error, match="size = -9 is negative"):
        g.standard_normal(-9)
    with pytest.raises(dg.Error, match=r"size = \(2, -1\) is negative"):
        g.random((2, -1))
    with pytest.raises(TypeError, match="C-contiguous"):
        g.standard_normal(out=np.zeros(8)[::2])
    read_only = np.zeros(4)
    read_only.flags.writeable = False
    with pytest.raises(TypeError, match="read-only"):
        g.random(out=read_only)
    with pytest.raises(TypeError, match="out must be a numpy.ndarray, got list"):
        g.standard_normal(out=[0.0, 0.0])
    with pytest.raises(TypeError, match="size must be"):
        g.standard_normal(2.5)
    with pytest.raises(dg.Error, match="size = 1180591620717411303424 is too large"):
        g.standard_normal(2**70)
    with pytest.raises(dg.Error, match="too large"):
        g.random((2**40, 2**40))
    with pytest.raises(TypeError, match="dtype"):
        g.random(3, dtype=np.int64)
    with pytest.raises(dg.Error, match="broadcast"):
        g.normal(np.zeros(3), 1.0, size=(4, 2))
    assert g.position == pos
    b = dg.Generator(1)
    b.standard_normal(10)
    np.testing.assert_array_equal(g.standard_normal(8), b.standard_normal(8))  # no rewind, no repeat of a[2:]
    assert not np.isin(g.standard_normal(64), a).any()


def test_size_forms_like_numpy():
    g, ref = dg.Generator(4), dg.Generator(4)
    assert g.standard_normal(np.array([2, 3])).shape == (2, 3)
    ref.standard_normal((2, 3))
    np.testing.assert_array_equal(g.random(np.array(5)), ref.random(5))  # a 0-d integer array is an int
    np.testing.assert_array_equal(g.random([np.int64(2), 2], dtype=np.float32), ref.random((2, 2), dtype=np.float32))
    assert g.position == ref.position


def test_end_of_the_stream_refused_per_type():
    """Each type has 2^64 values: float32 normals end at block 2^62, float64 normals at 3 * 2^61, float64 uniforms
    at 2^63.  A draw past the end raises and moves nothing."""
    g = dg.Generator(1)
    state = g.__getstate__()
    g.__setstate__(dict(state, position=(1 << 62) - 16))
    g.standard_normal(4, dtype=np.float32)
    assert g.position == 1 << 62
    with pytest.raises(dg.Error, match="pass the end"):
        g.standard_normal(1, dtype=np.float32)
    assert g.position == 1 << 62
    g.standard_normal(64)  # float64 normals still have room
    g.__setstate__(dict(state, position=(1 << 63) - 1))
    g.random(2)
    with pytest.raises(dg.Error, match="pass the end"):
        g.random(1)
    assert g.position == 1 << 63


def test_pickle_keeps_the_position(tmp_path):
    g = dg.Generator(12, stream=5)
    g.standard_normal(3)
    g.spawn(2)
    h = pickle.loads(pickle.dumps(g))
    assert (h.seed, h.stream, h.position) == (g.seed, g.stream, g.position)
    np.testing.assert_array_equal(h.random(9, dtype=np.float32), g.random(9, dtype=np.float32))
    assert [k.stream for k in h.spawn(1)] == [k.stream for k in g.spawn(1)]


def test_old_pickles_skip_every_block_the_old_bookkeeping_read(monkeypatch):
    """A Generator pickled before the version-2 units (its instance dict, position counting one block per 2 or 4
    values) resumes past every block that Generator can have read."""
    old = dg.Generator(3)

    def old_state(self):  # what pickle stored for the old class: the instance dict
        return {"_seed": 3, "_stream": 0, "_block": 7, "_spawned": 0}
    monkeypatch.setattr(dg.Generator, "__getstate__", old_state)
    data = pickle.dumps(old)
    monkeypatch.undo()
    h = pickle.loads(data)
    # The old Generator at block 7 had read float64 normals up to index 13 (blocks < 24) and float32 normals up to
    # index 27 (blocks < 16).
    assert h.position == 24 and h.seed == 3
    with pytest.raises(ValueError, match="format"):
        dg.Generator(1).__setstate__({"format": 99})


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


def test_threads_sharing_one_generator_never_get_the_same_blocks():
    # The kernel runs with the GIL released and the position moves only after it: without the Generator's lock two
    # threads could claim the same unit.  Whole units (64 float32 normals = 16 blocks) from 4 threads must be
    # exactly the units of one thread drawing as many, in some order.
    import threading

    g = dg.Generator(77)
    per_thread, draws = 4, 300
    got, errors = [], []

    def work():
        try:
            mine = [g.standard_normal(64, dtype=np.float32).tobytes() for _ in range(draws)]
            got.extend(mine)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(per_thread)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert g.position == per_thread * draws * 16
    ref = dg.Generator(77)
    want = sorted(ref.standard_normal(64, dtype=np.float32).tobytes() for _ in range(per_thread * draws))
    assert sorted(got) == want
