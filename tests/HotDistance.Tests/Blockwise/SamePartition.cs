namespace HotDistance.Tests.Blockwise;

/// <summary>Two instance volumes hold the same instances up to renumbering: the same voxels labelled, ids mapped one to one.</summary>
internal static class SamePartition
{
    public static void Assert(uint[] expected, uint[] actual, int minimumInstances)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        var forward = new Dictionary<uint, uint>();
        var backward = new Dictionary<uint, uint>();
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Xunit.Assert.True((e == 0) == (a == 0), $"voxel {i}: expected id {e}, got {a}");
            if (e == 0)
            {
                continue;
            }

            Xunit.Assert.Equal(forward.GetValueOrDefault(e, a), a);
            Xunit.Assert.Equal(backward.GetValueOrDefault(a, e), e);
            forward[e] = a;
            backward[a] = e;
        }

        Xunit.Assert.True(forward.Count >= minimumInstances, $"only {forward.Count} instance(s): too few to compare");
    }
}
