using System.Globalization;
using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;
using PureHDF;

namespace HotDistance.Ingest.Formats;

/// <summary>
/// An HDF5 file in the CREMI layout: <c>volumes/raw</c> (uint8 or uint16) and one dataset per class under
/// <c>volumes/labels</c>, each with a <c>resolution</c> attribute (nm, z y x) and optionally an <c>offset</c>
/// attribute (nm). CREMI's <c>neuron_ids</c> are read as the instance class "cell" and <c>mitochondria</c> as
/// "mito"; any other dataset's name is its class. Labels may cover part of the raw (CREMI's padded volumes):
/// the raw is cut to the labelled region, which must lie inside the raw, on its voxel grid, at its resolution.
/// </summary>
public sealed class CremiCropSource(string path, long maxCropVoxels = CropLimits.DefaultMaxVoxels) : ICropSource
{
    public const string FormatName = "cremi-hdf5";
    public const string RawDataset = "volumes/raw";
    public const string LabelsGroup = "volumes/labels";

    private static readonly Dictionary<string, string> CremiClassNames = new(StringComparer.Ordinal)
    {
        ["neuron_ids"] = "cell",
        ["mitochondria"] = "mito",
    };

    public string Path { get; } = path;

    public string Format => FormatName;

    public IReadOnlyList<string> ListCrops() => [System.IO.Path.GetFileNameWithoutExtension(Path)];

    public Crop Read(string cropName)
    {
        try
        {
            using var file = H5File.OpenRead(Path);
            return Read(file, cropName);
        }
        catch (Exception e) when (e is not CropFormatException and not OutOfMemoryException)
        {
            throw new CropFormatException(Path, "file", $"cannot be read as HDF5 ({e.Message})",
                "the file is truncated, corrupt or not HDF5: write it again (h5py or PureHDF)", e);
        }
    }

    public QuarantineCopy QuarantineCopyOf(string? cropName) => QuarantineCopy.Whole(Path);

    private Crop Read(PureHDF.VOL.Native.NativeFile file, string cropName)
    {
        if (!file.LinkExists(RawDataset))
        {
            throw new CropFormatException(Path, RawDataset, "is missing", $"store the raw as the dataset /{RawDataset} (CREMI layout)");
        }

        var rawSet = file.Dataset(RawDataset);
        var rawShape = ShapeOf(rawSet, RawDataset);
        var resolution = Triple(rawSet, RawDataset, "resolution")
            ?? throw new CropFormatException(Path, $"{RawDataset} attribute resolution", "is missing",
                "add the voxel size in nm, (z, y, x), e.g. dataset.attrs['resolution'] = (40.0, 4.0, 4.0)");
        var rawOffset = Triple(rawSet, RawDataset, "offset") ?? [0, 0, 0];

        var classes = new List<(string ClassName, string DatasetPath, IH5Dataset Dataset)>();
        if (file.LinkExists(LabelsGroup))
        {
            foreach (var child in file.Group(LabelsGroup).Children())
            {
                if (child is IH5Dataset dataset)
                {
                    var className = CremiClassNames.GetValueOrDefault(child.Name, child.Name);
                    classes.Add((className, $"{LabelsGroup}/{child.Name}", dataset));
                }
            }
        }

        if (classes.Count == 0)
        {
            throw new CropFormatException(Path, LabelsGroup, "holds no label datasets",
                $"store each annotated class as /{LabelsGroup}/<class> (e.g. neuron_ids, mito)");
        }

        Shape3? shape = null;
        double[]? labelOffset = null;
        var labels = new Dictionary<string, ClassLabels>(StringComparer.Ordinal);
        foreach (var (className, datasetPath, dataset) in classes.OrderBy(c => c.ClassName, StringComparer.Ordinal))
        {
            var classShape = ShapeOf(dataset, datasetPath);
            var classResolution = Triple(dataset, datasetPath, "resolution") ?? resolution;
            var classOffset = Triple(dataset, datasetPath, "offset") ?? rawOffset;
            if (!classResolution.SequenceEqual(resolution))
            {
                throw new CropFormatException(Path, $"{datasetPath} attribute resolution",
                    $"is {Nm(classResolution)} nm, the raw's is {Nm(resolution)} nm", "resample the labels to the raw's resolution");
            }

            if (shape is null)
            {
                (shape, labelOffset) = (classShape, classOffset);
            }
            else if (classShape != shape || !classOffset.SequenceEqual(labelOffset!))
            {
                throw new CropFormatException(Path, datasetPath,
                    $"covers {classShape} voxels at {Nm(classOffset)} nm, other classes {shape} at {Nm(labelOffset!)} nm",
                    "store every class on the same region");
            }

            var (values, bytesPerValue) = ReadLabelValues(dataset, datasetPath);
            if (labels.ContainsKey(className))
            {
                throw new CropFormatException(Path, datasetPath, $"is a second dataset for class '{className}'", "keep one dataset per class");
            }

            labels[className] = LabelArray.ToClassLabels(className, classShape, values, bytesPerValue, $"{Path}:/{datasetPath}", "values");
        }

        var start = new long[3];
        for (var d = 0; d < 3; d++)
        {
            var voxels = (labelOffset![d] - rawOffset[d]) / resolution[d];
            start[d] = (long)Math.Round(voxels);
            if (Math.Abs(voxels - start[d]) > 1e-3 || start[d] < 0 || start[d] + shape!.Value[d] > rawShape[d])
            {
                throw new CropFormatException(Path, $"{LabelsGroup} attribute offset",
                    $"puts the labels ({shape} voxels at {Nm(labelOffset)} nm) outside the raw ({rawShape} voxels at {Nm(rawOffset)} nm) or off its voxel grid",
                    "fix the labels' offset (nm), or crop the labels to the raw's extent");
            }
        }

        var (raw, rawMaximum) = ReadRaw(rawSet, rawShape, start, shape!.Value);
        return new Crop
        {
            Name = cropName,
            Raw = raw,
            RawMaximum = rawMaximum,
            VoxelSize = VoxelSize.FromArray(resolution),
            OffsetNm = labelOffset!,
            Labels = labels,
        };
    }

    private (Volume<float> Raw, double Maximum) ReadRaw(IH5Dataset rawSet, Shape3 rawShape, long[] start, Shape3 shape)
    {
        var type = rawSet.Type;
        if (type.Class != H5DataTypeClass.FixedPoint || type.FixedPoint.IsSigned || type.Size is not (1 or 2))
        {
            throw new CropFormatException(Path, $"{RawDataset} dtype", $"is {Describe(type)}", "store raw as uint8 or uint16");
        }

        // Reading the whole raw and cutting keeps to PureHDF's simplest path; CREMI volumes are a few hundred MB.
        return type.Size == 1
            ? (RawIntensity.FromUInt8(shape, Cut(rawSet.Read<byte[]>(), rawShape, start, shape)), RawIntensity.UInt8Maximum)
            : (RawIntensity.FromUInt16(shape, Cut(rawSet.Read<ushort[]>(), rawShape, start, shape)), RawIntensity.UInt16Maximum);
    }

    private static T[] Cut<T>(T[] all, Shape3 whole, long[] start, Shape3 shape)
    {
        if (whole == shape)
        {
            return all;
        }

        var result = new T[shape.Count];
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                Array.Copy(all, whole.Index((int)start[0] + z, (int)start[1] + y, (int)start[2]), result, shape.Index(z, y, 0), shape.X);
            }
        }

        return result;
    }

    private (ulong[] Values, int BytesPerValue) ReadLabelValues(IH5Dataset dataset, string datasetPath)
    {
        var type = dataset.Type;
        if (type.Class != H5DataTypeClass.FixedPoint || type.Size is not (1 or 2 or 4 or 8))
        {
            throw new CropFormatException(Path, $"{datasetPath} dtype", $"is {Describe(type)}",
                "store labels as unsigned integers: uint8 0/1/255 for binary classes, instance ids (uint32 or uint64) for instance classes");
        }

        ulong[] values;
        if (type.FixedPoint.IsSigned)
        {
            long[] signed = type.Size switch
            {
                1 => Array.ConvertAll(dataset.Read<sbyte[]>(), v => (long)v),
                2 => Array.ConvertAll(dataset.Read<short[]>(), v => (long)v),
                4 => Array.ConvertAll(dataset.Read<int[]>(), v => (long)v),
                _ => dataset.Read<long[]>(),
            };
            if (Array.Find(signed, v => v < 0) is var negative && negative < 0)
            {
                throw new CropFormatException(Path, $"{datasetPath} values", $"include {negative.ToString(CultureInfo.InvariantCulture)}", "labels are 0 or more: store them as unsigned integers");
            }

            values = Array.ConvertAll(signed, v => (ulong)v);
        }
        else
        {
            values = type.Size switch
            {
                1 => Array.ConvertAll(dataset.Read<byte[]>(), v => (ulong)v),
                2 => Array.ConvertAll(dataset.Read<ushort[]>(), v => (ulong)v),
                4 => Array.ConvertAll(dataset.Read<uint[]>(), v => (ulong)v),
                _ => dataset.Read<ulong[]>(),
            };
        }

        return (values, type.Size);
    }

    private Shape3 ShapeOf(IH5Dataset dataset, string datasetPath)
    {
        var dims = dataset.Space.Dimensions;
        if (dims.Length != 3 || dims.Any(d => d > int.MaxValue))
        {
            throw new CropFormatException(Path, $"{datasetPath} shape", $"is [{string.Join(", ", dims)}]", "store volumes as 3-D (z, y, x) datasets");
        }

        var shape = new Shape3((int)dims[0], (int)dims[1], (int)dims[2]);
        return shape.Count <= maxCropVoxels
            ? shape
            : throw new CropFormatException(Path, $"{datasetPath} shape", $"is {shape}, {shape.Count} voxels, over the {maxCropVoxels} a crop may hold", "split it into smaller crops (or raise the ingest limit MaxCropVoxels)");
    }

    /// <summary>A 3-vector attribute in nm, whatever numeric type it was written with; null when absent.</summary>
    private double[]? Triple(IH5Dataset dataset, string datasetPath, string name)
    {
        if (!dataset.AttributeExists(name))
        {
            return null;
        }

        var attribute = dataset.Attribute(name);
        var type = attribute.Type;
        double[] values = (type.Class, type.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 8) => attribute.Read<double[]>(),
            (H5DataTypeClass.FloatingPoint, 4) => Array.ConvertAll(attribute.Read<float[]>(), v => (double)v),
            (H5DataTypeClass.FixedPoint, 8) => Array.ConvertAll(attribute.Read<long[]>(), v => (double)v),
            (H5DataTypeClass.FixedPoint, 4) => Array.ConvertAll(attribute.Read<int[]>(), v => (double)v),
            _ => throw new CropFormatException(Path, $"{datasetPath} attribute {name}", $"is {Describe(type)}", "write three numbers in nm, e.g. (40.0, 4.0, 4.0)"),
        };
        return values.Length == 3
            ? values
            : throw new CropFormatException(Path, $"{datasetPath} attribute {name}", $"has {values.Length} values", "write three numbers in nm, (z, y, x)");
    }

    private static string Describe(IH5DataType type) =>
        type.Class == H5DataTypeClass.FixedPoint
            ? $"{(type.FixedPoint.IsSigned ? "int" : "uint")}{type.Size * 8}"
            : $"{type.Class} of {type.Size} bytes";

    private static string Nm(IEnumerable<double> values) =>
        "[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
}
