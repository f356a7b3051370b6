#!/usr/bin/env python3
"""scikit-image / numpy / scipy peer of the post-processing benchmarks (see bench/README.md).

On the inputs the C# side wrote (raw C-order files), times three things, each --repeats times after one
untimed run, single-threaded as these libraries are:
  cc         skimage.measure.label(mask, connectivity=3)            (26-connected components)
  watershed  skimage.segmentation.watershed(-t, markers=label(t > 0.5, connectivity=3), mask=t > 0,
             connectivity=3)                                          (seeded, 26-connected)
  metrics    numpy/scipy: voxel IoU of truth > 0 vs prediction > 0; instance IoUs from the overlap counts,
             Hungarian matching (scipy.optimize.linear_sum_assignment), symmetric Hausdorff distance (nm) of each
             match from EDTs over the pair's bounding box, capped at min(extent * voxel / 2); F1 and
             sqrt(F1 * mean 1.01^(-HD / |voxel|)) with unmatched instances at the cap.
"""
import argparse
import json
import platform
import resource
import time

import numpy as np
import scipy
import skimage
from scipy import ndimage
from scipy.optimize import linear_sum_assignment
from skimage.measure import label
from skimage.segmentation import watershed

VOXEL = np.array([8.0, 8.0, 8.0])
SEED = 0.5


def timed(repeats, run):
    result = run()
    seconds, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return seconds, cpu, result


def hausdorff(truth, prediction, t, p, box):
    a = truth[box] == t
    b = prediction[box] == p
    to_a = ndimage.distance_transform_edt(~a, sampling=VOXEL)
    to_b = ndimage.distance_transform_edt(~b, sampling=VOXEL)
    return max(to_b[a].max(initial=0.0), to_a[b].max(initial=0.0))


def metrics(truth, prediction):
    t_any, p_any = truth > 0, prediction > 0
    tp = np.count_nonzero(t_any & p_any)
    fp = np.count_nonzero(~t_any & p_any)
    fn = np.count_nonzero(t_any & ~p_any)
    iou_voxels = tp / (tp + fp + fn) if tp + fp + fn else 1.0

    n_t, n_p = int(truth.max()), int(prediction.max())
    t_size = np.bincount(truth.ravel(), minlength=n_t + 1)
    p_size = np.bincount(prediction.ravel(), minlength=n_p + 1)
    both = t_any & p_any
    pair = truth[both].astype(np.int64) * (n_p + 1) + prediction[both]
    codes, overlap = np.unique(pair, return_counts=True)
    iou = np.zeros((n_t + 1, n_p + 1))
    ti, pi = codes // (n_p + 1), codes % (n_p + 1)
    iou[ti, pi] = overlap / (t_size[ti] + p_size[pi] - overlap)
    rows, cols = linear_sum_assignment(-iou[1:, 1:])
    keep = iou[rows + 1, cols + 1] > 0
    rows, cols = rows[keep] + 1, cols[keep] + 1

    cap = float(np.min(np.array(truth.shape) * VOXEL / 2))
    t_boxes = ndimage.find_objects(truth)
    p_boxes = ndimage.find_objects(prediction)
    distances = []
    for t, p in zip(rows, cols):
        a, b = t_boxes[t - 1], p_boxes[p - 1]
        box = tuple(slice(min(s.start, u.start), max(s.stop, u.stop)) for s, u in zip(a, b))
        distances.append(min(hausdorff(truth, prediction, t, p, box), cap))

    matches = len(distances)
    norm = np.linalg.norm(VOXEL)
    normalized = [1.01 ** (-d / norm) for d in distances]
    unmatched = (n_t - matches) + (n_p - matches)
    normalized += [1.01 ** (-cap / norm)] * unmatched
    f1 = 2 * matches / (n_t + n_p) if n_t + n_p else 1.0
    mean_hd = float(np.mean(normalized)) if normalized else 1.0
    return {"iou": iou_voxels, "f1": f1, "combined": float(np.sqrt(f1 * mean_hd)), "matches": matches,
            "truthInstances": n_t, "predictedInstances": n_p}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--shape", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    shape = tuple(int(v) for v in args.shape.split(","))
    size = shape[0]
    read = lambda name, dtype: np.fromfile(f"{args.inputs}/{name}", dtype=dtype).reshape(shape)
    mask = read("mask.u8", np.uint8).astype(bool)
    height = read("height.f32", np.float32)
    truth = read("truth.u32", np.uint32).astype(np.int64)
    prediction = read("prediction.u32", np.uint32).astype(np.int64)
    versions = {"skimage": skimage.__version__, "scipy": scipy.__version__, "numpy": np.__version__,
                "python": platform.python_version(), "threads": 1}

    out = []
    seconds, cpu, labels = timed(args.repeats, lambda: label(mask, connectivity=3))
    out.append({"benchmark": f"cc-{size}", "implementation": f"skimage {skimage.__version__} measure.label, connectivity=3",
                "seconds": seconds, "cpuSeconds": cpu, "details": {**versions, "count": int(labels.max())}})

    def segment():
        markers = label(height > SEED, connectivity=3)
        return watershed(-height, markers=markers, mask=height > 0, connectivity=3)

    seconds, cpu, regions = timed(args.repeats, segment)
    out.append({"benchmark": f"watershed-{size}", "implementation": f"skimage {skimage.__version__} segmentation.watershed, connectivity=3",
                "seconds": seconds, "cpuSeconds": cpu,
                "details": {**versions, "count": int(len(np.unique(regions)) - 1), "note": "seedless mask components stay 0"}})

    seconds, cpu, result = timed(args.repeats, lambda: metrics(truth, prediction))
    out.append({"benchmark": f"metrics-{size}", "implementation": f"numpy {np.__version__} + scipy {scipy.__version__} metrics",
                "seconds": seconds, "cpuSeconds": cpu, "details": {**versions, **result}})

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for m in out:
        m["side"] = "python"
        m["peakRssKiB"] = peak
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(out, handle)


if __name__ == "__main__":
    main()
