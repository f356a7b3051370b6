using HotDistance.Cli;
using HotDistance.Core.Registry;
using HotDistance.SiteAgent;
using HotDistance.Tests.SiteAgent;

namespace HotDistance.Tests.Cli;

[Collection(HdConsoleCollectionDefinition.Name)]
public class RollbackVerbTests
{
    [Fact]
    public async Task Rollback_moves_the_champion_back_records_why_and_a_site_follows()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        await models.PromoteAsync(2);
        var site = temp.Combine("site");
        var (followed, printedFollow) = await HdInProcess.RunAsync("site", "--workspace", models.Workspace.Root, "--dir", site, "--once");
        Assert.True(followed == ExitCodes.Success, printedFollow);
        Assert.Equal(2, new SiteLayout(site).ReadCurrent()!.Version);

        var (exitCode, printed) = await HdInProcess.RunAsync("rollback", "--workspace", models.Workspace.Root, "--reason", "v2 merges mitochondria");

        Assert.True(exitCode == ExitCodes.Success, printed);
        Assert.Contains("v2 -> v1", printed, StringComparison.Ordinal);
        Assert.Equal(1, await models.ChampionAsync());
        var record = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(models.Workspace.Root, "rollbacks"))));
        Assert.Contains("v2 merges mitochondria", record, StringComparison.Ordinal);

        // Without a broker the site follows at its next poll.
        var (again, printedAgain) = await HdInProcess.RunAsync("site", "--workspace", models.Workspace.Root, "--dir", site, "--once");
        Assert.True(again == ExitCodes.Success, printedAgain);
        Assert.Contains("switched to v1 (was v2)", printedAgain, StringComparison.Ordinal);
        Assert.Equal(1, new SiteLayout(site).ReadCurrent()!.Version);
    }

    [Fact]
    public async Task Rollback_without_a_champion_or_to_an_unknown_version_is_refused_and_moves_nothing()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));

        var (empty, printedEmpty) = await HdInProcess.RunAsync("rollback", "--workspace", models.Workspace.Root);
        Assert.True(empty == ExitCodes.BadInput, printedEmpty);
        Assert.Contains("no champion", printedEmpty, StringComparison.Ordinal);

        await models.PromoteAsync(1);
        var (first, printedFirst) = await HdInProcess.RunAsync("rollback", "--workspace", models.Workspace.Root);
        Assert.True(first == ExitCodes.BadInput, printedFirst);
        Assert.Contains("no previous champion", printedFirst, StringComparison.Ordinal);

        var (unknown, printedUnknown) = await HdInProcess.RunAsync("rollback", "--workspace", models.Workspace.Root, "--to", "5");
        Assert.True(unknown == ExitCodes.BadInput, printedUnknown);
        Assert.Contains("no version 5", printedUnknown, StringComparison.Ordinal);
        Assert.Equal(1, await models.ChampionAsync());
        Assert.Null(await models.Registry.GetByAliasAsync(models.Pipeline.ModelName, RegistryAliases.PreviousChampion, CancellationToken.None));
    }

    [Fact]
    public async Task Site_once_refuses_a_corrupt_champion_with_exit_code_1()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        var weights = Path.Combine(models.VersionDirectory(1), "model.pt");
        await File.AppendAllTextAsync(weights, "tampered");

        var (exitCode, printed) = await HdInProcess.RunAsync("site", "--workspace", models.Workspace.Root, "--dir", temp.Combine("site"), "--once");

        Assert.True(exitCode == ExitCodes.Failure, printed);
        Assert.Contains("refused v1", printed, StringComparison.Ordinal);
        Assert.Null(new SiteLayout(temp.Combine("site")).ReadCurrent());
    }
}
