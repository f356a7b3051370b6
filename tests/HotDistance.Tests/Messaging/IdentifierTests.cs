using HotDistance.Contracts;
using HotDistance.Core.Workspace;

namespace HotDistance.Tests.Messaging;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("gen-0001")]
    [InlineData("c0123456789ab")]
    [InlineData("hot-distance")]
    [InlineData("nightly-2026-12-07")]
    [InlineData("site_a.1")]
    public void Ids_the_pipeline_makes_are_ids(string id)
    {
        Assert.True(Identifiers.IsValid(id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../../etc")]
    [InlineData("gen/0001")]
    [InlineData("/etc/passwd")]
    [InlineData("gen\\0001")]
    [InlineData(".hidden")]
    [InlineData("-flag")]
    [InlineData("a..b")]
    [InlineData("gen 1")]
    [InlineData("gen\n1")]
    [InlineData("génération")]
    public void Paths_and_odd_names_are_not_ids(string id)
    {
        Assert.False(Identifiers.IsValid(id));
    }

    [Fact]
    public void An_id_longer_than_the_limit_is_not_an_id()
    {
        Assert.True(Identifiers.IsValid(new string('a', Identifiers.MaxLength)));
        Assert.False(Identifiers.IsValid(new string('a', Identifiers.MaxLength + 1)));
    }

    [Theory]
    [InlineData("../../outside")]
    [InlineData("/etc")]
    public void No_workspace_path_built_from_an_id_leads_out_of_the_workspace(string id)
    {
        using var temp = new TempDirectory();
        var workspace = new WorkspaceLayout(temp.Combine("workspace"));

        Assert.Throws<ArgumentException>(() => workspace.Generation(id));
        Assert.Throws<ArgumentException>(() => workspace.Evaluation(id));
        Assert.Throws<ArgumentException>(() => workspace.PromotionRecord(id));
        Assert.Throws<ArgumentException>(() => workspace.Checkpoint("gen-0001", Path.IsPathRooted(id) ? id : "../" + id));
        Assert.Throws<ArgumentException>(() => workspace.Inside(workspace.Root));
        Assert.StartsWith(workspace.Root + "/", workspace.Checkpoint("gen-0001", "one-hot"), StringComparison.Ordinal);
    }
}
