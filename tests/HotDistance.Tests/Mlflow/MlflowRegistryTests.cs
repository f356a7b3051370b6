using System.Net;
using System.Text;
using HotDistance.Core.Registry;
using HotDistance.Mlflow;

namespace HotDistance.Tests.Mlflow;

/// <summary>The MLflow registry and client against the in-process fake server.</summary>
public sealed class MlflowRegistryTests : IDisposable
{
    private readonly FakeMlflowServer server = new();
    private readonly TempDirectory temp = new();
    private readonly MlflowClient client;
    private readonly MlflowModelRegistry registry;
    private readonly RegistryScenarios scenarios;

    public MlflowRegistryTests()
    {
        client = NewClient(new MlflowClientOptions { TrackingUri = server.Uri });
        registry = new MlflowModelRegistry(client);
        scenarios = new RegistryScenarios(client, registry, temp);
    }

    public void Dispose()
    {
        client.Dispose();
        server.Dispose();
        temp.Dispose();
    }

    [Fact]
    public Task Register_alias_and_get_by_alias_round_trip() => scenarios.RegisterAliasAndGetByAliasRoundTrip();

    [Fact]
    public async Task Re_registering_the_same_key_makes_no_second_version_and_uploads_nothing_again()
    {
        await scenarios.ReRegisteringTheSameKeyMakesNoSecondVersion();

        // Two keys registered: two runs, and each run's two files uploaded once.
        Assert.Equal(2, server.RunCount);
        Assert.Equal(4, server.Requests.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task Racing_registrations_of_one_key_converge_on_one_version()
    {
        var model = RegistryScenarios.UniqueModelName();
        using var otherClient = NewClient(new MlflowClientOptions { TrackingUri = server.Uri });
        var registries = new[] { registry, new MlflowModelRegistry(otherClient) };
        var artifacts = Enumerable.Range(0, 6).Select(_ => scenarios.MakeArtifact("same weights")).ToList();

        var versions = await Task.WhenAll(artifacts.Select((artifact, i) => Task.Run(() =>
            registries[i % 2].RegisterAsync(model, artifact, "model.pt", "generation:race", new Dictionary<string, string>(), CancellationToken.None))));

        var remaining = await registry.ListVersionsAsync(model, CancellationToken.None);
        Assert.Single(remaining);
        Assert.All(versions, v => Assert.Equal(remaining[0].Version, v.Version));
    }

    [Fact]
    public async Task An_existing_registered_model_is_not_an_error()
    {
        await scenarios.CreatingAnExistingRegisteredModelIsFine();

        // The server really did answer RESOURCE_ALREADY_EXISTS (400) at least twice: the client call and the register.
        Assert.True(server.Requests.Count(r => r.Path.EndsWith("registered-models/create", StringComparison.Ordinal) && r.Status == 400) >= 2);
    }

    [Fact]
    public async Task A_missing_alias_is_null()
    {
        await scenarios.MissingAliasIsNull();
        Assert.Contains(server.Requests, r => r.Path.EndsWith("registered-models/alias", StringComparison.Ordinal) && r.Status == 400);
        Assert.Contains(server.Requests, r => r.Path.EndsWith("registered-models/alias", StringComparison.Ordinal) && r.Status == 404);
    }

    [Fact]
    public async Task Delete_alias_sends_its_parameters_as_a_json_body()
    {
        await scenarios.DeletedAliasIsGone();
        var delete = Assert.Single(server.Requests, r => r.Method == "DELETE");
        Assert.Equal(200, delete.Status);
        Assert.Equal(string.Empty, delete.Query);
    }

    [Fact]
    public async Task Reserved_alias_names_are_refused_before_anything_is_sent()
    {
        await scenarios.ReservedAliasNamesAreRefused();
        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith("registered-models/alias", StringComparison.Ordinal));
    }

    [Fact]
    public Task An_alias_cannot_point_at_a_version_that_does_not_exist() => scenarios.UnknownVersionCannotGetAnAlias();

    [Fact]
    public async Task Artifacts_are_uploaded_and_downloaded_byte_identical()
    {
        await scenarios.ArtifactsComeBackByteIdentical();
        Assert.Contains(server.Artifacts.Keys, k => k.EndsWith("/artifacts/model/extra/binary.bin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_download_whose_primary_artifact_does_not_match_the_registered_hash_fails()
    {
        var model = RegistryScenarios.UniqueModelName();
        var version = await registry.RegisterAsync(model, scenarios.MakeArtifact("good weights"), "model.pt", "k", new Dictionary<string, string>(), CancellationToken.None);
        server.ReplaceArtifact(server.Artifacts.Keys.Single(k => k.EndsWith("/model/model.pt", StringComparison.Ordinal)), Encoding.UTF8.GetBytes("bad weights"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => registry.DownloadAsync(model, version.Version, temp.Combine("site"), CancellationToken.None));

        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public Task The_previous_champion_is_findable_after_a_second_promotion() => scenarios.PreviousChampionIsFindableAfterASecondPromotion();

    [Fact]
    public async Task Setting_the_champion_directly_also_keeps_the_previous_one()
    {
        var model = RegistryScenarios.UniqueModelName();
        var v1 = await registry.RegisterAsync(model, scenarios.MakeArtifact("1"), "model.pt", "k1", new Dictionary<string, string>(), CancellationToken.None);
        var v2 = await registry.RegisterAsync(model, scenarios.MakeArtifact("2"), "model.pt", "k2", new Dictionary<string, string>(), CancellationToken.None);

        await registry.SetAliasAsync(model, RegistryAliases.Champion, v1.Version, CancellationToken.None);
        Assert.Null(await registry.GetByAliasAsync(model, RegistryAliases.PreviousChampion, CancellationToken.None));
        await registry.SetAliasAsync(model, RegistryAliases.Champion, v2.Version, CancellationToken.None);
        await registry.SetAliasAsync(model, RegistryAliases.Champion, v2.Version, CancellationToken.None);

        Assert.Equal(v1.Version, (await registry.GetByAliasAsync(model, RegistryAliases.PreviousChampion, CancellationToken.None))!.Version);
        Assert.Equal(v2.Version, (await registry.GetByAliasAsync(model, RegistryAliases.Champion, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Rate_limits_and_unavailability_are_retried_until_the_request_succeeds()
    {
        server.FailNext(2, 429, """{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"}""");
        server.FailNext(1, 503, "upstream connect error", "text/plain");

        Assert.True(await client.CreateRegisteredModelAsync("retried", CancellationToken.None));

        Assert.Equal([429, 429, 503, 200], server.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_last_answer_is_reported()
    {
        using var impatient = NewClient(new MlflowClientOptions { TrackingUri = server.Uri, MaxAttempts = 3 });
        server.FailNext(5, 503, "Endpoint: /api/2.0/mlflow-artifacts/artifacts disabled due to the mlflow server running with `--no-serve-artifacts`.", "text/html; charset=utf-8");

        var error = await Assert.ThrowsAsync<MlflowApiException>(() => impatient.ListArtifactsAsync("1/run/artifacts", CancellationToken.None));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-serve-artifacts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_failure_is_retried_then_reported_with_the_address()
    {
        var closedPort = new Uri($"http://127.0.0.1:{FreePort()}/");
        using var unreachable = NewClient(new MlflowClientOptions { TrackingUri = closedPort, MaxAttempts = 2 });

        var error = await Assert.ThrowsAsync<MlflowApiException>(() => unreachable.GetExperimentIdAsync("x", CancellationToken.None));

        Assert.Null(error.Status);
        Assert.Contains(closedPort.Authority, error.Message, StringComparison.Ordinal);
        Assert.Contains("after 2 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_error_with_an_html_body_gives_a_readable_exception_and_is_not_retried()
    {
        server.FailNext(1, 403, "<html><head><title>403 Forbidden</title><style>body{color:red}</style></head><body><h1>Forbidden</h1><p>You don&#39;t have access to this server.</p></body></html>", "text/html");

        var error = await Assert.ThrowsAsync<MlflowApiException>(() => registry.ListVersionsAsync("m", CancellationToken.None));

        Assert.Single(server.Requests);
        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Contains("GET /api/2.0/mlflow/model-versions/search", error.Message, StringComparison.Ordinal);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Contains("You don't have access to this server.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("<", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("color:red", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_error_names_mlflows_error_code_and_message()
    {
        var error = await Assert.ThrowsAsync<MlflowApiException>(() => client.CreateModelVersionAsync("no-such-model", "mlflow-artifacts:/1/r/artifacts/model", null, new Dictionary<string, string>(), CancellationToken.None));

        Assert.Equal("RESOURCE_DOES_NOT_EXIST", error.ErrorCode);
        Assert.Contains("POST /api/2.0/mlflow/model-versions/create", error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Contains("Registered Model with name=no-such-model not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_200_that_is_not_json_is_called_out_as_not_the_mlflow_api()
    {
        server.FailNext(1, 200, "<html><body>Please sign in</body></html>", "text/html");

        var error = await Assert.ThrowsAsync<MlflowApiException>(() => client.GetExperimentIdAsync("x", CancellationToken.None));

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains("Please sign in", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_credentials_are_sent_when_a_username_and_password_are_set()
    {
        using var basic = NewClient(new MlflowClientOptions { TrackingUri = server.Uri, Username = "ann", Password = "s3cret:x", Token = "ignored" });
        await basic.GetExperimentIdAsync("x", CancellationToken.None);

        var header = Assert.Single(server.Requests).Authorization;
        Assert.NotNull(header);
        Assert.StartsWith("Basic ", header, StringComparison.Ordinal);
        Assert.Equal("ann:s3cret:x", Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])));
    }

    [Fact]
    public async Task A_bearer_token_is_sent_when_only_a_token_is_set()
    {
        using var bearer = NewClient(new MlflowClientOptions { TrackingUri = server.Uri, Token = "tok-123" });
        await bearer.GetExperimentIdAsync("x", CancellationToken.None);

        Assert.Equal("Bearer tok-123", Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task No_authorization_header_without_credentials()
    {
        await client.GetExperimentIdAsync("x", CancellationToken.None);
        Assert.Null(Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task Versions_are_found_across_search_pages()
    {
        var model = RegistryScenarios.UniqueModelName();
        await client.CreateRegisteredModelAsync(model, CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await client.CreateModelVersionAsync(model, $"mlflow-artifacts:/0/r/artifacts/{i}", null, new Dictionary<string, string>(), CancellationToken.None);
        }

        using var paging = NewClient(new MlflowClientOptions { TrackingUri = server.Uri, SearchPageSize = 2 });
        var versions = await new MlflowModelRegistry(paging).ListVersionsAsync(model, CancellationToken.None);

        Assert.Equal([1, 2, 3, 4, 5], versions.Select(v => v.Version));
        Assert.Equal(3, server.Requests.Count(r => r.Path.EndsWith("model-versions/search", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_tracking_uri_with_a_path_prefix_keeps_the_prefix()
    {
        using var prefixed = NewClient(new MlflowClientOptions { TrackingUri = new Uri(server.Uri, "mlflow") });
        await Assert.ThrowsAsync<MlflowApiException>(() => prefixed.GetExperimentIdAsync("x", CancellationToken.None));

        // The fake serves only the root, so the prefixed request meets Flask's HTML 404.
        Assert.Equal("/mlflow/api/2.0/mlflow/experiments/get-by-name", Assert.Single(server.Requests).Path);
    }

    private static MlflowClient NewClient(MlflowClientOptions options) =>
        new(options with { InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(20) });

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
