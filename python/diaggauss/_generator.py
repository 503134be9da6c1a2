"""diaggauss.Generator: numpy's Generator interface over the counter-based Philox4x32-10 stream.

The stream is a function of (seed, stream, index) (docs/random-stream.md), so a Generator is nothing but a key and
a position.  The position counts Philox blocks (4 raw 32-bit words each), and every call starts at a fresh block
and moves past every block it touched: no block is ever used twice, whatever the call sizes and dtypes.  A block
holds 2 float64 normals, 4 float32 normals, 2 float64 uniforms or 4 float32 uniforms, so the values of a call are
exactly the C API's dg_normal_* / dg_uniform_* with offset = position * (values per block).
"""
import operator
import os

import numpy as np

from . import _core

_U64 = 1 << 64
# Float normals and raw words stay below block 2^62 (and mixture selection uses blocks from 2^63): a Generator that
# would cross it refuses instead of wrapping around onto values it has already given.
_BLOCK_LIMIT = 1 << 62
_PER_BLOCK = {np.dtype(np.float64): 2, np.dtype(np.float32): 4}
_GOLDEN = 0x9E3779B97F4A7C15


def _mix64(x):
    """SplitMix64's finaliser: a bijection of 64-bit integers (distinct inputs give distinct outputs)."""
    x &= _U64 - 1
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & (_U64 - 1)
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & (_U64 - 1)
    return x ^ (x >> 31)


def _u64(value, name):
    try:
        v = operator.index(value)
    except TypeError:
        raise TypeError(f"Generator: {name} must be an int or None, got {type(value).__name__}") from None
    if not 0 <= v < _U64:
        raise _core.Error(f"Generator: {name} = {v} is outside [0, 2**64)", _core.E_INVALID_ARGUMENT)
    return v


def _shape(size, out, fn):
    """The shape a call fills: size (None, an int or a tuple), or out's shape when size is None."""
    if size is None:
        return None if out is None else out.shape
    shape = (operator.index(size),) if not isinstance(size, (tuple, list)) else tuple(operator.index(s) for s in size)
    if out is not None and tuple(out.shape) != shape:
        raise _core.Error(f"Generator.{fn}: size {shape} and out.shape {tuple(out.shape)} differ",
                          _core.E_INVALID_ARGUMENT)
    return shape


def _dtype(dtype, out, fn):
    dt = np.dtype(dtype)
    if dt not in _PER_BLOCK:
        raise TypeError(f"Generator.{fn}: dtype must be numpy.float32 or numpy.float64, got {dt}")
    if out is not None and out.dtype != dt:
        raise TypeError(f"Generator.{fn}: out has dtype {out.dtype}, dtype is {dt}")
    return dt


class Generator:
    """numpy.random.Generator's sampling interface on diaggauss's Philox4x32-10 stream (docs/python.md).

    Generator(seed=None, stream=0): seed and stream are unsigned 64-bit ints; seed=None draws one from the OS
    (os.urandom), readable back as .seed so that a run can be repeated.  Values equal the C API's for the same
    (seed, stream, offset): see .position.
    """

    def __init__(self, seed=None, stream=0):
        if seed is None:
            seed = int.from_bytes(os.urandom(8), "little")
        self._seed = _u64(seed, "seed")
        self._stream = _u64(stream, "stream")
        self._block = 0
        self._spawned = 0

    @property
    def seed(self):
        """The Philox key (an int in [0, 2**64)); the one drawn from the OS when the Generator was made with None."""
        return self._seed

    @property
    def stream(self):
        return self._stream

    @property
    def position(self):
        """The next unused Philox block.  The next float64 normal is dg_normal_f64(seed, stream, 2*position, ...)."""
        return self._block

    def __repr__(self):
        return f"diaggauss.Generator(seed={self._seed}, stream={self._stream})  # position {self._block}"

    def _claim(self, count, dtype):
        """Offset (in values of this kind) of `count` values starting at a fresh block; moves the position past."""
        per = _PER_BLOCK[dtype]
        blocks = -(-count // per)
        if self._block + blocks > _BLOCK_LIMIT:
            raise _core.Error("Generator: this (seed, stream) is used up (2**62 blocks); spawn() or a new seed",
                              _core.E_INVALID_ARGUMENT)
        offset = self._block * per
        self._block += blocks
        return offset

    def _fill(self, kernel, fn, size, dtype, out):
        dt = _dtype(dtype, out, fn)
        shape = _shape(size, out, fn)
        count = 1 if shape is None else int(np.prod(shape, dtype=np.int64))
        offset = self._claim(count, dt)
        result = kernel(1 if shape is None else shape, seed=self._seed, stream=self._stream, offset=offset,
                        dtype=dt, out=out)
        return dt.type(result[0]) if shape is None else result

    def standard_normal(self, size=None, dtype=np.float64, out=None):
        """Standard normals: a scalar for size=None (and no out), else an array of shape size (int or tuple).
        out: a C-contiguous array of that dtype, filled in place and returned."""
        return self._fill(_core.normal, "standard_normal", size, dtype, out)

    def random(self, size=None, dtype=np.float64, out=None):
        """Uniforms in the open interval (0, 1) (numpy's is [0, 1): 0 never comes out here)."""
        return self._fill(_core.uniform, "random", size, dtype, out)

    def normal(self, loc=0.0, scale=1.0, size=None):
        """loc + scale * standard normal, float64, loc and scale broadcast as numpy does (size=None: their shape).
        scale must be finite and >= 0."""
        loc = np.asarray(loc, dtype=np.float64)
        scale = np.asarray(scale, dtype=np.float64)
        if not np.all(np.isfinite(scale)) or np.any(scale < 0):
            raise _core.Error("Generator.normal: scale must be finite and >= 0", _core.E_INVALID_ARGUMENT)
        if size is None:
            size = np.broadcast_shapes(loc.shape, scale.shape)
            if size == ():
                return float(loc + scale * self.standard_normal())
        z = self.standard_normal(size)
        return loc + scale * z

    def spawn(self, n):
        """n new Generators on the same seed with their own streams (stream = a bijective mix of this one's stream
        and a running child count: children of one parent never share a stream; another family's stream equals
        one of theirs with probability about 2^-64 per pair).  Each starts at position 0."""
        n = operator.index(n)
        if n < 0:
            raise _core.Error("Generator.spawn: n is negative", _core.E_INVALID_ARGUMENT)
        children = []
        for _ in range(n):
            self._spawned += 1
            children.append(Generator(self._seed, _mix64(self._stream + _GOLDEN * self._spawned)))
        return children
