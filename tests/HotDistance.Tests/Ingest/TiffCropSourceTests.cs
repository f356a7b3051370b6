using System.IO.Compression;
using System.Runtime.InteropServices;
using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;
using HotDistance.Ingest;
using HotDistance.Ingest.Formats;

namespace HotDistance.Tests.Ingest;

/// <summary>TIFF stacks written by tifffile (Fixtures/make_zarr_fixtures.py) read back as the crops they describe.</summary>
public class TiffCropSourceTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiff");

    private static T[] Expected<T>(string name) where T : unmanaged
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(Root, "expected", name + ".bin.gz")), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return MemoryMarshal.Cast<byte, T>(bytes.ToArray()).ToArray();
    }

    [Fact]
    public void One_labels_image_with_a_value_per_class_reads_as_one_mask_per_class()
    {
        var source = CropSourceDetector.Detect(Path.Combine(Root, "dense"), new IngestSettings());

        Assert.Equal(TiffCropSource.FormatName, source.Format);
        var name = Assert.Single(source.ListCrops());
        var crop = source.Read(name);

        Assert.Equal("dense-crop", crop.Name);
        Assert.Equal(new Shape3(6, 10, 12), crop.Shape);
        Assert.Equal(new VoxelSize(8, 4, 4), crop.VoxelSize);
        Assert.Equal([16.0, 8, 8], crop.OffsetNm);
        Assert.Equal(Expected<byte>("dense_raw").Select(v => v / 255f), crop.Raw.Data);

        var labels = Expected<byte>("dense_labels");
        Assert.Equal(["er", "mito"], crop.Labels.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(labels.Select(v => v == 1 ? LabelValues.Present : v == 255 ? LabelValues.Unknown : LabelValues.Absent), crop.Labels["mito"].Mask.Data);
        Assert.Equal(labels.Select(v => v == 2 ? LabelValues.Present : v == 255 ? LabelValues.Unknown : LabelValues.Absent), crop.Labels["er"].Mask.Data);
        Assert.Contains(crop.Labels["er"].Mask.Data, v => v == LabelValues.Present);
    }

    [Fact]
    public void One_tiff_per_class_reads_tiled_uint16_raw_big_endian_instance_ids_and_binary_masks()
    {
        // The sidecar itself may be given instead of its folder.
        var source = CropSourceDetector.Detect(Path.Combine(Root, "per_class", "crop.json"), new IngestSettings());
        var crop = source.Read(Assert.Single(source.ListCrops()));

        Assert.Equal("per_class", crop.Name);
        Assert.Equal(new Shape3(3, 20, 24), crop.Shape);
        Assert.Equal(new VoxelSize(10, 5, 5), crop.VoxelSize);
        Assert.Equal([0.0, 0, 0], crop.OffsetNm);
        Assert.Equal(Expected<ushort>("per_class_raw").Select(v => v / 65535f), crop.Raw.Data);

        var mito = crop.Labels["mito"];
        Assert.True(mito.IsInstance);
        Assert.Equal(Expected<uint>("per_class_mito"), mito.Instances!.Data);
        Assert.Contains(3_000_000_000u, mito.Instances.Data);
        var er = crop.Labels["er"];
        Assert.False(er.IsInstance);
        Assert.Equal(Expected<byte>("per_class_er"), er.Mask.Data);
    }

    [Fact]
    public void A_file_that_is_not_a_tiff_names_the_file()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("crop");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Root, "dense", "crop.json"), Path.Combine(folder, "crop.json"));
        File.Copy(Path.Combine(Root, "dense", "labels.tif"), Path.Combine(folder, "labels.tif"));
        File.WriteAllText(Path.Combine(folder, "raw.tif"), "not a tiff");

        var source = CropSourceDetector.Detect(folder, new IngestSettings());
        var error = Assert.Throws<CropFormatException>(() => source.Read("dense-crop"));

        Assert.Equal(Path.Combine(folder, "raw.tif"), error.FilePath);
        Assert.Contains("not a readable TIFF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_raw_and_labels_pair_cut_short_is_refused_rather_than_read_as_a_shorter_crop()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("cut");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "dense")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        // Both files stop at 5/8 of their bytes, as after an interrupted copy.
        foreach (var tif in Directory.EnumerateFiles(folder, "*.tif"))
        {
            using var stream = new FileStream(tif, FileMode.Open, FileAccess.ReadWrite);
            stream.SetLength(stream.Length * 5 / 8);
        }

        var source = CropSourceDetector.Detect(folder, new IngestSettings());
        var error = Assert.Throws<CropFormatException>(() => source.Read(Assert.Single(source.ListCrops())));

        Assert.Contains("raw.tif", error.Message, StringComparison.Ordinal);
        Assert.Contains("promises 6", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_of_tiffs_without_a_sidecar_says_what_is_missing()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("stack");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Root, "dense", "raw.tif"), Path.Combine(folder, "raw.tif"));

        var error = Assert.Throws<CropFormatException>(() => CropSourceDetector.Detect(folder, new IngestSettings()));

        Assert.Contains("no crop.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("voxel_size", error.Message, StringComparison.Ordinal);
    }
}
