using System.Text.Json.Nodes;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Zarr;

public class OmeNgffTests
{
    [Fact]
    public void ReadsCellMapRawLevels()
    {
        string raw = Path.Combine(ZarrFixtures.Root, "cellmap", "jrc_tiny.zarr", "recon-1", "em", "fibsem-uint8");
        OmeMultiscale multiscale = OmeNgff.ReadMultiscale(raw);
        Assert.Equal(["s0", "s1"], multiscale.Levels.Select(l => l.Path));
        Assert.Equal(VoxelSize.Isotropic(4), multiscale.Levels[0].VoxelSize);
        Assert.Equal(new double[] { 0, 0, 0 }, multiscale.Levels[0].OffsetNm);
        Assert.Equal(VoxelSize.Isotropic(8), multiscale.Level("s1")!.VoxelSize);
        Assert.Equal(new double[] { 2, 2, 2 }, multiscale.Level("s1")!.OffsetNm);
    }

    [Fact]
    public void WriteKeepsOtherAttributesAndConvertsUnits()
    {
        using var dir = new TempDirectory();
        string group = dir.Combine("g");
        ZarrGroup.Create(group);
        ZarrGroup.WriteAttributes(group, new JsonObject { ["cellmap"] = new JsonObject { ["note"] = "kept" } });

        OmeAxis[] axes = [new("z", "space", "micrometer"), new("y", "space", "micrometer"), new("x", "space", "nanometer")];
        var written = new OmeMultiscale("img", axes,
        [
            new OmeScaleLevel("s0", [4, 4, 3], [100, 200, 300]),
            new OmeScaleLevel("s1", [8, 8, 6], [102, 202, 301.5]),
        ]);
        OmeNgff.WriteMultiscale(group, written);

        JsonObject attributes = ZarrGroup.ReadAttributes(group);
        Assert.Equal("kept", attributes["cellmap"]!["note"]!.GetValue<string>());
        JsonNode scale = attributes["multiscales"]![0]!["datasets"]![0]!["coordinateTransformations"]![0]!["scale"]!;
        Assert.Equal(0.004, scale[0]!.GetValue<double>(), 12);
        Assert.Equal(3, scale[2]!.GetValue<double>());

        OmeMultiscale read = OmeNgff.ReadMultiscale(group);
        Assert.Equal("img", read.Name);
        Assert.Equal(2, read.Levels.Count);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(written.Levels[i].Path, read.Levels[i].Path);
            Assert.Equal(written.Levels[i].ScaleNm, read.Levels[i].ScaleNm, new Tolerance(1e-9));
            Assert.Equal(written.Levels[i].TranslationNm, read.Levels[i].TranslationNm, new Tolerance(1e-9));
        }
    }

    [Fact]
    public void MultiscaleWideTransformsApplyAfterTheLevelOnes()
    {
        using var dir = new TempDirectory();
        ZarrGroup.Create(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, ".zattrs"), """
            {"multiscales": [{"version": "0.4",
              "axes": [{"name": "z", "type": "space"}, {"name": "y", "type": "space"}, {"name": "x", "type": "space"}],
              "datasets": [{"path": "s0", "coordinateTransformations": [
                  {"type": "scale", "scale": [1, 2, 3]}, {"type": "translation", "translation": [1, 1, 1]}]}],
              "coordinateTransformations": [{"type": "scale", "scale": [4, 4, 4]}, {"type": "translation", "translation": [10, 20, 30]}]}]}
            """);
        OmeScaleLevel level = OmeNgff.ReadMultiscale(dir.Path).Levels[0];
        Assert.Equal(new double[] { 4, 8, 12 }, level.ScaleNm);
        Assert.Equal(new double[] { 14, 24, 34 }, level.TranslationNm);
    }

    [Fact]
    public void MissingScaleIsReportedAsMissingVoxelSize()
    {
        using var dir = new TempDirectory();
        ZarrGroup.Create(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, ".zattrs"), """
            {"multiscales": [{"version": "0.4", "datasets": [{"path": "s0", "coordinateTransformations": [
                {"type": "translation", "translation": [0, 0, 0]}]}]}]}
            """);
        var e = Assert.Throws<ZarrFormatException>(() => OmeNgff.ReadMultiscale(dir.Path));
        Assert.Equal(Path.Combine(dir.Path, ".zattrs"), e.FilePath);
        Assert.Contains("missing voxel size", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"scale\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupChildrenListOnlyZarrNodes()
    {
        using var dir = new TempDirectory();
        ZarrGroup.CreateAll(dir.Path, dir.Combine("a", "b"));
        ZarrArray.Create<byte>(dir.Combine("arr"), [2], [2]);
        Directory.CreateDirectory(dir.Combine("plain"));
        Assert.Equal(["a", "arr"], ZarrGroup.ListChildren(dir.Path));
        Assert.True(ZarrGroup.Exists(dir.Combine("a", "b")));
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
