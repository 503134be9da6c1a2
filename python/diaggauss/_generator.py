"""diaggauss.Generator: numpy's Generator interface over the counter-based Philox4x32-10 stream.

The stream is a function of (seed, stream, index) (docs/random-stream.md), so a Generator is nothing but a key and
a position.  The position counts Philox blocks (4 raw 32-bit words each) by the rule of the C++ diaggauss::Stream
(random-stream version 2): every draw takes whole units of its type's blocks -- 64 float64 normals are 24 blocks
(8 triples), 64 float32 normals 16 blocks, one block holds 2 float64 or 4 float32 uniforms -- starting at the first
unit boundary of its type at or after the position, and leaves the position after its last unit.  So no two draws
read the same block, whatever sizes and dtypes are mixed, and a Generator gives exactly the values of a C++
Stream(seed, stream) making the same sequence of draws: dg_normal_* / dg_uniform_* at offset
(first unit) * (elements per unit).  An empty draw reads no block and leaves the position alone; a call that fails
(bad size, dtype or out=) leaves it alone too.
"""
import math
import operator
import os
import sys
import threading

import numpy as np

from . import _core

_U64 = 1 << 64
# A draw's unit: (Philox blocks, elements) per kind and dtype (docs/random-stream.md, "The C++ diaggauss::Stream").
_UNITS = {
    ("normal", np.dtype(np.float64)): (24, 64),
    ("normal", np.dtype(np.float32)): (16, 64),
    ("uniform", np.dtype(np.float64)): (1, 2),
    ("uniform", np.dtype(np.float32)): (1, 4),
}
_KERNELS = {"normal": _core.normal, "uniform": _core.uniform}
_GOLDEN = 0x9E3779B97F4A7C15
# The pickled state's format: 2 = positions under the units above.  A state without "format" is the instance dict
# pickled by diaggauss before them (one block per 2 or 4 values of every kind): see Generator.__setstate__.
_STATE_FORMAT = 2


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
    """The shape a call fills: size (None, an int or a sequence of ints, numpy integers and integer arrays
    included, as numpy takes them), or out's shape when size is None.  Checked before anything is drawn."""
    if size is None:
        return None if out is None else tuple(out.shape)
    try:
        shape = (operator.index(size),)  # int, numpy integer, 0-d integer array
        shown = shape[0]
    except TypeError:
        try:
            shape = tuple(operator.index(s) for s in size)  # tuple, list, 1-D integer array
        except TypeError:
            raise TypeError(f"Generator.{fn}: size must be None, an int or a sequence of ints, got "
                            f"{type(size).__name__}") from None
        shown = shape
    if any(s < 0 for s in shape):
        raise _core.Error(f"Generator.{fn}: size = {shown} is negative", _core.E_INVALID_ARGUMENT)
    if any(s > sys.maxsize for s in shape) or math.prod(shape) > sys.maxsize:
        raise _core.Error(f"Generator.{fn}: size = {shown} is too large (more than {sys.maxsize} values)",
                          _core.E_INVALID_ARGUMENT)
    if out is not None and tuple(out.shape) != shape:
        raise _core.Error(f"Generator.{fn}: size {shape} and out.shape {tuple(out.shape)} differ",
                          _core.E_INVALID_ARGUMENT)
    return shape


def _dtype(dtype, fn):
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"Generator.{fn}: dtype must be numpy.float32 or numpy.float64, got {dt}")
    return dt


def _out(out, dt, fn):
    """out= checked as the kernels check it, before the position moves."""
    if out is None:
        return None
    if not isinstance(out, np.ndarray):
        raise TypeError(f"Generator.{fn}: out must be a numpy.ndarray, got {type(out).__name__}")
    if out.dtype != dt:
        raise TypeError(f"Generator.{fn}: out has dtype {out.dtype}, dtype is {dt}")
    if not out.flags.writeable:
        raise TypeError(f"Generator.{fn}: out is read-only")
    if not (out.flags.c_contiguous and out.flags.aligned):
        raise TypeError(f"Generator.{fn}: out must be C-contiguous and aligned (it is written in place, never copied)")
    return out


def _past_v1_blocks(position):
    """A position past every block a Generator pickled before the version-2 units can have read: it counted one
    block per 2 (float64) or 4 (float32) values of every kind, so its draws read normals up to index 2*position - 1
    (float64: blocks below 24 * ceil(position / 32)) or 4*position - 1 (float32: below 16 * ceil(position / 16))
    and uniforms below `position`."""
    return max(24 * -(-position // 32), 16 * -(-position // 16))


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
        self._lock = threading.Lock()

    @property
    def seed(self):
        """The Philox key (an int in [0, 2**64)); the one drawn from the OS when the Generator was made with None."""
        return self._seed

    @property
    def stream(self):
        return self._stream

    @property
    def position(self):
        """The next unused Philox block.  A draw starts at its unit's first boundary at or after it: the next
        float64 normals are dg_normal_f64(seed, stream, 64 * ceil(position / 24), ...), float32 normals
        dg_normal_f32(..., 64 * ceil(position / 16), ...), uniforms dg_uniform_f64(..., 2 * position, ...) /
        dg_uniform_f32(..., 4 * position, ...)."""
        return self._block

    def __repr__(self):
        return f"diaggauss.Generator(seed={self._seed}, stream={self._stream})  # position {self._block}"

    def __getstate__(self):
        return {"format": _STATE_FORMAT, "seed": self._seed, "stream": self._stream, "position": self._block,
                "spawned": self._spawned}

    def __setstate__(self, state):
        """Pickled states of this format are restored as they were.  A state without "format" comes from a diaggauss
        whose Generator counted one block per 2 or 4 values of every kind: its position is moved past every block
        that Generator can have read, so that nothing repeats (what follows differs from what it would have
        drawn: the same seed drawing the same calls gives other values under the version-2 units anyway)."""
        fmt = state.get("format")
        if fmt is None and "_block" in state:
            seed, stream = state["_seed"], state["_stream"]
            position, spawned = _past_v1_blocks(state["_block"]), state.get("_spawned", 0)
        elif fmt == _STATE_FORMAT:
            seed, stream, position, spawned = state["seed"], state["stream"], state["position"], state["spawned"]
        else:
            raise ValueError(f"diaggauss.Generator: pickled state format {fmt!r} is not one this diaggauss reads "
                             f"({_STATE_FORMAT})")
        self._seed, self._stream = _u64(seed, "seed"), _u64(stream, "stream")
        self._block, self._spawned = operator.index(position), operator.index(spawned)
        self._lock = threading.Lock()

    def _claim(self, kind, dt, count, fn):
        """(offset in values, position after) of a draw of `count` values: whole units of the kind's blocks from
        the first unit boundary at or after the position (diaggauss::Stream's rule).  Moves nothing: the caller
        sets the position once the values are there.  Refuses to pass the type's 2^64 values."""
        if count == 0:
            return 0, self._block  # an empty draw reads no block
        blocks, elements = _UNITS[kind, dt]
        first = -(-self._block // blocks)
        need = -(-count // elements)
        if first + need > _U64 // elements:
            raise _core.Error(f"Generator.{fn}: drawing {count} {dt} values from block {self._block} would pass the "
                              f"end of this (seed, stream) for them ({(_U64 // elements) * blocks} blocks); spawn() "
                              f"or a new seed", _core.E_INVALID_ARGUMENT)
        return first * elements, (first + need) * blocks

    def _fill(self, kind, fn, size, dtype, out):
        dt = _dtype(dtype, fn)
        out = _out(out, dt, fn)
        shape = _shape(size, out, fn)
        # One draw at a time per Generator (as numpy's bit generators lock): the kernel releases the GIL, and the
        # position moves only once it has succeeded, so without the lock two threads could claim the same blocks.
        with self._lock:
            offset, after = self._claim(kind, dt, 1 if shape is None else math.prod(shape), fn)
            result = _KERNELS[kind](1 if shape is None else shape, seed=self._seed, stream=self._stream,
                                    offset=offset, dtype=dt, out=out)
            self._block = after  # only once the call has succeeded
        return dt.type(result[0]) if shape is None else result

    def standard_normal(self, size=None, dtype=np.float64, out=None):
        """Standard normals: a scalar (numpy.float64 or numpy.float32) for size=None (and no out), else an array of
        shape size (an int or a sequence of ints).  out: a C-contiguous array of that dtype, filled in place and
        returned."""
        return self._fill("normal", "standard_normal", size, dtype, out)

    def random(self, size=None, dtype=np.float64, out=None):
        """Uniforms in the open interval (0, 1) (numpy's is [0, 1): 0 never comes out here)."""
        return self._fill("uniform", "random", size, dtype, out)

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
        size = _shape(size, None, "normal")
        try:  # before drawing: a call that fails leaves the position alone
            np.broadcast_shapes(loc.shape, scale.shape, size)
        except ValueError:
            raise _core.Error(f"Generator.normal: loc {loc.shape}, scale {scale.shape} and size {size} do not "
                              f"broadcast together", _core.E_INVALID_ARGUMENT) from None
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
        with self._lock:
            for _ in range(n):
                self._spawned += 1
                children.append(Generator(self._seed, _mix64(self._stream + _GOLDEN * self._spawned)))
        return children
