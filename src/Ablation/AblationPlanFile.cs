using System.Globalization;
using System.Text.Json;
using HotDistance.Core.IO;
using HotDistance.Core.Security;
using HotDistance.Core.Zarr;
using HotDistance.Learning.Training;

namespace HotDistance.Ablation;

/// <summary>
/// The one reader and writer of an ablation's plan.json and its crops (Zarr datasets under crops/), in the ablation's
/// folder in the shared workspace. The writer copies the crops, so runners never need the paths the command was given;
/// the reader accepts only datasets inside the folder. Both sides read the crops back through the same reader, so
/// every cell, wherever it runs, trains on the same bytes.
/// </summary>
public static class AblationPlanFile
{
    public const string FileName = "plan.json";
    public const string CropsDirectory = "crops";
    private const string CropGroup = "crop1";

    public static void Write(string folder, AblationSettings settings, AblationInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(inputs);
        PlannedCrop Copy(string prefix, int index, string id, string hash, Core.Crops.Crop crop)
        {
            var dataset = Path.Combine(CropsDirectory, string.Create(CultureInfo.InvariantCulture, $"{prefix}-{index:D3}.zarr"));
            var path = Path.Combine(folder, dataset);
            if (!Directory.Exists(path))
            {
                // Written beside and renamed into place, so a plan never names a half-written crop.
                var partial = path + ".partial";
                if (Directory.Exists(partial))
                {
                    Directory.Delete(partial, recursive: true);
                }

                CellMapCropWriter.Write(crop, partial, CropGroup);
                Directory.Move(partial, path);
            }

            return new PlannedCrop(id, crop.Name, hash, dataset);
        }

        var training = inputs.Training.Select((c, i) => Copy("train", i, c.CropId, c.ContentHash, c.Crop)).ToList();
        var heldOut = inputs.HeldOut.Select((c, i) => Copy("heldout", i, c.Name, Core.Crops.CropContentHash.Compute(c), c)).ToList();
        var plan = new AblationPlan(settings, training, heldOut, inputs.Classes, [.. inputs.InstanceClasses], inputs.MutuallyExclusive, inputs.Architecture, inputs.Intensity);
        AtomicFile.WriteJson(Path.Combine(folder, FileName), plan);
    }

    /// <summary>The plan's settings and inputs; <paramref name="device"/> is where this process computes.</summary>
    public static (AblationSettings Settings, AblationInputs Inputs) Read(string folder, string? device)
    {
        var path = Path.Combine(folder, FileName);
        AblationPlan? plan;
        try
        {
            plan = AtomicFile.ReadJson<AblationPlan>(path);
        }
        catch (JsonException exception)
        {
            throw new UntrustedInputException(path, $"{path} is not an ablation plan: {exception.Message}");
        }

        if (plan is not { Settings: not null, Training.Count: > 0, HeldOut.Count: > 0, Classes.Count: > 0, Architecture: not null, Intensity: not null })
        {
            throw new UntrustedInputException(path, $"{path} is not a complete ablation plan (settings, training and held-out crops, classes, network)");
        }

        Core.Crops.Crop Load(PlannedCrop planned)
        {
            if (!InputPaths.StaysInside(planned.Dataset))
            {
                throw new UntrustedInputException(path, $"{path} names crop {planned.Dataset}, outside its folder: refused");
            }

            return CellMapCropReader.Read(Path.Combine(folder, planned.Dataset), CropGroup).With(name: planned.Name);
        }

        var inputs = new AblationInputs(
            plan.Training.Select(c => new TrainingCrop(c.CropId, c.ContentHash, Load(c))).ToList(),
            plan.HeldOut.Select(Load).ToList(),
            plan.Classes,
            plan.InstanceClasses.ToHashSet(StringComparer.Ordinal),
            plan.MutuallyExclusive,
            plan.Architecture,
            plan.Intensity,
            device);
        return (plan.Settings, inputs);
    }
}
