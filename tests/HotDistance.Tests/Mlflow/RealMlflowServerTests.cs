using HotDistance.Hosting;
using HotDistance.Hosting.Configuration;
using HotDistance.Mlflow;
using Xunit.Abstractions;

namespace HotDistance.Tests.Mlflow;

/// <summary>
/// The same scenarios against a real MLflow tracking server, opt-in: set MLFLOW_TRACKING_URI (and
/// MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN if it needs them). The server must proxy artifacts
/// (the default of `mlflow server` since 2.0). Without the variable the tests are reported as skipped.
/// Every scenario registers models named hd-test-*, and the tracking scenarios make experiments named hd-test-*
/// (each runs a small pipeline in process, a minute or two); delete them afterwards if the server is shared.
/// </summary>
public sealed class RealMlflowServerTests : IDisposable
{
    private readonly ITestOutputHelper output;
    private readonly TempDirectory temp = new();
    private readonly MlflowClient? client;
    private readonly RegistryScenarios? scenarios;
    private readonly TrackingScenarios? tracking;

    public RealMlflowServerTests(ITestOutputHelper output)
    {
        this.output = output;
        if (Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI") is { Length: > 0 } uri)
        {
            var settings = HostConfiguration.Load(null, new ConfigurationLayer(), EnvironmentAliases.Current()).Settings with { MlflowTrackingUri = new Uri(uri) };
            client = new MlflowClient(ModelRegistries.MlflowOptions(settings));
            scenarios = new RegistryScenarios(client, new MlflowModelRegistry(client, "hd-test-registry"), temp);
            tracking = new TrackingScenarios(settings, client, temp);
        }
    }

    public void Dispose()
    {
        client?.Dispose();
        temp.Dispose();
    }

    [RealMlflowFact]
    public Task Register_alias_and_get_by_alias_round_trip() => Run(s => s.RegisterAliasAndGetByAliasRoundTrip());

    [RealMlflowFact]
    public Task Re_registering_the_same_key_makes_no_second_version() => Run(s => s.ReRegisteringTheSameKeyMakesNoSecondVersion());

    [RealMlflowFact]
    public Task An_existing_registered_model_is_not_an_error() => Run(s => s.CreatingAnExistingRegisteredModelIsFine());

    [RealMlflowFact]
    public Task A_missing_alias_is_null() => Run(s => s.MissingAliasIsNull());

    [RealMlflowFact]
    public Task A_deleted_alias_is_gone() => Run(s => s.DeletedAliasIsGone());

    [RealMlflowFact]
    public Task Reserved_alias_names_are_refused() => Run(s => s.ReservedAliasNamesAreRefused());

    [RealMlflowFact]
    public Task An_alias_cannot_point_at_a_version_that_does_not_exist() => Run(s => s.UnknownVersionCannotGetAnAlias());

    [RealMlflowFact]
    public Task Artifacts_are_uploaded_and_downloaded_byte_identical() => Run(s => s.ArtifactsComeBackByteIdentical());

    [RealMlflowFact]
    public Task The_previous_champion_is_findable_after_a_second_promotion() => Run(s => s.PreviousChampionIsFindableAfterASecondPromotion());

    [RealMlflowFact]
    public Task Generations_are_nested_runs_and_the_registered_version_links_to_its_training_run() =>
        Track(t => t.GenerationsAreNestedRunsAndTheRegisteredVersionLinksToItsTrainingRun());

    [RealMlflowFact]
    public Task A_diverged_job_ends_its_run_failed_with_the_reason() => Track(t => t.ADivergedJobEndsItsRunFailedWithTheReason());

    [RealMlflowFact]
    public Task A_job_out_of_retries_ends_its_generations_run_failed() => Track(t => t.AJobOutOfRetriesEndsItsGenerationsRunFailed());

    private Task Track(Func<TrackingScenarios, Task> scenario)
    {
        output.WriteLine($"against {client!.TrackingUri}");
        return scenario(tracking!);
    }

    private Task Run(Func<RegistryScenarios, Task> scenario)
    {
        output.WriteLine($"against {client!.TrackingUri}");
        return scenario(scenarios!);
    }
}
