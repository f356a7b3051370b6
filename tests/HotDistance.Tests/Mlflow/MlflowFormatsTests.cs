using HotDistance.Core;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;
using HotDistance.Mlflow;

namespace HotDistance.Tests.Mlflow;

public class MlflowFormatsTests
{
    [Theory]
    [InlineData("mlflow-artifacts:/1/abc/artifacts", "1/abc/artifacts")]
    [InlineData("mlflow-artifacts:/1/abc/artifacts/model/", "1/abc/artifacts/model")]
    [InlineData("mlflow-artifacts://mlflow.example:5000/7/abc/artifacts", "7/abc/artifacts")]
    [InlineData("http://mlflow:5000/api/2.0/mlflow-artifacts/artifacts/2/r/artifacts", "2/r/artifacts")]
    [InlineData("https://host/prefix/api/2.0/mlflow-artifacts/artifacts/2/r%20x/artifacts", "2/r x/artifacts")]
    public void Proxied_artifact_uris_map_to_proxy_paths(string uri, string expected) =>
        Assert.Equal(expected, MlflowArtifactPaths.ProxyPathOf(uri));

    [Theory]
    [InlineData("s3://bucket/1/abc/artifacts")]
    [InlineData("file:///srv/mlruns/1/abc/artifacts")]
    [InlineData("http://mlflow:5000/somewhere/else")]
    public void Unproxied_artifact_uris_have_no_proxy_path(string uri) =>
        Assert.Null(MlflowArtifactPaths.ProxyPathOf(uri));

    [Fact]
    public void Artifact_paths_are_escaped_per_segment() =>
        Assert.Equal("1/r/artifacts/model/a%20b%23.pt", MlflowArtifactPaths.EscapePath("1/r/artifacts/model/a b#.pt"));

    [Theory]
    [InlineData("""{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run 'x' not found"}""", "RESOURCE_DOES_NOT_EXIST", "Run 'x' not found")]
    [InlineData("""{"detail":"bad token"}""", null, """{"detail":"bad token"}""")]
    [InlineData("<!doctype html><html><title>502 Bad Gateway</title><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>", null, "502 Bad Gateway 502 Bad Gateway nginx")]
    [InlineData("  Endpoint disabled\n  run `mlflow server`  ", null, "Endpoint disabled run `mlflow server`")]
    [InlineData("", null, "(empty response body)")]
    [InlineData("{not json", null, "{not json")]
    public void Error_bodies_of_every_shape_read_as_one_line(string body, string? code, string message)
    {
        var parsed = MlflowErrorBody.Parse(body);
        Assert.Equal(code, parsed.ErrorCode);
        Assert.Equal(message, parsed.Message);
    }

    [Theory]
    [InlineData("champion")]
    [InlineData("previous-champion")]
    [InlineData("site_A-2")]
    [InlineData("v1x")]
    [InlineData("latest2")]
    public void Ordinary_alias_names_pass(string alias) => MlflowAliasNames.Validate(alias);

    [Fact]
    public void Hosting_selects_the_mlflow_registry_and_explains_a_missing_tracking_uri()
    {
        using var temp = new TempDirectory();
        var workspace = new WorkspaceLayout(temp.Path);
        var pipeline = new PipelineSettings { Workspace = temp.Path };

        var registry = ModelRegistries.Create(new HostSettings { Pipeline = pipeline, Registry = "mlflow", MlflowTrackingUri = new Uri("http://127.0.0.1:1/") }, workspace);
        Assert.IsType<MlflowModelRegistry>(registry);
        Assert.IsType<LocalModelRegistry>(ModelRegistries.Create(new HostSettings { Pipeline = pipeline }, workspace));

        var error = Assert.Throws<ArgumentException>(() => ModelRegistries.Create(new HostSettings { Pipeline = pipeline, Registry = "mlflow" }, workspace));
        Assert.Contains("MLFLOW_TRACKING_URI", error.Message, StringComparison.Ordinal);
    }
}
