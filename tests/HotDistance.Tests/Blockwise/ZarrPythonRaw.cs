using System.Globalization;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Tests.Learning;
using HotDistance.Tests.Zarr;

namespace HotDistance.Tests.Blockwise;

/// <summary>A synthetic raw volume written by zarr-python as uint8 in 10^3 chunks (not any block grid), and its values scaled to [0, 1].</summary>
internal static class ZarrPythonRaw
{
    public static async Task<(string Path, Volume<float> Volume)> WriteAsync(TempDirectory temp, Shape3 shape, int seed)
    {
        ArgumentNullException.ThrowIfNull(temp);
        var synthetic = SyntheticCropGenerator.Generate(new SyntheticCropSpec("blockwise", seed, shape, VoxelSize.Isotropic(8), TinyTraining.Classes)).Raw;
        var bytes = RawIntensity.ToUInt8(synthetic.Data);
        var rawFile = temp.Combine("raw.bin");
        await File.WriteAllBytesAsync(rawFile, bytes);
        var path = temp.Combine("raw.zarr");
        ZarrPython.Run(
            "import sys, numpy, zarr; a = numpy.fromfile(sys.argv[1], dtype='uint8').reshape(*map(int, sys.argv[3:6])); zarr.open(sys.argv[2], mode='w', shape=a.shape, chunks=(10, 10, 10), dtype='uint8')[:] = a",
            rawFile,
            path,
            shape.Z.ToString(CultureInfo.InvariantCulture),
            shape.Y.ToString(CultureInfo.InvariantCulture),
            shape.X.ToString(CultureInfo.InvariantCulture));
        return (path, RawIntensity.FromUInt8(shape, bytes));
    }
}
