#!/usr/bin/python3
"""Writes the small Zarr v2 fixtures the C# Zarr tests read back.

Run with the Debian python (zarr 2.x, numcodecs):  /usr/bin/python3 make_zarr_fixtures.py
Output: Fixtures/zarr/ next to this script. Every array's exact values go to expected/<name>.bin
(gzip of the little-endian C-order bytes) and are indexed in expected.json, so the tests compare bit for bit.
"""

import gzip
import json
import os
import shutil

import numcodecs
import numpy as np
import zarr

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "zarr")
EXPECTED_DIR = os.path.join(OUT, "expected")

rng = np.random.default_rng(20240611)
entries = []


def smooth(shape, dtype, lo, hi, noise=0.0):
    """A ramp with a little noise: compressible (small files) but not trivially constant."""
    grids = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    ramp = sum((i + 1) * g for i, g in enumerate(grids)).astype(np.float64)
    ramp = lo + (hi - lo) * (ramp / max(ramp.max(), 1))
    if noise:
        ramp = ramp + rng.normal(0, noise, size=shape)
    if np.dtype(dtype).kind in "ui":
        info = np.iinfo(dtype)
        ramp = np.clip(np.round(ramp), info.min, info.max)
    return ramp.astype(dtype)


def record(name, rel_path, values, fill=None, missing_chunks=()):
    le = values.astype(values.dtype.newbyteorder("<"))
    # mtime=0 keeps regenerated files byte-identical.
    with gzip.GzipFile(os.path.join(EXPECTED_DIR, name + ".bin.gz"), "wb", mtime=0) as f:
        f.write(le.tobytes(order="C"))
    entries.append({
        "name": name,
        "path": rel_path,
        "dtype": values.dtype.newbyteorder("<").str,
        "shape": list(values.shape),
        "expected": "expected/" + name + ".bin.gz",
        "missing_chunks": list(missing_chunks),
    })


def write_array(name, values, chunks, compressor, separator, dtype=None, fill_value=0, delete_chunks=()):
    path = os.path.join(OUT, "arrays", name)
    z = zarr.open_array(path, mode="w", shape=values.shape, chunks=chunks, dtype=dtype or values.dtype,
                        compressor=compressor, fill_value=fill_value, dimension_separator=separator)
    z[...] = values
    expected = np.array(values, dtype=np.dtype(dtype or values.dtype).newbyteorder("="))
    for key in delete_chunks:
        os.remove(os.path.join(path, key))
        idx = [int(i) for i in key.split(separator)]
        sl = tuple(slice(i * c, min((i + 1) * c, n)) for i, c, n in zip(idx, chunks, values.shape))
        expected[sl] = fill_value if fill_value is not None else 0
    if isinstance(compressor, numcodecs.Blosc):
        # Blosc stores incompressible chunks as plain copies ("memcpyed"), which would skip the code under test.
        first = os.path.join(path, separator.join("0" * len(chunks)))
        with open(first, "rb") as f:
            memcpyed = bool(f.read(3)[2] & 0x02)
        assert memcpyed == (compressor.clevel == 0), name + ": blosc stored the first chunk " + ("uncompressed" if memcpyed else "compressed")
    # Read back through zarr itself so the expectation is what zarr-python reports, not what we intended.
    back = zarr.open_array(path, mode="r")[...]
    assert np.array_equal(back, expected, equal_nan=True), name
    record(name, "arrays/" + name, back, missing_chunks=delete_chunks)


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(EXPECTED_DIR)

    # Plain compressors, both separators, partial edge chunks everywhere (shapes are not chunk multiples).
    write_array("none_u1_dot", smooth((5, 6, 7), "u1", 0, 255, 3), (2, 4, 3), None, ".")
    write_array("gzip_u2_slash", smooth((4, 5, 6), "u2", 100, 60000, 50), (3, 3, 3),
                numcodecs.GZip(level=5), "/")
    write_array("zlib_i2_2d_dot", smooth((9, 11), "i2", -30000, 30000, 20), (4, 4), numcodecs.Zlib(level=6), ".")
    write_array("zlib_f8_slash", smooth((3, 4, 5), "f8", -1e9, 1e9, 1.5), (2, 3, 2), numcodecs.Zlib(level=1), "/")
    write_array("zstd_u4_slash", smooth((6, 7, 5), "u4", 0, 4_000_000_000, 1000), (4, 4, 4),
                numcodecs.Zstd(level=3), "/")
    big = smooth((37,), "u8", 0, 1, 0).astype(np.uint64) * np.uint64(2**63) + np.arange(37, dtype=np.uint64) * np.uint64(12345)
    write_array("zstd_u8_bigendian_1d", big, (10,), numcodecs.Zstd(level=1), ".", dtype=">u8")
    write_array("zstd_i2_bigendian_dot", smooth((5, 6, 7), "i2", -1000, 1000, 3), (4, 4, 4),
                numcodecs.Zstd(level=1), ".", dtype=">i2")
    write_array("zstd_f4_bigendian_slash", smooth((4, 5, 6), "f4", -2, 2, 0.01), (3, 3, 3),
                numcodecs.Zstd(level=1), "/", dtype=">f4")

    # Blosc: each inner codec and shuffle mode, split streams, several blocks per chunk and a leftover block.
    write_array("blosc_lz4_byteshuffle_u2", smooth((10, 20, 24), "u2", 0, 5000, 4), (8, 16, 15),
                numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE), "/")
    # lz4 at clevel 1 uses 64 KiB blocks: two full split blocks and a 128-byte leftover block per chunk.
    write_array("blosc_lz4_byteshuffle_u2_multiblock", smooth((41, 40, 41), "u2", 0, 50000), (40, 40, 41),
                numcodecs.Blosc(cname="lz4", clevel=1, shuffle=numcodecs.Blosc.SHUFFLE), ".")
    write_array("blosc_lz4_byteshuffle_f8_4d", smooth((2, 3, 9, 10), "f8", -5, 5, 0.1), (1, 2, 8, 8),
                numcodecs.Blosc(cname="lz4", clevel=9, shuffle=numcodecs.Blosc.SHUFFLE, blocksize=0), ".")
    write_array("blosc_zstd_bitshuffle_f4", smooth((9, 17, 13), "f4", -1, 1, 0.001), (8, 8, 8),
                numcodecs.Blosc(cname="zstd", clevel=3, shuffle=numcodecs.Blosc.BITSHUFFLE, blocksize=512), "/")
    # 315 one-byte elements per chunk: bitshuffle covers 312 of them and blosc copies the last 3 as they are.
    write_array("blosc_zstd_bitshuffle_u1_leftover", smooth((5, 7, 9), "u1", 0, 255), (5, 7, 9),
                numcodecs.Blosc(cname="zstd", clevel=5, shuffle=numcodecs.Blosc.BITSHUFFLE), ".")
    write_array("blosc_zstd_bitshuffle_u2", smooth((6, 8, 8), "u2", 0, 65535), (6, 8, 8),
                numcodecs.Blosc(cname="zstd", clevel=1, shuffle=numcodecs.Blosc.BITSHUFFLE), "/")
    write_array("blosc_zlib_noshuffle_i4", smooth((7, 9, 6), "i4", -2_000_000_000, 2_000_000_000, 100),
                (4, 5, 6), numcodecs.Blosc(cname="zlib", clevel=4, shuffle=numcodecs.Blosc.NOSHUFFLE), ".")
    # clevel 0 and incompressible noise: blosc stores the chunk with the "memcpyed" flag.
    write_array("blosc_lz4_memcpyed_u1", rng.integers(0, 256, size=(6, 6, 6), dtype=np.uint8), (6, 6, 6),
                numcodecs.Blosc(cname="lz4", clevel=0, shuffle=numcodecs.Blosc.SHUFFLE), "/")

    # Missing chunks read as the fill value.
    write_array("zstd_i4_missing_fill7", smooth((6, 6, 6), "i4", -100, 100, 2), (3, 3, 3),
                numcodecs.Zstd(level=1), "/", fill_value=7, delete_chunks=("1/0/1", "0/1/0"))
    write_array("gzip_f4_missing_nan", smooth((4, 4, 4), "f4", 0, 1, 0.01), (2, 2, 2),
                numcodecs.GZip(level=1), ".", fill_value=np.nan, delete_chunks=("1.1.0",))

    write_cellmap()

    # Signed bytes and 64-bit integers (after the rest, so the arrays above keep their random draws).
    write_array("blosc_lz4_byteshuffle_i1", smooth((5, 9, 16), "i1", -128, 127), (4, 8, 16),
                numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE), "/")
    write_array("zstd_i8_dot", smooth((4, 6, 5), "i8", -(2**62), 2**62, 1e6), (3, 3, 3),
                numcodecs.Zstd(level=3), ".")
    write_array("gzip_u8_missing_fill", smooth((6, 5, 4), "u8", 0, 2**63, 0), (3, 3, 3),
                numcodecs.GZip(level=1), "/", fill_value=2**63 + 5, delete_chunks=("1/1/0",))

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"arrays": entries}, f, indent=1)

    write_tiff_fixtures()


def write_tiff_fixtures():
    """TIFF crops with crop.json sidecars (tifffile), read by TiffCropSource; expectations as for the Zarr arrays."""
    import tifffile

    out = os.path.join(HERE, "tiff")
    if os.path.exists(out):
        shutil.rmtree(out)
    expected_dir = os.path.join(out, "expected")
    os.makedirs(expected_dir)
    tiff_entries = []

    def expect(name, values):
        with gzip.GzipFile(os.path.join(expected_dir, name + ".bin.gz"), "wb", mtime=0) as f:
            f.write(values.astype(values.dtype.newbyteorder("<")).tobytes(order="C"))
        tiff_entries.append({"name": name, "dtype": values.dtype.newbyteorder("<").str, "shape": list(values.shape),
                             "expected": "expected/" + name + ".bin.gz"})

    # One labels image with a value per class, deflate-compressed strips.
    dense = os.path.join(out, "dense")
    os.makedirs(dense)
    raw = smooth((6, 10, 12), "u1", 5, 250, 4)
    labels = np.zeros((6, 10, 12), np.uint8)
    labels[1:5, 2:7, 3:9] = 1
    labels[0:2, 7:10, 0:12] = 2
    labels[5, :, :] = 255
    tifffile.imwrite(os.path.join(dense, "raw.tif"), raw, compression="zlib", photometric="minisblack")
    tifffile.imwrite(os.path.join(dense, "labels.tif"), labels, photometric="minisblack")
    with open(os.path.join(dense, "crop.json"), "w") as f:
        json.dump({"name": "dense-crop", "voxel_size": [8, 4, 4], "offset": [16, 8, 8], "raw": "raw.tif",
                   "labels": "labels.tif", "classes": {"mito": 1, "er": 2}, "unknown": 255}, f, indent=1)
    expect("dense_raw", raw)
    expect("dense_labels", labels)

    # One TIFF per class: uint16 raw in 16x16 tiles, big-endian uint32 instance ids, a binary 0/1/255 mask.
    per_class = os.path.join(out, "per_class")
    os.makedirs(per_class)
    raw16 = smooth((3, 20, 24), "u2", 100, 60000, 30)
    mito = np.zeros((3, 20, 24), np.uint32)
    mito[0:2, 1:8, 2:10] = 7
    mito[1:3, 10:18, 12:22] = 3_000_000_000
    er = np.zeros((3, 20, 24), np.uint8)
    er[:, 0:5, 15:24] = 1
    er[2, 15:20, :] = 255
    tifffile.imwrite(os.path.join(per_class, "raw.tif"), raw16, tile=(16, 16), photometric="minisblack")
    tifffile.imwrite(os.path.join(per_class, "mito.tif"), mito, byteorder=">", photometric="minisblack")
    tifffile.imwrite(os.path.join(per_class, "er.tif"), er, compression="zlib", photometric="minisblack")
    with open(os.path.join(per_class, "crop.json"), "w") as f:
        json.dump({"voxel_size": [10, 5, 5], "labels": {"mito": "mito.tif", "er": "er.tif"}}, f, indent=1)
    expect("per_class_raw", raw16)
    expect("per_class_mito", mito)
    expect("per_class_er", er)

    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({"arrays": tiff_entries}, f, indent=1)


def ome_attrs(levels, name):
    return {"multiscales": [{
        "version": "0.4",
        "name": name,
        "axes": [{"name": a, "type": "space", "unit": "nanometer"} for a in "zyx"],
        "datasets": [{"path": p, "coordinateTransformations": [
            {"type": "scale", "scale": list(map(float, s))},
            {"type": "translation", "translation": list(map(float, t))}]} for p, s, t in levels],
    }]}


def write_cellmap():
    """A tiny CellMap-style dataset: raw at 4 nm (s0) and 8 nm (s1), crop1 at 4 nm, crop2 at 8 nm."""
    root_path = os.path.join(OUT, "cellmap", "jrc_tiny.zarr")
    root = zarr.open_group(root_path, mode="w")
    raw_group = root.require_group("recon-1/em/fibsem-uint8")
    raw0 = smooth((16, 24, 24), "u1", 10, 240, 6)
    raw1 = raw0.reshape(8, 2, 12, 2, 12, 2).mean(axis=(1, 3, 5)).round().astype(np.uint8)
    for key, data in (("s0", raw0), ("s1", raw1)):
        raw_group.create_dataset(key, data=data, chunks=(8, 8, 8), compressor=numcodecs.Zstd(level=3),
                                 dimension_separator="/")
    raw_group.attrs.update(ome_attrs([("s0", (4, 4, 4), (0, 0, 0)), ("s1", (8, 8, 8), (2, 2, 2))], "fibsem-uint8"))
    record("cellmap_raw_s0", "cellmap/jrc_tiny.zarr/recon-1/em/fibsem-uint8/s0", raw0)
    record("cellmap_raw_s1", "cellmap/jrc_tiny.zarr/recon-1/em/fibsem-uint8/s1", raw1)

    # crop1: voxel offset (2, 3, 1) into raw s0, shape (10, 12, 14).
    shape = (10, 12, 14)
    translation = (2 * 4, 3 * 4, 1 * 4)
    crop = root.require_group("recon-1/labels/groundtruth/crop1")
    mito = np.zeros(shape, np.uint8)
    mito[2:7, 3:9, 4:12] = 1
    mito[:, :, :2] = 255  # an unannotated slab
    nuc = np.zeros(shape, np.uint64)
    nuc[0:4, 0:5, 0:6] = 3
    nuc[5:10, 6:12, 7:14] = 4_000_000_000  # fits uint32, not int32
    nuc[5:7, 0:3, 0:3] = 17
    for cls, data, comp in (
            ("mito", mito, numcodecs.Blosc(cname="zstd", clevel=5, shuffle=numcodecs.Blosc.BITSHUFFLE)),
            ("nuc", nuc, numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)),
            ("all", (mito == 1).astype(np.uint8) * 3 + (nuc > 0).astype(np.uint8) * 37, numcodecs.Zstd(level=1))):
        g = crop.require_group(cls)
        g.create_dataset("s0", data=data, chunks=(8, 8, 8), compressor=comp, dimension_separator=".")
        g.attrs.update(ome_attrs([("s0", (4, 4, 4), translation)], cls))
        record("cellmap_crop1_" + cls, "cellmap/jrc_tiny.zarr/recon-1/labels/groundtruth/crop1/" + cls + "/s0", data)

    # crop2 at 8 nm: voxel offset (1, 2, 3) into raw s1 (whose origin is at 2 nm).
    shape2 = (5, 6, 7)
    translation2 = (2 + 8 * 1, 2 + 8 * 2, 2 + 8 * 3)
    er = np.zeros(shape2, np.uint8)
    er[1:4, 2:5, 1:6] = 1
    g = root.require_group("recon-1/labels/groundtruth/crop2/er")
    g.create_dataset("s0", data=er, chunks=(4, 4, 4), compressor=numcodecs.Zstd(level=1), dimension_separator="/")
    g.attrs.update(ome_attrs([("s0", (8, 8, 8), translation2)], "er"))
    record("cellmap_crop2_er", "cellmap/jrc_tiny.zarr/recon-1/labels/groundtruth/crop2/er/s0", er)


if __name__ == "__main__":
    main()
