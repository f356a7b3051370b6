using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Zarr;

/// <summary><see cref="PredictionGroupReader"/> and <see cref="LabelGroupReader"/>: groups of per-class arrays.</summary>
public class ClassGroupReaderTests
{
    private static readonly Shape3 Shape = new(2, 2, 3);

    [Fact]
    public void A_single_nonzero_value_is_a_mask_whatever_the_value_and_several_values_are_instance_ids()
    {
        using var temp = new TempDirectory();
        var group = temp.Combine("pred.zarr");
        ZarrGroup.Create(group);
        Write<byte>(group, "er", [0, 255, 255, 0, 0, 255, 0, 0, 0, 0, 0, 255]);
        Write<ushort>(group, "mito", [0, 3, 3, 0, 7, 7, 0, 0, 0, 0, 0, 3]);

        var predictions = PredictionGroupReader.Read(group, ["er", "mito"], Shape, "truth");

        Assert.Null(predictions["er"].Instances);
        Assert.Equal(new byte[] { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1 }, predictions["er"].Mask.Data);
        Assert.Equal(new uint[] { 0, 3, 3, 0, 7, 7, 0, 0, 0, 0, 0, 3 }, predictions["mito"].Instances!.Data);
        Assert.Equal(new byte[] { 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1 }, predictions["mito"].Mask.Data);
    }

    [Fact]
    public void Negative_values_and_missing_classes_are_errors_that_name_the_class_and_the_place()
    {
        using var temp = new TempDirectory();
        var group = temp.Combine("pred.zarr");
        ZarrGroup.Create(group);
        Write<int>(group, "mito", [0, -1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

        var negative = Assert.Throws<ZarrFormatException>(() => PredictionGroupReader.Read(group, ["mito"], Shape, "truth"));
        Assert.Contains("class 'mito'", negative.Message, StringComparison.Ordinal);
        Assert.Equal("dtype", negative.Field);

        var missing = Assert.Throws<ZarrFormatException>(() => PredictionGroupReader.Read(group, ["er"], Shape, "the truth crop"));
        Assert.Contains("class 'er'", missing.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(group, "er", "s0", ZarrArray.MetadataFileName), missing.Message, StringComparison.Ordinal);
        Assert.Contains("the prediction holds: mito", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Class_groups_in_the_CellMap_style_are_found_and_give_the_truth_its_voxel_size()
    {
        using var temp = new TempDirectory();
        var group = temp.Combine("truth.zarr");
        ZarrGroup.Create(group);
        var mito = Path.Combine(group, "mito");
        Write<byte>(mito, "s0", [0, 1, 1, 0, 255, 255, 0, 0, 0, 0, 0, 1]);
        OmeNgff.WriteMultiscale(mito, new OmeMultiscale("mito", OmeAxis.SpatialZyx, [OmeScaleLevel.Create("s0", new VoxelSize(40, 4, 4), [0, 0, 0])]));

        var truth = LabelGroupReader.Read(group);

        Assert.Equal(Shape, truth.Shape);
        Assert.Equal(new VoxelSize(40, 4, 4), truth.VoxelSize);
        Assert.Equal(255, truth.Labels["mito"].Mask[0, 1, 1]);
        Assert.Equal(["mito"], PredictionGroupReader.ListClasses(group));
    }

    [Fact]
    public void A_truth_group_takes_its_voxel_size_from_its_attributes_and_rejects_classes_on_other_grids()
    {
        using var temp = new TempDirectory();
        var group = temp.Combine("truth.zarr");
        ZarrGroup.Create(group);
        ZarrGroup.WriteAttributes(group, new System.Text.Json.Nodes.JsonObject { [LabelGroupReader.VoxelSizeAttribute] = new System.Text.Json.Nodes.JsonArray(8, 8, 8) });
        Write<byte>(group, "er", new byte[Shape.Count]);
        Assert.Equal(VoxelSize.Isotropic(8), LabelGroupReader.Read(group).VoxelSize);

        ZarrArray.Create<byte>(Path.Combine(group, "mito"), [2, 2, 2], [2, 2, 2]).Write<byte>(new byte[8]);
        var error = Assert.Throws<ZarrFormatException>(() => LabelGroupReader.Read(group));
        Assert.Equal(Path.Combine(group, "mito", ZarrArray.MetadataFileName), error.FilePath);
    }

    private static void Write<T>(string group, string name, T[] values)
        where T : unmanaged, System.Numerics.INumberBase<T> =>
        ZarrArray.Create<T>(Path.Combine(group, name), [Shape.Z, Shape.Y, Shape.X], Shape.ToArray()).Write<T>(values);
}
