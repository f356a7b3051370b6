using System.Runtime.InteropServices;
using HotDistance.Bench.Edt;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;

namespace HotDistance.Bench.PostProcessing;

/// <summary>
/// The post-processing benchmark's inputs, written once as raw C-order files both sides read: the EDT
/// benchmark's ball mask (mask.u8), its distance normalised like a network's distance head,
/// t = tanh(d / 80 nm) inside and -1 outside (height.f32), its 26-connected components as the truth instances
/// (truth.u32) and the components of the mask shifted by one voxel in y and x as the predicted instances
/// (prediction.u32), so metrics see slightly wrong instances, as they do after a real model.
/// </summary>
internal static class PostProcessInputs
{
    public const double ScaleNm = 80;

    public static readonly VoxelSize Voxel = VoxelSize.FromArray([8, 8, 8]);

    public static void Write(string directory, Shape3 shape, int seed)
    {
        var mask = TestMask.Generate(shape, Voxel, seed);
        var distances = EdtUnderTest.Distances(mask, shape, Voxel, threads: 2);
        var height = new float[mask.Length];
        for (var i = 0; i < height.Length; i++)
        {
            height[i] = mask[i] != 0 ? (float)Math.Tanh(distances[i] / ScaleNm) : -1f;
        }

        var shifted = new byte[mask.Length];
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 1; y < shape.Y; y++)
            {
                for (var x = 1; x < shape.X; x++)
                {
                    shifted[shape.Index(z, y, x)] = mask[shape.Index(z, y - 1, x - 1)];
                }
            }
        }

        var truth = ConnectedComponents.Label(new Volume<byte>(shape, mask), Connectivity.Full26).Labels.Data;
        var prediction = ConnectedComponents.Label(new Volume<byte>(shape, shifted), Connectivity.Full26).Labels.Data;
        File.WriteAllBytes(Path.Combine(directory, "mask.u8"), mask);
        File.WriteAllBytes(Path.Combine(directory, "height.f32"), MemoryMarshal.AsBytes(height.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(directory, "truth.u32"), MemoryMarshal.AsBytes(truth.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(directory, "prediction.u32"), MemoryMarshal.AsBytes(prediction.AsSpan()).ToArray());
    }

    public static T[] Read<T>(string directory, string name)
        where T : unmanaged =>
        MemoryMarshal.Cast<byte, T>(File.ReadAllBytes(Path.Combine(directory, name))).ToArray();
}
