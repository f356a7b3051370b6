using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;

namespace HotDistance.Ingest.Formats;

/// <summary>
/// A crop as TIFF stacks (one page per Z slice) with a <c>crop.json</c> sidecar (see <see cref="TiffSidecar"/>):
/// a folder holding crop.json, or crop.json itself. Raw and every labels image must have the same shape, since
/// they share the sidecar's voxel size and offset.
/// </summary>
public sealed class TiffCropSource : ICropSource
{
    public const string FormatName = "tiff-stack";

    private readonly string sidecarPath;
    private readonly long maxCropVoxels;

    public TiffCropSource(string path, long maxCropVoxels = CropLimits.DefaultMaxVoxels)
    {
        Path = path;
        this.maxCropVoxels = maxCropVoxels;
        sidecarPath = File.Exists(path) ? path : System.IO.Path.Combine(path, TiffSidecar.FileName);
    }

    public string Path { get; }

    public string Format => FormatName;

    /// <summary>The one crop: the sidecar's name.</summary>
    public IReadOnlyList<string> ListCrops() => [TiffSidecar.Read(sidecarPath).Name];

    public Crop Read(string cropName)
    {
        var sidecar = TiffSidecar.Read(sidecarPath);
        var rawStack = TiffStack.Read(sidecar.RawFile, maxCropVoxels);
        var (raw, rawMaximum) = rawStack.ToRaw(sidecar.RawFile);
        var labels = new Dictionary<string, ClassLabels>(StringComparer.Ordinal);
        if (sidecar.LabelsFile is { } labelsFile)
        {
            var values = ReadLabels(labelsFile, raw.Shape, sidecar);
            foreach (var (className, classValue) in sidecar.ClassValues)
            {
                var mask = new Volume<byte>(raw.Shape);
                for (var i = 0; i < values.Length; i++)
                {
                    mask.Data[i] = values[i] == classValue ? LabelValues.Present
                        : values[i] == sidecar.UnknownValue ? LabelValues.Unknown
                        : LabelValues.Absent;
                }

                labels[className] = new ClassLabels(className, mask);
            }
        }

        foreach (var (className, file) in sidecar.ClassFiles)
        {
            var stack = TiffStack.Read(file, maxCropVoxels);
            labels[className] = LabelArray.ToClassLabels(className, raw.Shape, ReadLabels(file, raw.Shape, sidecar, stack), stack.BytesPerSample, file, "values");
        }

        return new Crop
        {
            Name = sidecar.Name,
            Raw = raw,
            RawMaximum = rawMaximum,
            VoxelSize = VoxelSize.FromArray(sidecar.VoxelSizeNm),
            OffsetNm = sidecar.OffsetNm,
            Labels = labels,
        };
    }

    public QuarantineCopy QuarantineCopyOf(string? cropName) =>
        QuarantineCopy.Whole(Directory.Exists(Path) ? Path : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);

    private ulong[] ReadLabels(string file, Shape3 rawShape, TiffSidecar sidecar, TiffStack? stack = null)
    {
        stack ??= TiffStack.Read(file, maxCropVoxels);
        if (stack.Shape != rawShape)
        {
            var nm = sidecar.VoxelSizeNm;
            throw new CropFormatException(file, "shape",
                $"is {stack.Shape} voxels, raw {sidecar.RawFile} is {rawShape}: at the voxel size of {sidecar.Path} ({nm[0]}, {nm[1]}, {nm[2]} nm) they cover different physical extents",
                "write the labels on the raw's voxel grid (same number of pages, rows and columns), or crop the raw to the labelled region");
        }

        return stack.ToLabelValues(file);
    }
}
