using System.Text.Json.Nodes;

namespace HotDistance.Core.Metrics;

/// <summary>
/// A <see cref="ScoreReport"/> as JSON for scripts: the overall, semantic and instance scores and every metric of
/// every class, with snake_case names. Numbers are JSON numbers (culture-independent); metrics a class kind does
/// not have are null.
/// </summary>
public static class ScoreReportJson
{
    public static JsonObject ToJson(ScoreReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var classes = new JsonArray();
        foreach (var score in report.Classes)
        {
            classes.Add(new JsonObject
            {
                ["class"] = score.ClassName,
                ["kind"] = score.Kind == ClassKind.Instance ? "instance" : "semantic",
                ["crops"] = score.CropCount,
                ["iou"] = score.IoU,
                ["dice"] = score.Dice,
                ["precision"] = score.Precision,
                ["recall"] = score.Recall,
                ["f1"] = score.F1,
                ["mean_hausdorff_nm"] = score.MeanHausdorffNm,
                ["mean_normalized_hausdorff"] = score.MeanNormalizedHausdorff,
                ["combined"] = score.Combined,
                ["score"] = score.Score,
                ["voxels"] = new JsonObject
                {
                    ["true_positives"] = score.Voxels.TruePositives,
                    ["false_positives"] = score.Voxels.FalsePositives,
                    ["false_negatives"] = score.Voxels.FalseNegatives,
                    ["true_negatives"] = score.Voxels.TrueNegatives,
                },
                ["instances"] = score.Instances is { } counts
                    ? new JsonObject
                    {
                        ["true_positives"] = counts.TruePositives,
                        ["false_positives"] = counts.FalsePositives,
                        ["false_negatives"] = counts.FalseNegatives,
                    }
                    : null,
            });
        }

        return new JsonObject
        {
            ["overall"] = report.Overall,
            ["semantic_score"] = report.SemanticScore,
            ["instance_score"] = report.InstanceScore,
            ["classes"] = classes,
        };
    }
}
