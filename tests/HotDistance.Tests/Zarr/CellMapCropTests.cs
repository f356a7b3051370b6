using System.Text.Json.Nodes;
using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Zarr;

public class CellMapCropTests
{
    private static readonly string Dataset = Path.Combine(ZarrFixtures.Root, "cellmap", "jrc_tiny.zarr");

    [Fact]
    public void ListsCropsThatHaveClasses()
    {
        Assert.Equal(["crop1", "crop2"], CellMapCropReader.ListCrops(Dataset));
    }

    [Fact]
    public void ReadsCrop1CutFromRawAtTheLabelOffset()
    {
        Crop crop = CellMapCropReader.Read(Dataset, "crop1");

        Assert.Equal("jrc_tiny/crop1", crop.Name);
        Assert.Equal(VoxelSize.Isotropic(4), crop.VoxelSize);
        Assert.Equal(new double[] { 8, 12, 4 }, crop.OffsetNm);
        Assert.Equal(new Shape3(10, 12, 14), crop.Shape);

        // Label offset 8/12/4 nm at 4 nm = voxel (2, 3, 1) of raw s0 (origin 0).
        byte[] raw = ZarrFixtures.Get("cellmap_raw_s0").Expected<byte>();
        var rawShape = new Shape3(16, 24, 24);
        for (int z = 0; z < 10; z++)
        {
            for (int y = 0; y < 12; y++)
            {
                for (int x = 0; x < 14; x++)
                {
                    Assert.Equal(raw[rawShape.Index(z + 2, y + 3, x + 1)] / 255f, crop.Raw[z, y, x]);
                }
            }
        }

        // "all" is CellMap's combined map, not a class.
        Assert.Equal(["mito", "nuc"], crop.Labels.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BinaryClassKeepsUnknownVoxels()
    {
        Crop crop = CellMapCropReader.Read(Dataset, "crop1");
        ClassLabels mito = crop.Labels["mito"];

        Assert.False(mito.IsInstance);
        Assert.Equal(ZarrFixtures.Get("cellmap_crop1_mito").Expected<byte>(), mito.Mask.Data);
        Assert.Equal(LabelValues.Unknown, mito.Mask[4, 5, 0]);
        Assert.Equal(LabelValues.Present, mito.Mask[3, 4, 5]);
        Assert.Equal(LabelValues.Absent, mito.Mask[9, 11, 13]);
    }

    [Fact]
    public void InstanceClassKeepsIdsAndDerivesTheMask()
    {
        Crop crop = CellMapCropReader.Read(Dataset, "crop1");
        ClassLabels nuc = crop.Labels["nuc"];
        ulong[] expected = ZarrFixtures.Get("cellmap_crop1_nuc").Expected<ulong>();

        Assert.True(nuc.IsInstance);
        Assert.Equal(expected.Select(v => (uint)v), nuc.Instances!.Data);
        Assert.Equal(4_000_000_000u, nuc.Instances[9, 11, 13]);
        Assert.Equal(17u, nuc.Instances[5, 0, 0]);
        Assert.Equal(expected.Select(v => v > 0 ? LabelValues.Present : LabelValues.Absent), nuc.Mask.Data);
    }

    [Fact]
    public void PicksTheRawLevelWithTheLabelsVoxelSize()
    {
        Crop crop = CellMapCropReader.Read(Dataset, "crop2");
        Assert.Equal(VoxelSize.Isotropic(8), crop.VoxelSize);

        // crop2 sits at voxel (1, 2, 3) of raw s1, whose origin is at 2 nm.
        byte[] s1 = ZarrFixtures.Get("cellmap_raw_s1").Expected<byte>();
        var s1Shape = new Shape3(8, 12, 12);
        Assert.Equal(s1[s1Shape.Index(1, 2, 3)] / 255f, crop.Raw[0, 0, 0]);
        Assert.Equal(s1[s1Shape.Index(5, 7, 9)] / 255f, crop.Raw[4, 5, 6]);
        Assert.Equal(ZarrFixtures.Get("cellmap_crop2_er").Expected<byte>(), crop.Labels["er"].Mask.Data);
    }

    [Fact]
    public void WrittenCropReadsBackUnchanged()
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("copy.zarr");
        Crop original = CellMapCropReader.Read(Dataset, "crop1");

        CellMapCropWriter.Write(original, dataset, "crop7", chunkSize: 8);
        Crop copy = CellMapCropReader.Read(dataset, "crop7");

        Assert.Equal("copy/crop7", copy.Name);
        Assert.Equal(original.VoxelSize, copy.VoxelSize);
        Assert.Equal(original.OffsetNm, copy.OffsetNm);
        Assert.Equal(original.Raw.Data, copy.Raw.Data);
        Assert.Equal(original.Labels["mito"].Mask.Data, copy.Labels["mito"].Mask.Data);
        Assert.Equal(original.Labels["nuc"].Instances!.Data, copy.Labels["nuc"].Instances!.Data);
        Assert.Equal(original.Labels["nuc"].Mask.Data, copy.Labels["nuc"].Mask.Data);
        Assert.Equal(ZarrDataType.U4, ZarrArray.Open(Path.Combine(CellMapLayout.CropPath(dataset, "crop7"), "nuc", "s0")).DataType);
        Assert.Equal([".zgroup", "crop7"], Directory.EnumerateFileSystemEntries(CellMapLayout.GroundTruthPath(dataset))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ZarrPythonReadsAWrittenCrop()
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("py.zarr");
        CellMapCropWriter.Write(CellMapCropReader.Read(Dataset, "crop1"), dataset, "crop1");

        string output = ZarrPython.Run("""
            import sys, zarr
            root = zarr.open_group(sys.argv[1], mode="r")
            raw = root["recon-1/em/fibsem-uint8"]
            nuc = root["recon-1/labels/groundtruth/crop1/nuc"]
            ds = raw.attrs["multiscales"][0]["datasets"][0]
            print(raw["s0"].shape, raw["s0"].dtype, ds["coordinateTransformations"][1]["translation"], int(nuc["s0"][9, 11, 13]))
            """, dataset);
        Assert.Contains("(10, 12, 14) uint8 [8, 12, 4] 4000000000", output, StringComparison.Ordinal);
    }

    [Fact]
    public void InstanceClassWithASingleIdStaysAnInstanceClass()
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("d.zarr");
        Crop crop = SmallCrop("er", 1);
        var ids = new Volume<uint>(crop.Shape);
        ids[1, 2, 3] = 1;
        var mask = new Volume<byte>(crop.Shape);
        mask[1, 2, 3] = LabelValues.Present;
        var withInstances = new Crop
        {
            Name = crop.Name,
            Raw = crop.Raw,
            VoxelSize = crop.VoxelSize,
            Labels = new Dictionary<string, ClassLabels> { ["er"] = crop.Labels["er"], ["mito"] = new("mito", mask, ids) },
        };

        CellMapCropWriter.Write(withInstances, dataset, "crop1");
        Crop read = CellMapCropReader.Read(dataset, "crop1");

        Assert.True(read.Labels["mito"].IsInstance);
        Assert.Equal(ids.Data, read.Labels["mito"].Instances!.Data);
        Assert.Equal(mask.Data, read.Labels["mito"].Mask.Data);
        Assert.False(read.Labels["er"].IsInstance);
    }

    [Fact]
    public void InstanceClassMarkedUnknownCannotBeWritten()
    {
        using var dir = new TempDirectory();
        Crop crop = SmallCrop("er", 1);
        var mask = new Volume<byte>(crop.Shape);
        mask[0, 0, 0] = LabelValues.Unknown;
        var bad = new Crop
        {
            Name = crop.Name,
            Raw = crop.Raw,
            VoxelSize = crop.VoxelSize,
            Labels = new Dictionary<string, ClassLabels> { ["mito"] = new("mito", mask, new Volume<uint>(crop.Shape)) },
        };

        var e = Assert.Throws<ZarrFormatException>(() => CellMapCropWriter.Write(bad, dir.Combine("d.zarr"), "crop1"));
        Assert.Contains("unknown (255)", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("d.zarr")));
    }

    [Fact]
    public void RewritingACropReplacesItsClasses()
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("d.zarr");
        CellMapCropWriter.Write(SmallCrop("er", 1), dataset, "crop1");
        CellMapCropWriter.Write(SmallCrop("mito", 1), dataset, "crop1");

        Crop read = CellMapCropReader.Read(dataset, "crop1");
        Assert.Equal(["mito"], read.Labels.Keys);
    }

    [Fact]
    public void SecondCropGoesIntoTheExistingRawOrFailsClearlyOutsideIt()
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("d.zarr");
        Crop big = SmallCrop("er", 1, new Shape3(8, 8, 8), offsetNm: [0, 0, 0]);
        CellMapCropWriter.Write(big, dataset, "crop1");

        Crop inside = SmallCrop("mito", 2, new Shape3(2, 3, 4), offsetNm: [8, 4, 12]);
        CellMapCropWriter.Write(inside, dataset, "crop2");
        Crop read = CellMapCropReader.Read(dataset, "crop2");
        Assert.Equal(inside.Raw.Data, read.Raw.Data);
        Assert.Equal(big.Raw[0, 0, 0], CellMapCropReader.Read(dataset, "crop1").Raw[0, 0, 0]);

        Crop outside = SmallCrop("mito", 3, new Shape3(2, 3, 4), offsetNm: [28, 0, 0]);
        var e = Assert.Throws<ZarrFormatException>(() => CellMapCropWriter.Write(outside, dataset, "crop3"));
        Assert.Contains("outside", e.Message, StringComparison.Ordinal);
        Assert.Contains(".zarray", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsOutsideTheRawExtentAreAClearError()
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("d.zarr");
        CellMapCropWriter.Write(SmallCrop("er", 1), dataset, "crop1");
        string classGroup = Path.Combine(CellMapLayout.CropPath(dataset, "crop1"), "er");
        OmeNgff.WriteMultiscale(classGroup, new OmeMultiscale("er", OmeAxis.SpatialZyx,
            [OmeScaleLevel.Create("s0", VoxelSize.Isotropic(4), [4, 0, 0])]));

        var e = Assert.Throws<ZarrFormatException>(() => CellMapCropReader.Read(dataset, "crop1"));
        Assert.Contains("labels outside raw extent", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("fibsem-uint8", "s0", ".zarray"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsAtAVoxelSizeWithoutRawLevelAreAClearError()
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("d.zarr");
        CellMapCropWriter.Write(SmallCrop("er", 1), dataset, "crop1");
        string classGroup = Path.Combine(CellMapLayout.CropPath(dataset, "crop1"), "er");
        OmeNgff.WriteMultiscale(classGroup, new OmeMultiscale("er", OmeAxis.SpatialZyx,
            [OmeScaleLevel.Create("s0", VoxelSize.Isotropic(2), [0, 0, 0])]));

        var e = Assert.Throws<ZarrFormatException>(() => CellMapCropReader.Read(dataset, "crop1"));
        Assert.Equal("multiscales[0].datasets", e.Field);
        Assert.Contains("no level at the labels' voxel size [2, 2, 2]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InstanceIdsBeyondUInt32AreAClearError()
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("d.zarr");
        CellMapCropWriter.Write(SmallCrop("er", 1), dataset, "crop1");
        string classGroup = Path.Combine(CellMapLayout.CropPath(dataset, "crop1"), "ves");
        ZarrGroup.Create(classGroup);
        var ids = new ulong[4 * 5 * 6];
        ids[7] = 1UL << 40;
        ZarrArray.Create<ulong>(Path.Combine(classGroup, "s0"), [4, 5, 6], [4, 5, 6]).Write<ulong>(ids);
        OmeNgff.WriteMultiscale(classGroup, new OmeMultiscale("ves", OmeAxis.SpatialZyx,
            [OmeScaleLevel.Create("s0", VoxelSize.Isotropic(4), [0, 0, 0])]));

        var e = Assert.Throws<ZarrFormatException>(() => CellMapCropReader.Read(dataset, "crop1"));
        Assert.Contains("'ves'", e.Message, StringComparison.Ordinal);
        Assert.Contains("uint32", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("ves", "s0"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedLabelDtypeAndMissingVoxelSizeAreClearErrors()
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("d.zarr");
        CellMapCropWriter.Write(SmallCrop("er", 1), dataset, "crop1");
        string classGroup = Path.Combine(CellMapLayout.CropPath(dataset, "crop1"), "er");
        ZarrArray.Create<float>(Path.Combine(classGroup, "s0"), [4, 5, 6], [4, 5, 6], new ZarrWriteOptions { Overwrite = true });

        var dtype = Assert.Throws<ZarrFormatException>(() => CellMapCropReader.Read(dataset, "crop1"));
        Assert.Equal("dtype", dtype.Field);
        Assert.Contains("<f4", dtype.Message, StringComparison.Ordinal);

        var noVoxelSize = SmallCrop("er", 1);
        var broken = new Crop { Name = "x", Raw = noVoxelSize.Raw, VoxelSize = default, Labels = noVoxelSize.Labels };
        var e = Assert.Throws<ZarrFormatException>(() => CellMapCropWriter.Write(broken, dir.Combine("e.zarr"), "crop1"));
        Assert.Equal("VoxelSize", e.Field);
        Assert.Contains("voxel size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RawGroupMayBeUInt16()
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("d.zarr");
        string rawGroup = Path.Combine(CellMapLayout.EmPath(dataset), CellMapLayout.RawUInt16Group);
        ZarrGroup.CreateAll(dataset, rawGroup);
        ushort[] raw = Enumerable.Range(0, 6 * 6 * 6).Select(i => (ushort)(i * 300)).ToArray();
        ZarrArray.Create<ushort>(Path.Combine(rawGroup, "s0"), [6, 6, 6], [4, 4, 4]).Write<ushort>(raw);
        OmeNgff.WriteMultiscale(rawGroup, new OmeMultiscale(null, OmeAxis.SpatialZyx,
            [OmeScaleLevel.Create("s0", VoxelSize.Isotropic(3), [0, 0, 0])]));
        string classGroup = Path.Combine(CellMapLayout.CropPath(dataset, "crop1"), "er");
        ZarrGroup.CreateAll(dataset, classGroup);
        ZarrArray.Create<byte>(Path.Combine(classGroup, "s0"), [2, 2, 2], [2, 2, 2]).Write<byte>(new byte[8]);
        OmeNgff.WriteMultiscale(classGroup, new OmeMultiscale("er", OmeAxis.SpatialZyx,
            [OmeScaleLevel.Create("s0", VoxelSize.Isotropic(3), [3, 6, 9])]));

        Crop crop = CellMapCropReader.Read(dataset, "crop1");
        Assert.Equal(raw[(1 * 36) + (2 * 6) + 3] / 65535f, crop.Raw[0, 0, 0]);
        Assert.Equal(raw[(2 * 36) + (3 * 6) + 4] / 65535f, crop.Raw[1, 1, 1]);
    }

    private static Crop SmallCrop(string className, int seed, Shape3? shape = null, double[]? offsetNm = null)
    {
        Shape3 s = shape ?? new Shape3(4, 5, 6);
        var raw = new Volume<float>(s);
        var mask = new Volume<byte>(s);
        for (int i = 0; i < raw.Data.Length; i++)
        {
            raw.Data[i] = ((i * 37) + seed) % 256 / 255f;
            mask.Data[i] = (byte)((i + seed) % 3 == 0 ? 1 : 0);
        }

        return new Crop
        {
            Name = "test/crop",
            Raw = raw,
            VoxelSize = VoxelSize.Isotropic(4),
            OffsetNm = offsetNm ?? [0, 0, 0],
            Labels = new Dictionary<string, ClassLabels> { [className] = new(className, mask) },
        };
    }
}
