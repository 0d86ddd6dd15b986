"""Plain-data wire format between the trusted grader and the sandbox: JSON frames, arrays as bytes.

This file is copied into the sandbox as it is, so it imports nothing from the kit.
Nothing is ever unpickled: the trusted side rebuilds values from JSON and raw bytes alone.
"""

from __future__ import annotations

import base64
import json
import math
import re
import struct

import numpy as np

MAX_FRAME = 64 * 2**20  # bytes in one message
MAX_DEPTH = 16  # nesting of lists, tuples and dicts
MAX_ITEMS = 1_000_000  # elements in one array or entries in one container
MAX_PARTS = 2 * MAX_ITEMS  # commas and containers in one frame: bounds the time to parse it
MAX_NDIM = 6
MAX_RNG_STATE = 20_000  # characters of a random generator's state
RNG_KINDS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
FLOAT_SOURCES = ("float16", "float32", "float64")
WIRE_DTYPES = {"f8": np.dtype("<f8"), "i8": np.dtype("<i8"), "b1": np.dtype("|b1")}


class WireError(ValueError):
    """A message that is not valid plain data."""


class SeededRng:
    """A request for `np.random.default_rng(seed)` on the other side: generators are not data."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)

    def __repr__(self) -> str:
        return f"SeededRng({self.seed})"


class Unreadable:
    """Stands for a value the sandbox could not express as plain data."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<unreadable {self.type_name}>"


# ---------------------------------------------------------------- encoding (either side)


def _encode_array(a: np.ndarray) -> dict:
    a = np.asarray(a).view(np.ndarray) if isinstance(a, np.ndarray) else np.asarray(a)
    kind = a.dtype.kind
    if kind == "f":
        src = a.dtype.name if a.dtype.name in FLOAT_SOURCES else "float64"
        tag, data = "f8", np.ascontiguousarray(a, dtype="<f8")
    elif kind in "iu":
        src, tag, data = "int64", "i8", np.ascontiguousarray(a, dtype="<i8")
    elif kind == "b":
        src, tag, data = "bool", "b1", np.ascontiguousarray(a, dtype="|b1")
    else:
        return {"u": f"array of dtype {a.dtype}"}
    raw = base64.b64encode(data.tobytes()).decode()
    return {"a": tag, "src": src, "s": list(a.shape), "b": raw}


def encode(x: object, depth: int = 0) -> object:
    """Turn a value into JSON-ready plain data; anything else becomes an 'unreadable' marker."""
    if depth >= MAX_DEPTH:
        return {"u": "value nested too deeply"}
    if x is None or type(x) in (bool, str):
        return x
    if type(x) is int:
        return x if abs(x) < 2**63 else float(x)
    if type(x) is float:
        return x if math.isfinite(x) else {"x": repr(x)}
    if isinstance(x, SeededRng):
        return {"rng": x.seed}
    if isinstance(x, np.random.Generator):  # its exact state: a stand-in may draw from it
        state = x.bit_generator.state
        return {"g": json.dumps(state, default=lambda v: np.asarray(v).tolist())}
    if isinstance(x, np.ndarray):
        return _encode_array(x)
    if isinstance(x, np.generic):
        enc = _encode_array(np.asarray(x))
        return {**enc, "scalar": True} if "a" in enc else enc
    if type(x) in (list, tuple):
        items = [encode(v, depth + 1) for v in x[:MAX_ITEMS]]
        return items if type(x) is list else {"t": items}
    if type(x) is dict and all(type(k) is str for k in x):
        return {"d": {k: encode(v, depth + 1) for k, v in list(x.items())[:MAX_ITEMS]}}
    return {"u": type(x).__name__}


# ---------------------------------------------------------------- decoding (trusted side)


def _decode_array(m: dict) -> np.ndarray | np.generic:
    tag, shape, src = m.get("a"), m.get("s"), m.get("src", "float64")
    if tag not in WIRE_DTYPES or not isinstance(m.get("b"), str):
        raise WireError("bad array tag")
    if not isinstance(shape, list) or len(shape) > MAX_NDIM:
        raise WireError("bad array shape")
    if not all(type(d) is int and 0 <= d <= MAX_ITEMS for d in shape):
        raise WireError("bad array dimension")
    count = math.prod(shape)
    dtype = WIRE_DTYPES[tag]
    if count > MAX_ITEMS or len(m["b"]) > 4 * (count * dtype.itemsize + 2) // 3 + 4:
        raise WireError("array too large")
    raw = base64.b64decode(m["b"], validate=True)
    if len(raw) != count * dtype.itemsize:
        raise WireError("array bytes do not match its shape")
    arr = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if tag == "f8" and src in ("float16", "float32"):
        arr = arr.astype(src)
    if m.get("scalar") is True:
        return arr.reshape(())[()]
    return arr


def _decode_generator(text: str) -> np.random.Generator:
    state = json.loads(text)
    kind = state.get("bit_generator") if isinstance(state, dict) else None
    if kind not in RNG_KINDS:
        raise WireError("unknown random generator")
    bit_generator = getattr(np.random, kind)()
    bit_generator.state = state
    return np.random.Generator(bit_generator)


def decode(m: object) -> object:
    """Rebuild a value from plain data; raises WireError on anything malformed."""
    try:
        return _decode(m, 0)
    except WireError:
        raise
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as e:
        raise WireError(f"malformed value ({type(e).__name__})") from None


def _decode(m: object, depth: int) -> object:
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if type(m) is int and abs(m) >= 2**63:  # never sent by encode(): forged, or a huge JSON number
        return float(m)
    if m is None or type(m) in (bool, int, float, str):
        return m
    if type(m) is list:
        if len(m) > MAX_ITEMS:
            raise WireError("list too long")
        return [_decode(v, depth + 1) for v in m]
    if type(m) is not dict or len(m) == 0:
        raise WireError("unexpected value")
    if "a" in m:
        return _decode_array(m)
    if "t" in m and type(m["t"]) is list:
        return tuple(_decode(v, depth + 1) for v in m["t"])
    if "d" in m and type(m["d"]) is dict:
        return {str(k): _decode(v, depth + 1) for k, v in m["d"].items()}
    if "x" in m and m["x"] in ("nan", "inf", "-inf"):
        return float(m["x"])
    if "rng" in m and type(m["rng"]) is int:
        return np.random.default_rng(m["rng"])
    if "g" in m and type(m["g"]) is str and len(m["g"]) <= MAX_RNG_STATE:
        return _decode_generator(m["g"])
    if "u" in m and type(m["u"]) is str:
        return Unreadable(re.sub(r"[^\w. ]", "?", m["u"])[:60])
    raise WireError("unknown value tag")


# ---------------------------------------------------------------- framing


def frame(message: dict) -> bytes:
    """One JSON message, prefixed by its length; a too large one becomes a ResultTooLarge error."""
    body = json.dumps(message, allow_nan=False).encode()
    if len(body) > MAX_FRAME:
        too_large = {"ok": False, "id": message.get("id"),
                     "error": {"type": "ResultTooLarge", "message": ""}}  # fmt: skip
        body = json.dumps(too_large).encode()
    return struct.pack("<Q", len(body)) + body


def write_frame(fd: int, message: dict) -> None:
    """Send one JSON message (blocking: the sandbox's side)."""
    import os

    data = frame(message)
    while data:
        data = data[os.write(fd, data) :]


def parse_frame(body: bytes) -> dict:
    """Parse one received frame body; raises WireError on anything but a JSON object."""
    if sum(map(body.count, (b",", b"[", b"{"))) > MAX_PARTS:  # counted in C, before parsing
        raise WireError("frame holds too many values")
    try:
        msg = json.loads(body)
    except (ValueError, RecursionError) as e:
        raise WireError("frame is not JSON") from e
    if type(msg) is not dict:
        raise WireError("frame is not an object")
    return msg


def same(a: object, b: object) -> bool:
    """Whether two values are equal, arrays and containers included (the mutation check)."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, True)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    return True
