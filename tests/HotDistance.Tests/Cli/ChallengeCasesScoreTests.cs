using System.Text.Json.Nodes;
using HotDistance.Cli;
using HotDistance.Tests.Zarr;

namespace HotDistance.Tests.Cli;

/// <summary>
/// Issue 13's acceptance cases for scoring, written by zarr-python and scored by hd score: an id on two separate
/// objects, and two matchings of equal summed IoU. The challenge's numbers, worked out in ChallengeRulesTests: two
/// true positives, no false ones, F1 1 in both.
/// </summary>
[Collection(HdConsoleCollectionDefinition.Name)]
public sealed class ChallengeCasesScoreTests
{
    /// <summary>Writes argv[1]/truth.zarr and argv[1]/pred.zarr, each a group with a uint32 "mito" array, for case argv[2].</summary>
    private const string WriteCase = """
        import os, sys
        import numpy as np, zarr
        folder, case = sys.argv[1], sys.argv[2]
        if case == "split":
            truth = np.zeros((6, 6, 12), np.uint32); pred = np.zeros_like(truth)
            truth[0:2, 0:2, 0:2] = 1; truth[0:2, 0:2, 8:10] = 2
            pred[0:2, 0:2, 0:2] = 7; pred[0:2, 0:2, 8:10] = 7
        else:
            truth = np.array([[[0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2]]], np.uint32)
            pred = np.array([[[2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0]]], np.uint32)
        for name, values in (("truth.zarr", truth), ("pred.zarr", pred)):
            group = zarr.open_group(os.path.join(folder, name), mode="w")
            group.attrs["voxel_size_nm"] = [8, 8, 8]
            group.create_dataset("mito", data=values, chunks=values.shape)
        print(case, "written")
        """;

    [Theory]
    [InlineData("split")]
    [InlineData("tie")]
    public async Task Hd_score_gives_the_challenges_instance_counts(string name)
    {
        using var temp = new TempDirectory();
        ZarrPython.Run(WriteCase, temp.Path, name);

        var (exitCode, printed) = await HdInProcess.RunAsync("score", "--truth", temp.Combine("truth.zarr"), "--pred", temp.Combine("pred.zarr"), "--json", temp.Combine("scores.json"));

        Assert.True(exitCode == ExitCodes.Success, printed);
        var mito = Assert.Single(JsonNode.Parse(File.ReadAllText(temp.Combine("scores.json")))!["classes"]!.AsArray())!;
        var instances = mito["instances"]!;
        Assert.Equal((2L, 0L, 0L), ((long)instances["true_positives"]!, (long)instances["false_positives"]!, (long)instances["false_negatives"]!));
        Assert.Equal(1.0, (double)mito["f1"]!);
    }
}
