namespace HotDistance.Tests.Cli;

/// <summary>The test collection of everything that swaps Spectre's process-wide console.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HdConsoleCollectionDefinition
{
    public const string Name = "hd console";
}
