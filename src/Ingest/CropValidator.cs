using HotDistance.Core;
using HotDistance.Core.Crops;

namespace HotDistance.Ingest;

/// <summary>Checks that a crop can be trained on; each problem names the crop, the field and the fix.</summary>
public static class CropValidator
{
    public static IReadOnlyList<string> Validate(Crop crop, PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        if (!crop.VoxelSize.IsValid)
        {
            problems.Add($"{crop.Name}: voxel size {crop.VoxelSize} must be positive and finite: set the 'scale' of the multiscales coordinateTransformations in nm");
        }

        if (crop.Labels.Count == 0)
        {
            problems.Add($"{crop.Name}: annotates no class: add at least one class group under labels/groundtruth/<crop>/");
        }

        foreach (var (name, labels) in crop.Labels)
        {
            if (!settings.Classes.Contains(name))
            {
                problems.Add($"{crop.Name}/{name}: class '{name}' is not in the class map ({string.Join(", ", settings.Classes)}): rename the group or add the class to the configuration");
            }

            if (labels.Mask.Shape != crop.Shape)
            {
                problems.Add($"{crop.Name}/{name}: labels are {labels.Mask.Shape}, raw is {crop.Shape}: labels and raw must cover the same voxels");
            }

            if (!labels.Mask.Data.Any(v => v != LabelValues.Unknown))
            {
                problems.Add($"{crop.Name}/{name}: every voxel is unknown (255): annotate at least one voxel or drop the class group");
            }
        }

        return problems;
    }
}
