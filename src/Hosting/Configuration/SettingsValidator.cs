using System.ComponentModel.DataAnnotations;
using HotDistance.Learning.Runtime;
using HotDistance.Mlflow;
using System.Globalization;

namespace HotDistance.Hosting.Configuration;

/// <summary>
/// Checks bound settings: every property's validation attributes (the records declare their ranges with
/// <see cref="RangeAttribute"/>), then the rules that span keys (the registry named has what it needs, mutually
/// exclusive classes are classes of the pipeline). Each problem names the key, the value, its source and what is allowed.
/// </summary>
public static class SettingsValidator
{
    public static IReadOnlyList<string> Validate(HostSettings settings, ConfigurationSources sources)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sources);
        var problems = new List<string>();
        Walk(settings, string.Empty, sources, problems);
        string Problem(string key, object? value, string allowed) => Describe(key, value, sources, allowed);

        if (settings.Registry is not ("local" or "mlflow"))
        {
            problems.Add(Problem("registry", settings.Registry, "must be local (a folder in the workspace) or mlflow"));
        }
        else if (settings.Registry == "mlflow" && settings.MlflowTrackingUri is null)
        {
            problems.Add(Problem("mlflowTrackingUri", null, $"registry mlflow needs the tracking server's address, e.g. http://mlflow:5000 ({EnvironmentAliases.Mlflow})"));
        }

        if (string.IsNullOrWhiteSpace(settings.MlflowExperiment))
        {
            problems.Add(Problem("mlflowExperiment", settings.MlflowExperiment, $"name the MLflow experiment of the pipeline's runs, e.g. {MlflowTrackingOptions.DefaultExperiment} ({EnvironmentAliases.MlflowExperiment})"));
        }

        if (settings.Device is { } device && !ComputeDevices.IsName(device))
        {
            problems.Add(Problem("device", device, $"must be {ComputeDevices.Names}"));
        }

        if (settings.Predictor.Device is { } predictorDevice && !ComputeDevices.IsName(predictorDevice))
        {
            problems.Add(Problem("predictor:device", predictorDevice, $"must be {ComputeDevices.Names}, e.g. cuda:1 to pin this predictor to the second GPU"));
        }

        if (settings.Predictor.Problem() is { } predictor)
        {
            problems.Add(Problem(predictor.Key, predictor.Value, predictor.Allowed));
        }

        if (settings.Dashboard.Problem() is { } dashboard)
        {
            problems.Add(Problem(dashboard.Key, dashboard.Value, dashboard.Allowed));
        }

        foreach (var (key, value, allowed) in settings.Ablation.Problems().Concat(settings.Site.Problems()))
        {
            problems.Add(Problem(key, value, allowed));
        }

        var training = settings.Trainer.Training;
        var smallest = training.Architecture.TotalDownsample().Max();
        if (training.PatchSize < smallest)
        {
            problems.Add(Problem("trainer:training:patchSize", training.PatchSize, $"the {training.Architecture} network downsamples by {smallest}: use a multiple of {smallest}, e.g. {smallest * 4}"));
        }

        var classes = settings.Pipeline.Classes;
        if (classes.Count == 0 || classes.Distinct(StringComparer.Ordinal).Count() != classes.Count)
        {
            problems.Add(Problem("pipeline:classes", classes, "must name at least one class, each once"));
        }

        foreach (var pair in settings.Pipeline.MutuallyExclusive)
        {
            if (pair.Length != 2 || pair.Any(c => !classes.Contains(c, StringComparer.Ordinal)))
            {
                problems.Add(Problem("pipeline:mutuallyExclusive", pair, $"each entry is two of the pipeline's classes ({string.Join(", ", classes)})"));
            }
        }

        return problems;
    }

    private static void Walk(object record, string path, ConfigurationSources sources, List<string> problems)
    {
        foreach (var property in SettingsBinder.Settable(record.GetType()))
        {
            var key = SettingsBinder.KeyOf(path, property.Name);
            var value = property.GetValue(record);
            foreach (var rule in property.GetCustomAttributes(typeof(ValidationAttribute), inherit: true).Cast<ValidationAttribute>())
            {
                if (!rule.IsValid(value))
                {
                    problems.Add(Describe(key, value, sources, Allowed(rule)));
                }
            }

            if (value is not null && SettingsBinder.IsRecord(property.PropertyType))
            {
                Walk(value, key, sources, problems);
            }
        }
    }

    /// <summary>One problem as a person reads it: the key, the value, where the value came from, what is allowed.</summary>
    private static string Describe(string key, object? value, ConfigurationSources sources, string allowed) =>
        $"{key} = '{SettingsDocument.Format(value)}' (from {sources.OriginOf(key)}): {allowed}";

    private static string Allowed(ValidationAttribute rule) => rule switch
    {
        RangeAttribute range => $"must be from {SettingsDocument.Format(range.Minimum)} to {SettingsDocument.Format(range.Maximum)}",
        _ => rule.ErrorMessage ?? rule.FormatErrorMessage("the value"),
    };
}
