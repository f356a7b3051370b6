using System.Globalization;
using HotDistance.Core;
using HotDistance.Core.Crops;

namespace HotDistance.Ingest;

/// <summary>
/// Checks that a crop read from any format can be trained on. Every problem is its own message naming where
/// (the source, and the class), the field, and the fix; format problems (dtype, unreadable chunks, raw and labels
/// on different grids) are found by the readers.
/// </summary>
public static class CropValidator
{
    public static IReadOnlyList<string> Validate(Crop crop, string source, PipelineSettings settings, int minimumInPlaneVoxels, string voxelSizeField = "voxel size")
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        if (!crop.VoxelSize.IsValid)
        {
            problems.Add($"{source}: field '{voxelSizeField}' is {crop.VoxelSize}, which is not positive and finite; set the voxel size in nm, (z, y, x), each > 0");
        }

        if (crop.Shape.Count == 0)
        {
            problems.Add($"{source}: field 'shape' is {crop.Shape}, an empty volume; store at least one voxel of raw and labels");
        }

        else if (Math.Min(crop.Shape.Y, crop.Shape.X) < minimumInPlaneVoxels)
        {
            problems.Add($"{source}: field 'shape' is {crop.Shape} (z, y, x), narrower in Y or X than the {minimumInPlaneVoxels} voxels the network downsamples by, so no network can train on it; annotate a crop at least {minimumInPlaneVoxels} voxels wide in Y and X");
        }

        if (crop.OffsetNm.Length != 3 || crop.OffsetNm.Any(o => !double.IsFinite(o)))
        {
            problems.Add($"{source}: field 'offset' is [{string.Join(", ", crop.OffsetNm.Select(o => o.ToString(CultureInfo.InvariantCulture)))}]; give three finite numbers in nm, (z, y, x)");
        }

        if (crop.Labels.Count == 0)
        {
            problems.Add($"{source}: field 'labels' annotates no class; add at least one class");
        }

        var listed = string.Join(", ", settings.Classes);
        if (settings.UnlistedClasses == UnlistedClassPolicy.Ignore && crop.Labels.Count > 0 && !crop.Labels.Keys.Any(settings.Classes.Contains))
        {
            problems.Add($"{source}: field 'labels' annotates {string.Join(", ", crop.Labels.Keys.Order(StringComparer.Ordinal))}, none of the pipeline's classes ({listed}); add the classes to train to pipeline:classes");
        }

        foreach (var (name, labels) in crop.Labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var where = $"{source}/{name}";
            if (!settings.Classes.Contains(name))
            {
                if (settings.UnlistedClasses == UnlistedClassPolicy.Ignore)
                {
                    continue;
                }

                var extended = string.Join(", ", settings.Classes.Append(name).Select(c => $"\"{c}\""));
                problems.Add(
                    $"{where}: field 'class' is '{name}', which is not one of the pipeline's classes ({listed}); add it to pipeline:classes " +
                    $"(in hd.json: \"pipeline\": {{ \"classes\": [{extended}] }}), or set pipeline:unlistedClasses to ignore to train on the listed classes only, or rename the class");
            }

            if (labels.Mask.Shape != crop.Shape)
            {
                problems.Add($"{where}: field 'shape' is {labels.Mask.Shape}, raw is {crop.Shape}; labels and raw must cover the same voxels");
                continue;
            }

            if (!settings.InstanceClasses.Contains(name) && labels.Instances is { } ids && FirstNonBinary(ids.Data) is uint odd)
            {
                problems.Add($"{where}: field 'values' holds {odd.ToString(CultureInfo.InvariantCulture)}, but '{name}' is a semantic class (0 absent, 1 present, 255 unknown); write the class as a 0/1/255 mask, or list it among the instance classes");
            }

            if (!labels.Mask.Data.Any(v => v != LabelValues.Unknown))
            {
                problems.Add($"{where}: field 'values' is unknown (255) in every voxel, so nothing is annotated; annotate at least one voxel or drop the class");
            }
        }

        return problems;
    }

    private static uint? FirstNonBinary(uint[] ids)
    {
        foreach (var id in ids)
        {
            if (id is not (LabelValues.Absent or LabelValues.Present or LabelValues.Unknown))
            {
                return id;
            }
        }

        return null;
    }
}
