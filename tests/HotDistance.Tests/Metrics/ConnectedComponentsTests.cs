using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Metrics;

public class ConnectedComponentsTests
{
    [Fact]
    public void Diagonal_neighbours_join_only_with_26_connectivity()
    {
        var shape = new Shape3(3, 3, 3);
        var mask = new Volume<byte>(shape);
        mask[0, 0, 0] = 1;
        mask[1, 1, 1] = 1; // corner-adjacent to the first
        mask[2, 2, 1] = 1; // edge-adjacent to the second

        var faces = ConnectedComponents.Label(mask, Connectivity.Faces6);
        var full = ConnectedComponents.Label(mask, Connectivity.Full26);

        Assert.Equal(3, faces.Count);
        Assert.Equal(1, full.Count);
        Assert.Equal(1u, full.Labels[2, 2, 1]);
    }

    [Fact]
    public void Ids_are_consecutive_in_raster_order_of_first_voxel()
    {
        var shape = new Shape3(2, 4, 4);
        var mask = new Volume<byte>(shape);
        mask[1, 0, 0] = 1; // later in raster order (z is slowest) ...
        mask[0, 3, 3] = 1; // ... than this one, so this gets id 1

        var result = ConnectedComponents.Label(mask, Connectivity.Faces6);

        Assert.Equal(2, result.Count);
        Assert.Equal(1u, result.Labels[0, 3, 3]);
        Assert.Equal(2u, result.Labels[1, 0, 0]);
        Assert.Equal(0u, result.Labels[0, 0, 0]);
    }

    [Fact]
    public void U_shape_found_as_one_component_despite_late_merge()
    {
        // Two prongs meet only at the far end, so the first pass sees two provisional labels that must merge.
        var shape = new Shape3(1, 5, 5);
        var mask = TestVolumes.Build(shape, (_, y, x) => x == 0 || x == 4 || y == 4 ? (byte)1 : (byte)0);

        var result = ConnectedComponents.Label(mask, Connectivity.Faces6);

        Assert.Equal(1, result.Count);
        Assert.All(mask.Data.Select((v, i) => (v, i)).Where(p => p.v != 0), p => Assert.Equal(1u, result.Labels.Data[p.i]));
    }

    [Theory]
    [InlineData(Connectivity.Faces6, 0.3, 1)]
    [InlineData(Connectivity.Faces6, 0.5, 2)]
    [InlineData(Connectivity.Full26, 0.1, 3)]
    [InlineData(Connectivity.Full26, 0.25, 4)]
    [InlineData(Connectivity.Full26, 0.4, 5)]
    [InlineData(Connectivity.Faces6, 0.7, 6)]
    public void Matches_a_flood_fill_reference_on_random_volumes(Connectivity connectivity, double fill, int seed)
    {
        var shape = new Shape3(9, 11, 13);
        var mask = TestVolumes.Random(shape, fill, seed);

        var result = ConnectedComponents.Label(mask, connectivity);
        var reference = FloodFill(mask, connectivity, out var referenceCount);

        Assert.Equal(referenceCount, result.Count);
        // Same partition: ids correspond one-to-one.
        var forward = new Dictionary<uint, uint>();
        for (var i = 0; i < mask.Data.Length; i++)
        {
            Assert.Equal(reference[i] == 0, result.Labels.Data[i] == 0);
            if (reference[i] != 0)
            {
                Assert.Equal(forward.TryAdd(reference[i], result.Labels.Data[i]) ? result.Labels.Data[i] : forward[reference[i]], result.Labels.Data[i]);
            }
        }

        Assert.Equal(forward.Count, forward.Values.Distinct().Count());
    }

    private static uint[] FloodFill(Volume<byte> mask, Connectivity connectivity, out int count)
    {
        var shape = mask.Shape;
        var labels = new uint[mask.Data.Length];
        count = 0;
        for (var start = 0; start < labels.Length; start++)
        {
            if (mask.Data[start] == 0 || labels[start] != 0)
            {
                continue;
            }

            labels[start] = (uint)++count;
            var stack = new Stack<int>([start]);
            while (stack.Count > 0)
            {
                var v = stack.Pop();
                int z = v / (shape.Y * shape.X), y = v / shape.X % shape.Y, x = v % shape.X;
                for (var dz = -1; dz <= 1; dz++)
                {
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            var steps = Math.Abs(dz) + Math.Abs(dy) + Math.Abs(dx);
                            if (steps == 0 || (connectivity == Connectivity.Faces6 && steps > 1) || !shape.Contains(z + dz, y + dy, x + dx))
                            {
                                continue;
                            }

                            var n = shape.Index(z + dz, y + dy, x + dx);
                            if (mask.Data[n] != 0 && labels[n] == 0)
                            {
                                labels[n] = labels[start];
                                stack.Push(n);
                            }
                        }
                    }
                }
            }
        }

        return labels;
    }
}
