"""Runs an ONNX model with the ONNX Runtime native library the service itself uses, from Python, via ctypes.

Run with Debian's interpreter, /usr/bin/python3. Debian has no python3-onnxruntime (and there is no PyPI
here), so the export self-test checks its ONNX files with the library that the service loads: the one in
the Microsoft.ML.OnnxRuntime NuGet package (restored by any `dotnet build` of the solution), through the
stable C API: OrtGetApiBase()->GetApi(version) returns a table of function pointers (slots counted from
onnxruntime_c_api.h, append-only across releases). This is test tooling only; the service goes through
the official managed API (Microsoft.ML.OnnxRuntime.Managed).
"""
import ctypes as C
import os
from pathlib import Path

import numpy as np

API_VERSION = 30
SLOT = {
    "GetErrorMessage": 2, "CreateEnv": 3, "CreateSession": 7, "Run": 9, "CreateSessionOptions": 10,
    "SetIntraOpNumThreads": 24, "CreateTensorWithDataAsOrtValue": 49, "GetTensorMutableData": 51,
    "GetDimensionsCount": 61, "GetDimensions": 62, "GetTensorTypeAndShape": 65, "CreateCpuMemoryInfo": 69,
    "ReleaseEnv": 92, "ReleaseStatus": 93, "ReleaseMemoryInfo": 94, "ReleaseSession": 95, "ReleaseValue": 96,
    "ReleaseTensorTypeAndShapeInfo": 99, "ReleaseSessionOptions": 100,
}
P = C.c_void_p
PP = C.POINTER(C.c_void_p)
SIGNATURES = {
    "GetErrorMessage": (C.c_char_p, [P]),
    "CreateEnv": (P, [C.c_int, C.c_char_p, PP]),
    "CreateSession": (P, [P, C.c_char_p, P, PP]),
    "Run": (P, [P, P, C.POINTER(C.c_char_p), PP, C.c_size_t, C.POINTER(C.c_char_p), C.c_size_t, PP]),
    "CreateSessionOptions": (P, [PP]),
    "SetIntraOpNumThreads": (P, [P, C.c_int]),
    "CreateTensorWithDataAsOrtValue": (P, [P, P, C.c_size_t, C.POINTER(C.c_int64), C.c_size_t, C.c_int, PP]),
    "GetTensorMutableData": (P, [P, PP]),
    "GetDimensionsCount": (P, [P, C.POINTER(C.c_size_t)]),
    "GetDimensions": (P, [P, C.POINTER(C.c_int64), C.c_size_t]),
    "GetTensorTypeAndShape": (P, [P, PP]),
    "CreateCpuMemoryInfo": (P, [C.c_int, C.c_int, PP]),
    **{name: (None, [P]) for name in SLOT if name.startswith("Release")},
}
ORT_LOGGING_LEVEL_ERROR = 3
ORT_ARENA_ALLOCATOR, ORT_MEM_TYPE_DEFAULT = 1, 0
ELEMENT_FLOAT, ELEMENT_INT64 = 1, 7


ORT_VERSION = "1.31.0"


def default_library():
    """$G3_ONNXRUNTIME_LIBRARY, else the NuGet package's linux-x64 library in the global packages folder."""
    env = os.environ.get("G3_ONNXRUNTIME_LIBRARY")
    if env:
        return Path(env)
    packages = Path(os.environ.get("NUGET_PACKAGES") or Path.home() / ".nuget" / "packages")
    for package in ("microsoft.ml.onnxruntime", "microsoft.ml.onnxruntime.gpu.linux"):
        candidate = packages / package / ORT_VERSION / "runtimes" / "linux-x64" / "native" / "libonnxruntime.so"
        if candidate.is_file():
            return candidate
    raise SystemExit(f"ONNX Runtime {ORT_VERSION} not found in the NuGet packages folder {packages}; "
                     "run `dotnet build` once (restores Microsoft.ML.OnnxRuntime) or set G3_ONNXRUNTIME_LIBRARY")


class OrtError(RuntimeError):
    pass


class Runtime:
    def __init__(self, library=None):
        lib = C.CDLL(str(library or default_library()))
        lib.OrtGetApiBase.restype = C.POINTER(P * 2)
        base = lib.OrtGetApiBase().contents
        get_api = C.CFUNCTYPE(P, C.c_uint32)(base[0])
        table = get_api(API_VERSION)
        if not table:
            raise OrtError(f"the ONNX Runtime library does not offer C API version {API_VERSION}")
        slots = (P * (max(SLOT.values()) + 1)).from_address(table)
        self._fn = {}
        for name, slot in SLOT.items():
            restype, argtypes = SIGNATURES[name]
            self._fn[name] = C.CFUNCTYPE(restype, *argtypes)(slots[slot])
        self.env = self._out("CreateEnv", ORT_LOGGING_LEVEL_ERROR, b"g3-export-selftest")
        self.memory = self._out("CreateCpuMemoryInfo", ORT_ARENA_ALLOCATOR, ORT_MEM_TYPE_DEFAULT)

    def _check(self, status):
        if status:
            message = self._fn["GetErrorMessage"](status).decode("utf-8", "replace")
            self._fn["ReleaseStatus"](status)
            raise OrtError(message)

    def _out(self, name, *args):
        out = P()
        self._check(self._fn[name](*args, C.byref(out)))
        return out

    def session(self, model_path, threads=2):
        return Session(self, model_path, threads)


class Session:
    def __init__(self, runtime, model_path, threads):
        self.rt = runtime
        options = runtime._out("CreateSessionOptions")
        try:
            runtime._check(runtime._fn["SetIntraOpNumThreads"](options, threads))
            self.handle = runtime._out("CreateSession", runtime.env, str(model_path).encode(), options)
        finally:
            runtime._fn["ReleaseSessionOptions"](options)

    def run(self, inputs, output_names):
        """inputs: {name: ndarray} (int64 arrays stay int64, token ids; anything else becomes float32);
        returns a list of float32 ndarrays in output_names' order."""
        fn = self.rt._fn
        arrays = [np.ascontiguousarray(a, dtype=np.int64 if np.asarray(a).dtype == np.int64 else np.float32) for a in inputs.values()]
        values = []
        try:
            for a in arrays:
                shape = (C.c_int64 * a.ndim)(*a.shape)
                kind = ELEMENT_INT64 if a.dtype == np.int64 else ELEMENT_FLOAT
                values.append(self.rt._out("CreateTensorWithDataAsOrtValue", self.rt.memory,
                                           a.ctypes.data_as(P), a.nbytes, shape, a.ndim, kind))
            in_names = (C.c_char_p * len(arrays))(*[n.encode() for n in inputs])
            out_names = (C.c_char_p * len(output_names))(*[n.encode() for n in output_names])
            outs = (P * len(output_names))()
            self.rt._check(fn["Run"](self.handle, None, in_names, (P * len(values))(*values), len(values),
                                     out_names, len(output_names), outs))
            return [self._to_numpy(o) for o in outs]
        finally:
            for v in values:
                fn["ReleaseValue"](v)

    def _to_numpy(self, value):
        fn = self.rt._fn
        try:
            info = self.rt._out("GetTensorTypeAndShape", value)
            try:
                count = C.c_size_t()
                self.rt._check(fn["GetDimensionsCount"](info, C.byref(count)))
                dims = (C.c_int64 * count.value)()
                self.rt._check(fn["GetDimensions"](info, dims, count.value))
            finally:
                fn["ReleaseTensorTypeAndShapeInfo"](info)
            data = self.rt._out("GetTensorMutableData", value)
            n = int(np.prod(list(dims))) if count.value else 1
            return np.ctypeslib.as_array(C.cast(data, C.POINTER(C.c_float)), shape=(n,)).copy().reshape(list(dims))
        finally:
            fn["ReleaseValue"](value)

    def close(self):
        self.rt._fn["ReleaseSession"](self.handle)
