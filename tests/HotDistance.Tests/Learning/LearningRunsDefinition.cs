namespace HotDistance.Tests.Learning;

/// <summary>
/// Long training runs: they run alone, never beside other tests, because libtorch's worker threads spin while
/// they wait and two trainings sharing two cores slow each other down many times over.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LearningRunsDefinition
{
    public const string Name = "learning runs";
}
