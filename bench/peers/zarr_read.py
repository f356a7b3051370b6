#!/usr/bin/python3
"""zarr-python side of the Zarr read benchmark (bench/README.md, "Zarr read throughput").

  zarr_read.py write DIR SIZE        writes DIR/zstd.zarr and DIR/blosc-lz4.zarr: SIZE^3 uint8, 64^3 chunks
  zarr_read.py read PATH REPEATS     reads the whole array REPEATS times; prints JSON seconds and a checksum
"""

import json
import resource
import sys
import time

import numcodecs
import numpy as np
import zarr
from scipy import ndimage


def write(directory, size):
    # Organelle-like plateaus (16 grey levels of smoothed noise) with sparse speckle: both codecs really compress
    # it (blosc-lz4 stores FIB-SEM-like dense noise uncompressed, which would time a memcpy, not lz4).
    rng = np.random.default_rng(7)
    structure = ndimage.gaussian_filter(rng.normal(0, 1, (size, size, size)).astype(np.float32), 4)
    structure = (structure - structure.min()) / (structure.max() - structure.min())
    data = (40 + 12 * np.round(structure * 15)).astype(np.int16)
    speckle = rng.random(structure.shape) < 0.1
    data[speckle] += rng.integers(-3, 4, size=int(speckle.sum()), dtype=np.int16)
    data = np.clip(data, 0, 255).astype(np.uint8)
    for name, compressor in (("zstd", numcodecs.Zstd(level=3)),
                             ("blosc-lz4", numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE))):
        z = zarr.open_array(f"{directory}/{name}.zarr", mode="w", shape=data.shape, chunks=(64, 64, 64), dtype="u1",
                            compressor=compressor, dimension_separator="/")
        z[...] = data


def read(path, repeats):
    seconds = []
    cpu = []
    checksum = None
    zarr.open_array(path, mode="r")[...]  # untimed warm-up, as on the C# side
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        values = zarr.open_array(path, mode="r")[...]
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        checksum = int(values.astype(np.uint64).sum())
    print(json.dumps({
        "seconds": seconds,
        "cpuSeconds": cpu,
        "checksum": checksum,
        "peakRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "versions": {"zarr": zarr.__version__, "numcodecs": numcodecs.__version__, "numpy": np.__version__},
    }))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]))
    else:
        read(sys.argv[2], int(sys.argv[3]))
