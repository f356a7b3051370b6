using HotDistance.Contracts;

namespace HotDistance.Tests.Catalog;

/// <summary>The events of a pipeline run, as the roles publish them, for feeding the catalog.</summary>
internal static class CatalogFlow
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    public static CropIngested Crop(int index, string split, params string[] classes) => new(
        $"cells-crop{index}",
        $"sha256-{index:D4}",
        $"crop{index}",
        split,
        classes,
        [12, 24, 24],
        [8, 8, 8],
        $"/ws/crops/cells/crop{index}",
        Start.AddMinutes(index));

    public static CropRejected Rejection(int index) =>
        new($"/drop/bad{index}.zarr", "no crops under recon-1/labels/groundtruth/", $"/ws/quarantine/q{index}", Start.AddMinutes(30 + index));

    public static MessageRefused Refused(int index) =>
        new($"00000000-0000-0000-0000-{index:D12}", nameof(ModelTrained), "evaluator-model-trained", "generations/gen-0001/one-hot/final",
            "checkpoint generations/gen-0001/one-hot/final has weights with SHA-256 ab, not the cd the message vouches for: refused", Start.AddMinutes(40 + index));

    public static string GenerationId(int number) => $"gen-{number:D4}";

    public static IEnumerable<TrainingRequested> Requests(int number, int crops, int newCrops) =>
        Variants.All.Select(variant => new TrainingRequested(
            GenerationId(number),
            number,
            variant,
            Variants.All,
            [.. Enumerable.Range(1, crops).Select(i => $"cells-crop{i}")],
            [.. Enumerable.Range(crops - newCrops + 1, newCrops).Select(i => $"cells-crop{i}")],
            ["mito", "er"],
            null,
            Start.AddHours(number)));

    public static TrainingProgressed Progress(int number, string variant, int step, double loss) =>
        new(GenerationId(number), variant, step, 200, loss, 4.5, "runner-a");

    public static ModelTrained Trained(int number, string variant, int crops) => new(
        GenerationId(number),
        number,
        variant,
        Variants.All,
        CheckpointReferences.Trained(GenerationId(number), variant),
        $"ckpt-{number}-{variant}",
        200,
        0.125,
        [.. Enumerable.Range(1, crops).Select(i => $"cells-crop{i}")],
        "runner-a",
        Start.AddHours(number).AddMinutes(20));

    public static EvaluationCompleted Evaluation(int number, string? winner, int heldOut, int training)
    {
        var scores = new List<ModelScore>
        {
            Score(Variants.HotDistance, "challenger", 0.81),
            Score(Variants.OneHot, "challenger", 0.74),
            Score(Variants.Distance, "challenger", 0.69),
        };
        if (number > 1)
        {
            scores.Add(Score(Variants.HotDistance, "champion", 0.78));
        }

        return new EvaluationCompleted(
            $"eval-{GenerationId(number)}",
            GenerationId(number),
            number,
            scores,
            winner is null ? null : scores.First(s => s.Variant == winner && s.Role == "challenger"),
            winner is null ? "no challenger beats the champion by the margin" : $"{winner} beats the champion",
            [.. Enumerable.Range(100, heldOut).Select(i => $"cells-crop{i}")],
            [.. Enumerable.Range(1, training).Select(i => $"cells-crop{i}")],
            $"/ws/evaluations/eval-{GenerationId(number)}/report.md",
            Start.AddHours(number).AddMinutes(30),
            Decision(number, winner));
    }

    /// <summary>
    /// The decision behind <see cref="Evaluation"/>: with a champion (after generation 1) each challenger is compared
    /// with it (0.78); only <paramref name="winner"/>, if any, clears the margin.
    /// </summary>
    public static PromotionDecision Decision(int number, string? winner) => new(
        "lower bound above the margin",
        0.01,
        1000,
        7,
        0.9,
        number == 1
            ? []
            :
            [
                Comparison(Variants.OneHot, 0.74, -0.071, -0.012, winner),
                Comparison(Variants.HotDistance, 0.81, -0.004, 0.066, winner),
                Comparison(Variants.Distance, 0.69, -0.14, -0.05, winner),
            ]);

    private static ChallengerComparison Comparison(string variant, double overall, double lower, double upper, string? winner) =>
        new(variant, CheckpointReferences.Trained("gen-0001", variant), overall, 0.78, overall - 0.78, lower, upper, variant == winner);

    /// <param name="retraining">Whether the night asked for retraining; by default whenever it regressed.</param>
    public static NightlyEvaluationCompleted Nightly(int night, double? champion, double? baseline, bool regression = false, DateTimeOffset? completedAt = null, bool? retraining = null)
    {
        var scheduled = Start.AddDays(night).Date.AddHours(2);
        return new NightlyEvaluationCompleted(
            $"{scheduled:yyyy-MM-dd'T'HHmmss}",
            new DateTimeOffset(scheduled, TimeSpan.Zero),
            champion is { } overall ? [Score(Variants.HotDistance, "champion", overall)] : [],
            ["cells-crop3"],
            champion,
            baseline,
            regression,
            retraining ?? regression,
            $"nightly {night}: champion {champion} against {baseline}",
            completedAt ?? new DateTimeOffset(scheduled, TimeSpan.Zero).AddMinutes(40));
    }

    public static SiteReported SiteReport(string site, int version, DateTimeOffset reportedAt) =>
        new(site, "hd-segmentation", version, $"sha-{version}", reportedAt);

    public static ModelPromoted Promoted(int number, string variant, int version, double overall) => new(
        "hd-segmentation", version, GenerationId(number), variant, $"/ws/registry/hd-segmentation/{version}", $"sha-{version}", overall, Start.AddHours(number).AddMinutes(31));

    public static PromotionDeclined Declined(int number) =>
        new(GenerationId(number), "no challenger beats the champion by the margin", Start.AddHours(number).AddMinutes(31));

    /// <summary>
    /// Four crops (three train, one held out) and a rejection; generation 1 trained, evaluated and promoted;
    /// generation 2 trained and declined; generation 3 half way: hot-distance running, the others queued. Sites
    /// lab-b and lab-a report v1; three nights, the third a regression that asked for retraining.
    /// </summary>
    public static IReadOnlyList<object> FullRun()
    {
        var events = new List<object>
        {
            Crop(1, "train", "mito", "er"),
            Crop(2, "train", "mito"),
            Crop(3, "heldout", "mito", "er"),
            Rejection(1),
            Refused(1),
        };
        events.AddRange(Requests(1, 2, 2));
        foreach (var variant in Variants.All)
        {
            events.Add(Progress(1, variant, 100, 0.5));
            events.Add(Trained(1, variant, 2));
        }

        events.Add(Evaluation(1, Variants.HotDistance, 1, 2));
        events.Add(Promoted(1, Variants.HotDistance, 1, 0.81));
        events.Add(SiteReport("lab-b", 1, Start.AddHours(1).AddMinutes(32)));
        events.Add(Nightly(1, 0.81, null));
        events.Add(Crop(4, "train", "er"));
        events.AddRange(Requests(2, 3, 1));
        events.AddRange(Variants.All.Select(v => Trained(2, v, 3)));
        events.Add(Evaluation(2, null, 1, 3));
        events.Add(Declined(2));
        events.Add(SiteReport("lab-a", 1, Start.AddHours(2).AddMinutes(40)));
        events.Add(Nightly(2, 0.80, 0.81));
        events.Add(Nightly(3, 0.70, 0.80, regression: true));
        events.AddRange(Requests(3, 3, 0));
        events.Add(Progress(3, Variants.HotDistance, 40, 0.9));
        events.Add(Progress(3, Variants.HotDistance, 60, 0.7));
        return events;
    }

    public static Task RecordAsync(HotDistance.Catalog.IPipelineCatalog catalog, object message, CancellationToken cancellationToken = default) => message switch
    {
        CropIngested m => catalog.RecordAsync(m, cancellationToken),
        CropRejected m => catalog.RecordAsync(m, cancellationToken),
        TrainingRequested m => catalog.RecordAsync(m, cancellationToken),
        TrainingProgressed m => catalog.RecordAsync(m, Start.AddHours(5).AddSeconds(m.Step), cancellationToken),
        TrainingRetrying m => catalog.RecordAsync(m, cancellationToken),
        GenerationStalled m => catalog.RecordAsync(m, cancellationToken),
        ModelTrained m => catalog.RecordAsync(m, cancellationToken),
        EvaluationCompleted m => catalog.RecordAsync(m, cancellationToken),
        ModelPromoted m => catalog.RecordAsync(m, cancellationToken),
        PromotionDeclined m => catalog.RecordAsync(m, cancellationToken),
        MessageRefused m => catalog.RecordAsync(m, cancellationToken),
        ChampionRolledBack m => catalog.RecordAsync(m, cancellationToken),
        NightlyEvaluationCompleted m => catalog.RecordAsync(m, cancellationToken),
        SiteReported m => catalog.RecordAsync(m, cancellationToken),
        _ => throw new ArgumentException($"not a pipeline event: {message.GetType().Name}", nameof(message)),
    };

    private static ModelScore Score(string variant, string role, double overall) =>
        new(variant, role, CheckpointReferences.Trained("gen-0001", variant), "sha-" + variant, overall, new Dictionary<string, double> { ["mito"] = overall + 0.05, ["er"] = overall - 0.05 });
}
