using HotDistance.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HotDistance.Hosting;

/// <summary>
/// Traces and metrics, exported by OTLP over HTTP when <see cref="HostSettings.OtlpEndpoint"/> is set and off
/// otherwise: MassTransit's (every publish and consume) and HotDistance's own (<see cref="PipelineTelemetry"/>: a
/// span per training job and evaluation, steps and jobs counted, evaluation time).
/// </summary>
internal static class Telemetry
{
    public static void Add(IServiceCollection services, HostSettings settings, IReadOnlyCollection<string> roles)
    {
        if (settings.OtlpEndpoint is not { } endpoint)
        {
            return;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService("hotdistance", serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}")
                .AddAttributes([new KeyValuePair<string, object>("hd.roles", string.Join(",", roles))]))
            .WithTracing(tracing => tracing
                .AddSource("MassTransit", PipelineTelemetry.Name)
                .AddOtlpExporter(o => Export(o, endpoint, "traces")))
            .WithMetrics(metrics => metrics
                .AddMeter("MassTransit", PipelineTelemetry.Name)
                .AddOtlpExporter(o => Export(o, endpoint, "metrics")));
    }

    /// <summary>OTLP over HTTP wants the signal's own path when the endpoint is set in code.</summary>
    private static void Export(OtlpExporterOptions options, Uri endpoint, string signal)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri($"{endpoint.ToString().TrimEnd('/')}/v1/{signal}");
    }
}
