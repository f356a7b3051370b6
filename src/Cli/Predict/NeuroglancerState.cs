using System.Text.Json.Nodes;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Blockwise;

namespace HotDistance.Cli.Predict;

/// <summary>
/// A neuroglancer viewer state for a segmentation output: the instances of each instance class and each class's
/// mask as segmentation layers, the raw outputs as image layers (hidden), all read through neuroglancer's zarr
/// source from <c>&lt;baseUrl&gt;/&lt;output folder name&gt;/...</c>, which a web server serving the output's parent
/// folder (with CORS headers) provides. Dimensions are the output's voxel size in metres.
/// </summary>
public static class NeuroglancerState
{
    public const string DefaultBaseUrl = "http://localhost:8000";

    public const string ViewerUrl = "https://neuroglancer-demo.appspot.com/";

    public static JsonObject For(string output, BlockwiseJob job, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var root = $"{baseUrl.TrimEnd('/')}/{Uri.EscapeDataString(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(output))))}";
        var dimensions = new JsonObject();
        string[] axes = ["z", "y", "x"];
        for (var axis = 0; axis < 3; axis++)
        {
            dimensions[axes[axis]] = new JsonArray(job.VoxelSizeNm[axis] * 1e-9, "m");
        }

        var layers = new JsonArray();
        void Layer(string type, string group, string className, string name, bool visible)
        {
            if (!Directory.Exists(Path.Combine(output, group, className)))
            {
                return;
            }

            layers.Add(new JsonObject
            {
                ["type"] = type,
                ["source"] = $"zarr://{root}/{group}/{Uri.EscapeDataString(className)}",
                ["name"] = name,
                ["visible"] = visible,
            });
        }

        foreach (var className in job.Classes)
        {
            var instances = job.InstanceClasses.Contains(className);
            Layer("segmentation", SegmentationZarrWriter.InstancesGroup, className, $"{className} instances", visible: true);
            Layer("segmentation", SegmentationZarrWriter.SemanticGroup, className, $"{className} mask", visible: !instances);
            Layer("image", SegmentationZarrWriter.ProbabilitiesGroup, className, $"{className} probability", visible: false);
            Layer("image", SegmentationZarrWriter.DistancesGroup, className, $"{className} distance", visible: false);
        }

        // Offsets place the volume in physical space; the view starts at its centre.
        var position = new JsonArray();
        for (var axis = 0; axis < 3; axis++)
        {
            position.Add((job.OffsetNm[axis] / job.VoxelSizeNm[axis]) + (job.Volume[axis] / 2.0));
        }

        return new JsonObject
        {
            ["dimensions"] = dimensions,
            ["position"] = position,
            ["crossSectionScale"] = 1,
            ["layers"] = layers,
            ["layout"] = "4panel",
        };
    }

    /// <summary>The viewer link that opens <paramref name="state"/>.</summary>
    public static string Link(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ViewerUrl + "#!" + Uri.EscapeDataString(state.ToJsonString());
    }
}
