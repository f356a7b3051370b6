#!/usr/bin/env python3
"""scipy peer of the EDT benchmark (see bench/README.md); started by `HotDistance.Bench edt|all`.

Times scipy.ndimage.distance_transform_edt(mask, sampling=...) on the mask the C# side wrote: for every
non-zero voxel, the distance (not squared, float64, nm) from its centre to the nearest zero voxel's centre;
0 on zero voxels. scipy's EDT is single-threaded. Writes its measurements as JSON to --out and the last
result as raw float64 (C order) to --distances, so the C# side can check that both computed the same map.
"""
import argparse
import json
import platform
import resource
import time

import numpy as np
import scipy
from scipy import ndimage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mask", required=True, help="raw uint8 mask, C order (z, y, x)")
    parser.add_argument("--shape", required=True, help="z,y,x")
    parser.add_argument("--sampling", required=True, help="voxel size z,y,x in nm")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--benchmark", required=True)
    parser.add_argument("--distances", help="where to write the last result (raw float64)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    shape = tuple(int(v) for v in args.shape.split(","))
    sampling = tuple(float(v) for v in args.sampling.split(","))
    mask = np.fromfile(args.mask, dtype=np.uint8).reshape(shape)

    seconds, cpu_seconds = [], []
    result = None
    for _ in range(args.repeats):
        result = None  # drop the previous map first, so the peak is one run's
        start, start_cpu = time.perf_counter(), time.process_time()
        result = ndimage.distance_transform_edt(mask, sampling=sampling)
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - start_cpu)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    if args.distances:
        np.ascontiguousarray(result, dtype=np.float64).tofile(args.distances)

    measurement = {
        "benchmark": args.benchmark,
        "implementation": f"scipy {scipy.__version__} ndimage.distance_transform_edt (1 thread)",
        "side": "python",
        "seconds": seconds,
        "cpuSeconds": cpu_seconds,
        "peakRssKiB": peak_kib,
        "details": {
            "threads": 1,
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "computes": "distance_transform_edt(mask, sampling): float64 distance (nm) of every non-zero voxel "
            "centre to the nearest zero voxel centre",
        },
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump([measurement], out)


if __name__ == "__main__":
    main()
