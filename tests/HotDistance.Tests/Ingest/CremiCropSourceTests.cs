using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;
using HotDistance.Ingest;
using HotDistance.Ingest.Formats;
using PureHDF;

namespace HotDistance.Tests.Ingest;

/// <summary>
/// CREMI-layout HDF5. Debian's python here has no h5py, so the files are written with PureHDF's writer; the
/// reader uses PureHDF's reader, which is independent code in the same library.
/// </summary>
public class CremiCropSourceTests
{
    private static readonly Shape3 RawShape = new(4, 12, 10);

    private static byte[] RawValues() => Enumerable.Range(0, (int)RawShape.Count).Select(i => (byte)((i * 7) % 251)).ToArray();

    private static string WriteCremi(TempDirectory temp, string name, Action<H5Group, H5Dataset> customise)
    {
        var raw = new H5Dataset(RawValues(), fileDims: [4, 12, 10]);
        raw.Attributes["resolution"] = new double[] { 40, 4, 4 };
        var neurons = new ulong[2 * 6 * 5];
        for (var i = 0; i < neurons.Length; i++)
        {
            neurons[i] = i < 30 ? 5UL : 9UL;
        }

        var neuronSet = new H5Dataset(neurons, fileDims: [2, 6, 5]);
        neuronSet.Attributes["resolution"] = new double[] { 40, 4, 4 };
        neuronSet.Attributes["offset"] = new double[] { 40, 8, 12 };
        var labels = new H5Group { ["neuron_ids"] = neuronSet };
        customise(labels, raw);
        var file = new H5File { ["volumes"] = new H5Group { ["raw"] = raw, ["labels"] = labels } };
        var path = temp.Combine(name);
        file.Write(path);
        return path;
    }

    [Fact]
    public void Padded_cremi_labels_cut_their_region_out_of_the_raw()
    {
        using var temp = new TempDirectory();
        var path = WriteCremi(temp, "sample_A.hdf", (labels, _) =>
        {
            var mito = new byte[2 * 6 * 5];
            mito[3] = 1;
            mito[4] = 255;
            var set = new H5Dataset(mito, fileDims: [2, 6, 5]);
            set.Attributes["resolution"] = new double[] { 40, 4, 4 };
            set.Attributes["offset"] = new double[] { 40, 8, 12 };
            labels["mitochondria"] = set;
        });

        var source = CropSourceDetector.Detect(path, new IngestSettings());
        Assert.Equal(CremiCropSource.FormatName, source.Format);
        var crop = source.Read(Assert.Single(source.ListCrops()));

        Assert.Equal("sample_A", crop.Name);
        Assert.Equal(new Shape3(2, 6, 5), crop.Shape);
        Assert.Equal(new VoxelSize(40, 4, 4), crop.VoxelSize);
        Assert.Equal([40.0, 8, 12], crop.OffsetNm);

        // Offset (40, 8, 12) nm at (40, 4, 4) nm is voxel (1, 2, 3) of the raw.
        var raw = RawValues();
        Assert.Equal(raw[RawShape.Index(1, 2, 3)] / 255f, crop.Raw[0, 0, 0]);
        Assert.Equal(raw[RawShape.Index(2, 7, 7)] / 255f, crop.Raw[1, 5, 4]);

        Assert.Equal(["cell", "mito"], crop.Labels.Keys.Order(StringComparer.Ordinal));
        Assert.True(crop.Labels["cell"].IsInstance);
        Assert.Equal([5u, 9u], crop.Labels["cell"].Instances!.Data.Distinct().Order());
        Assert.False(crop.Labels["mito"].IsInstance);
        Assert.Equal(LabelValues.Present, crop.Labels["mito"].Mask.Data[3]);
        Assert.Equal(LabelValues.Unknown, crop.Labels["mito"].Mask.Data[4]);
    }

    [Fact]
    public void A_raw_without_resolution_names_the_dataset_and_attribute()
    {
        using var temp = new TempDirectory();
        var path = WriteCremi(temp, "no_resolution.h5", (_, raw) => raw.Attributes.Remove("resolution"));

        var error = Assert.Throws<CropFormatException>(() => new CremiCropSource(path).Read("no_resolution"));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("volumes/raw attribute resolution", error.Message, StringComparison.Ordinal);
        Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_reaching_past_the_raw_are_rejected()
    {
        using var temp = new TempDirectory();
        var path = WriteCremi(temp, "shifted.h5", (labels, _) => ((H5Dataset)labels["neuron_ids"]).Attributes["offset"] = new double[] { 120, 8, 12 });

        var error = Assert.Throws<CropFormatException>(() => new CremiCropSource(path).Read("shifted"));

        Assert.Contains("outside the raw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        var path = WriteCremi(temp, "cut.h5", (_, _) => { });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);

        var error = Assert.Throws<CropFormatException>(() => new CremiCropSource(path).Read("cut"));

        Assert.Contains("cannot be read as HDF5", error.Message, StringComparison.Ordinal);
    }
}
