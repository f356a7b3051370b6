using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Core.Security;

namespace HotDistance.Mlflow;

/// <summary>
/// A small client for the MLflow 2.x/3.x REST API: experiments, runs, proxied artifacts, registered models, model
/// versions and aliases. Every request is retried with exponential backoff on 408, 429, 5xx and connection failures
/// (bounded by <see cref="MlflowClientOptions.MaxAttempts"/>); every other failure throws
/// <see cref="MlflowApiException"/>. Resources that already exist or do not exist come back as values
/// (false, null) where the caller can act on that.
/// </summary>
public sealed class MlflowClient : IDisposable
{
    private const string Api = "api/2.0/mlflow/";
    private const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    private const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    private const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    private const int MaxParamsOrTagsPerBatch = 100;
    /// <summary>MLflow's limit on the metrics of one log-batch request.</summary>
    public const int MaxMetricsPerBatch = 1000;

    private readonly HttpClient http;
    private readonly MlflowClientOptions options;

    public MlflowClient(MlflowClientOptions options)
        : this(options, new SocketsHttpHandler(), disposeHandler: true)
    {
    }

    public MlflowClient(MlflowClientOptions options, HttpMessageHandler handler, bool disposeHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        if (options.MaxAttempts < 1)
        {
            throw new ArgumentException($"MaxAttempts is {options.MaxAttempts}; it must be at least 1", nameof(options));
        }

        if (options.SearchPageSize < 1)
        {
            throw new ArgumentException($"SearchPageSize is {options.SearchPageSize}; it must be at least 1", nameof(options));
        }

        this.options = options;
        var baseUri = options.TrackingUri.AbsoluteUri.EndsWith('/') ? options.TrackingUri : new Uri(options.TrackingUri.AbsoluteUri + "/");
        http = new HttpClient(handler, disposeHandler)
        {
            BaseAddress = baseUri,

            // Each attempt gets its own deadline (RequestTimeout); HttpClient's would span the retries.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (options.Username is { } user && options.Password is { } password)
        {
            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", pair);
        }
        else if (options.Token is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri TrackingUri => options.TrackingUri;

    /// <summary>The tracking URI for messages, without its password.</summary>
    public string DisplayUri => Redaction.Uri(options.TrackingUri);

    // ---- experiments ----

    /// <summary>The id of the experiment called <paramref name="name"/>, or null when there is none.</summary>
    public async Task<string?> GetExperimentIdAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await CallAsync(HttpMethod.Get, Api + "experiments/get-by-name" + Query(("experiment_name", name)), null, cancellationToken).ConfigureAwait(false);
            var experiment = document.RootElement.GetProperty("experiment");
            var id = RequiredString(experiment, "experiment_id");
            if (OptionalString(experiment, "lifecycle_stage") == "deleted")
            {
                throw new InvalidOperationException(
                    $"MLflow experiment '{name}' (id {id}) at {DisplayUri} is deleted: restore it with `mlflow experiments restore --experiment-id {id}` or delete it permanently (`mlflow gc`)");
            }

            return id;
        }
        catch (MlflowApiException e) when (e.ErrorCode == ResourceDoesNotExist)
        {
            return null;
        }
    }

    /// <summary>The experiment's id, creating it first if needed; safe when two processes race to create it.</summary>
    public async Task<string> GetOrCreateExperimentAsync(string name, CancellationToken cancellationToken)
    {
        if (await GetExperimentIdAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        try
        {
            using var document = await CallAsync(HttpMethod.Post, Api + "experiments/create", new JsonObject { ["name"] = name }, cancellationToken).ConfigureAwait(false);
            return RequiredString(document.RootElement, "experiment_id");
        }
        catch (MlflowApiException e) when (e.ErrorCode == ResourceAlreadyExists)
        {
            return await GetExperimentIdAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"MLflow said experiment '{name}' exists, then could not find it", e);
        }
    }

    // ---- runs ----

    public async Task<MlflowRun> CreateRunAsync(string experimentId, string runName, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var body = new JsonObject
        {
            ["experiment_id"] = experimentId,
            ["run_name"] = runName,
            ["start_time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["tags"] = KeyValues(tags),
        };
        using var document = await CallAsync(HttpMethod.Post, Api + "runs/create", body, cancellationToken).ConfigureAwait(false);
        return ParseRun(document.RootElement.GetProperty("run"));
    }

    public async Task<MlflowRun> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        using var document = await CallAsync(HttpMethod.Get, Api + "runs/get" + Query(("run_id", runId)), null, cancellationToken).ConfigureAwait(false);
        return ParseRun(document.RootElement.GetProperty("run"));
    }

    /// <summary>Logs params, metrics and tags, split into as many log-batch requests as MLflow's batch limits need.</summary>
    public async Task LogBatchAsync(
        string runId,
        IReadOnlyDictionary<string, string>? parameters,
        IReadOnlyDictionary<string, double>? metrics,
        IReadOnlyDictionary<string, string>? tags,
        CancellationToken cancellationToken)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var chunk in (parameters ?? new Dictionary<string, string>()).Chunk(MaxParamsOrTagsPerBatch))
        {
            await LogBatchChunkAsync(runId, "params", KeyValues(chunk), cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in (tags ?? new Dictionary<string, string>()).Chunk(MaxParamsOrTagsPerBatch))
        {
            await LogBatchChunkAsync(runId, "tags", KeyValues(chunk), cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in (metrics ?? new Dictionary<string, double>()).Chunk(MaxMetricsPerBatch))
        {
            var array = new JsonArray();
            foreach (var (key, value) in chunk)
            {
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException($"metric '{key}' is {value.ToString(CultureInfo.InvariantCulture)}; MLflow's JSON API takes finite numbers only", nameof(metrics));
                }

                array.Add(new JsonObject { ["key"] = key, ["value"] = value, ["timestamp"] = timestamp, ["step"] = 0 });
            }

            await LogBatchChunkAsync(runId, "metrics", array, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task UpdateRunStatusAsync(string runId, MlflowRunStatus status, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["run_id"] = runId,
            ["status"] = status.ToString().ToUpperInvariant(),
        };
        if (status is MlflowRunStatus.Finished or MlflowRunStatus.Failed or MlflowRunStatus.Killed)
        {
            body["end_time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        }

        using var document = await CallAsync(HttpMethod.Post, Api + "runs/update", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Logs metrics with their own steps and timestamps, in log-batch requests of at most
    /// <see cref="MaxMetricsPerBatch"/> metrics (MLflow's limit), in the order given.
    /// </summary>
    public async Task LogMetricsAsync(string runId, IReadOnlyList<MlflowMetric> metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var chunk in metrics.Chunk(MaxMetricsPerBatch))
        {
            var array = new JsonArray();
            foreach (var metric in chunk)
            {
                if (!double.IsFinite(metric.Value))
                {
                    throw new ArgumentException($"metric '{metric.Key}' is {metric.Value.ToString(CultureInfo.InvariantCulture)}; MLflow's JSON API takes finite numbers only", nameof(metrics));
                }

                array.Add(new JsonObject { ["key"] = metric.Key, ["value"] = metric.Value, ["timestamp"] = metric.Timestamp, ["step"] = metric.Step });
            }

            await LogBatchChunkAsync(runId, "metrics", array, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every value logged for one metric of a run, in the server's order, following page tokens.</summary>
    public async Task<IReadOnlyList<MlflowMetric>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken)
    {
        return await AllPagesAsync(
            pageToken => CallAsync(HttpMethod.Get, Api + "metrics/get-history" + PagedQuery(pageToken, ("run_id", runId), ("metric_key", key)), null, cancellationToken),
            "metrics",
            ParseMetric).ConfigureAwait(false);
    }

    public async Task DeleteRunTagAsync(string runId, string key, CancellationToken cancellationToken)
    {
        using var document = await CallAsync(HttpMethod.Post, Api + "runs/delete-tag", new JsonObject { ["run_id"] = runId, ["key"] = key }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The active runs of the experiments that match an MLflow filter string (e.g. from <see cref="FilterByTags"/>),
    /// oldest first, following page tokens.
    /// </summary>
    public async Task<IReadOnlyList<MlflowRun>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        return await AllPagesAsync(
            pageToken =>
            {
                var body = new JsonObject
                {
                    ["experiment_ids"] = new JsonArray(experimentIds.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
                    ["filter"] = filter,
                    ["run_view_type"] = "ACTIVE_ONLY",
                    ["max_results"] = options.SearchPageSize,
                    ["order_by"] = new JsonArray("attributes.start_time ASC"),
                };
                if (pageToken is not null)
                {
                    body["page_token"] = pageToken;
                }

                return CallAsync(HttpMethod.Post, Api + "runs/search", body, cancellationToken);
            },
            "runs",
            ParseRun).ConfigureAwait(false);
    }

    /// <summary>
    /// A run filter that matches every tag given (<c>tags.`key` = 'value' AND ...</c>), quoted the way MLflow's
    /// search parser reads keys with dots; values must not hold a single quote.
    /// </summary>
    public static string FilterByTags(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count == 0)
        {
            throw new ArgumentException("a tag filter needs at least one tag", nameof(tags));
        }

        foreach (var (key, value) in tags)
        {
            if (key.Contains('`', StringComparison.Ordinal) || value.Contains('\'', StringComparison.Ordinal))
            {
                throw new ArgumentException($"tag {key} = {value} cannot be written in an MLflow search filter (a backtick in the key or a quote in the value)", nameof(tags));
            }
        }

        return string.Join(" AND ", tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"tags.`{t.Key}` = '{t.Value}'"));
    }

    // ---- proxied artifacts ----

    /// <summary>Uploads a local file to <paramref name="proxyPath"/> (relative to the server's artifact root, e.g. "1/&lt;run&gt;/artifacts/model/model.pt").</summary>
    public Task UploadArtifactAsync(string proxyPath, string localFile, CancellationToken cancellationToken)
    {
        if (!File.Exists(localFile))
        {
            throw new FileNotFoundException($"artifact to upload is missing: {localFile}", localFile);
        }

        return UploadAsync(proxyPath, () => new StreamContent(File.OpenRead(localFile)), cancellationToken);
    }

    /// <summary>Uploads <paramref name="content"/> as the file <paramref name="proxyPath"/>.</summary>
    public Task UploadArtifactAsync(string proxyPath, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        return UploadAsync(proxyPath, () => new ByteArrayContent(content), cancellationToken);
    }

    private async Task UploadAsync(string proxyPath, Func<HttpContent> body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            HttpMethod.Put,
            ArtifactRoute(proxyPath),
            () =>
            {
                var content = body();
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return content;
            },
            HttpCompletionOption.ResponseContentRead,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads <paramref name="proxyPath"/> to <paramref name="localFile"/>; the file appears whole or not at all.</summary>
    public async Task DownloadArtifactAsync(string proxyPath, string localFile, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(localFile))!;
        Directory.CreateDirectory(directory);
        var partial = Path.Combine(directory, $".{Path.GetFileName(localFile)}.{Guid.NewGuid():N}.partial");
        try
        {
            using (var response = await SendAsync(HttpMethod.Get, ArtifactRoute(proxyPath), () => null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
            {
                var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    var target = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                    await using (target.ConfigureAwait(false))
                    {
                        await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            File.Move(partial, localFile, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }
    }

    /// <summary>The entries directly inside <paramref name="proxyPath"/>.</summary>
    public async Task<IReadOnlyList<MlflowArtifactFile>> ListArtifactsAsync(string proxyPath, CancellationToken cancellationToken)
    {
        using var document = await CallAsync(HttpMethod.Get, MlflowArtifactPaths.ProxyRoute + Query(("path", proxyPath.Trim('/'))), null, cancellationToken).ConfigureAwait(false);
        if (!document.RootElement.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return files.EnumerateArray()
            .Select(f => new MlflowArtifactFile(
                RequiredString(f, "path"),
                f.TryGetProperty("is_dir", out var isDir) && isDir.ValueKind == JsonValueKind.True,
                OptionalInt64(f, "file_size")))
            .ToList();
    }

    // ---- registered models and versions ----

    /// <summary>Creates the registered model; false when it already existed (MLflow's RESOURCE_ALREADY_EXISTS).</summary>
    public async Task<bool> CreateRegisteredModelAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await CallAsync(HttpMethod.Post, Api + "registered-models/create", new JsonObject { ["name"] = name }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MlflowApiException e) when (e.ErrorCode == ResourceAlreadyExists)
        {
            return false;
        }
    }

    public async Task<MlflowModelVersion> CreateModelVersionAsync(
        string name,
        string source,
        string? runId,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var body = new JsonObject
        {
            ["name"] = name,
            ["source"] = source,
            ["tags"] = KeyValues(tags),
        };
        if (runId is not null)
        {
            body["run_id"] = runId;
        }

        using var document = await CallAsync(HttpMethod.Post, Api + "model-versions/create", body, cancellationToken).ConfigureAwait(false);
        return ParseModelVersion(document.RootElement.GetProperty("model_version"));
    }

    /// <summary>The version, or null when the model or the version does not exist.</summary>
    public async Task<MlflowModelVersion?> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await CallAsync(HttpMethod.Get, Api + "model-versions/get" + Query(("name", name), ("version", Text(version))), null, cancellationToken).ConfigureAwait(false);
            return ParseModelVersion(document.RootElement.GetProperty("model_version"));
        }
        catch (MlflowApiException e) when (e.ErrorCode == ResourceDoesNotExist)
        {
            return null;
        }
    }

    public async Task DeleteModelVersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        using var document = await CallAsync(HttpMethod.Delete, Api + "model-versions/delete", new JsonObject { ["name"] = name, ["version"] = Text(version) }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every version matching an MLflow filter string (e.g. <c>name = 'm'</c>), following page tokens.</summary>
    public async Task<IReadOnlyList<MlflowModelVersion>> SearchModelVersionsAsync(string filter, CancellationToken cancellationToken)
    {
        return await AllPagesAsync(
            pageToken => CallAsync(HttpMethod.Get, Api + "model-versions/search" + PagedQuery(pageToken, ("filter", filter)), null, cancellationToken),
            "model_versions",
            ParseModelVersion).ConfigureAwait(false);
    }

    /// <summary>A filter that selects one model's versions, quoted the way MLflow's filter parser reads it.</summary>
    public static string FilterByModelName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.Contains('\'', StringComparison.Ordinal))
        {
            return $"name = '{name}'";
        }

        return name.Contains('"', StringComparison.Ordinal)
            ? throw new ArgumentException($"model name {name} holds both quote characters; MLflow's search filter cannot express it", nameof(name))
            : $"name = \"{name}\"";
    }

    // ---- aliases ----

    public async Task SetAliasAsync(string name, string alias, int version, CancellationToken cancellationToken)
    {
        MlflowAliasNames.Validate(alias);
        var body = new JsonObject { ["name"] = name, ["alias"] = alias, ["version"] = Text(version) };
        using var document = await CallAsync(HttpMethod.Post, Api + "registered-models/alias", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The version the alias points at, or null when the alias (or the model) does not exist.</summary>
    public async Task<MlflowModelVersion?> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        MlflowAliasNames.Validate(alias);
        try
        {
            using var document = await CallAsync(HttpMethod.Get, Api + "registered-models/alias" + Query(("name", name), ("alias", alias)), null, cancellationToken).ConfigureAwait(false);
            return ParseModelVersion(document.RootElement.GetProperty("model_version"));
        }
        catch (MlflowApiException e) when (e.ErrorCode == ResourceDoesNotExist || e.ErrorCode == InvalidParameterValue)
        {
            // A missing alias is 400 INVALID_PARAMETER_VALUE ("Registered model alias x not found."), not a 404;
            // the name and alias were checked above, so nothing else in this request can be invalid.
            return null;
        }
    }

    public async Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        MlflowAliasNames.Validate(alias);

        // MLflow reads the parameters of every non-GET request from a JSON body, DELETE included.
        using var document = await CallAsync(HttpMethod.Delete, Api + "registered-models/alias", new JsonObject { ["name"] = name, ["alias"] = alias }, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => http.Dispose();

    // ---- plumbing ----

    private async Task LogBatchChunkAsync(string runId, string field, JsonArray entries, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["run_id"] = runId, [field] = entries };
        using var document = await CallAsync(HttpMethod.Post, Api + "runs/log-batch", body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonDocument> CallAsync(HttpMethod method, string relative, JsonObject? body, CancellationToken cancellationToken)
    {
        var json = body?.ToJsonString();
        using var response = await SendAsync(
            method,
            relative,
            () => json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
            HttpCompletionOption.ResponseContentRead,
            cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
        }
        catch (JsonException e)
        {
            // Typically a login page or a proxy's landing page answering 200 in place of the API.
            throw new MlflowApiException(method.Method, "/" + relative, response.StatusCode, null, "the answer is not JSON, so this is probably not the MLflow API (check MLFLOW_TRACKING_URI): " + MlflowErrorBody.Parse(text).Message, 1, e);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string relative,
        Func<HttpContent?> content,
        HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        var display = "/" + relative;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(relative, UriKind.Relative)) { Content = content() };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, completion, deadline.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                if (attempt >= options.MaxAttempts)
                {
                    throw new MlflowApiException(method.Method, display, null, null, $"could not reach {DisplayUri}: {e.Message}", attempt, e);
                }

                await BackoffAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt >= options.MaxAttempts)
                {
                    throw new MlflowApiException(method.Method, display, null, null, $"no answer from {DisplayUri} within {options.RequestTimeout}", attempt, e);
                }

                await BackoffAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (IsTransient(response.StatusCode) && attempt < options.MaxAttempts)
                {
                    await BackoffAsync(attempt, RetryAfter(response), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var (errorCode, message) = MlflowErrorBody.Parse(body);
                throw new MlflowApiException(method.Method, display, response.StatusCode, errorCode, message, attempt);
            }
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    private Task BackoffAsync(int attempt, TimeSpan? serverHint, CancellationToken cancellationToken)
    {
        var exponential = options.InitialBackoff * Math.Pow(2, attempt - 1);

        // Jitter spreads out clients that failed together (a restarting server) so they do not return together.
        var jittered = exponential * (0.75 + (Random.Shared.NextDouble() * 0.5));
        var wait = serverHint is { } hint && hint > jittered ? hint : jittered;
        if (wait > options.MaxBackoff)
        {
            wait = options.MaxBackoff;
        }

        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, cancellationToken);
    }

    private static string ArtifactRoute(string proxyPath)
    {
        var escaped = MlflowArtifactPaths.EscapePath(proxyPath);
        if (escaped.Length == 0)
        {
            throw new ArgumentException("an artifact path is needed", nameof(proxyPath));
        }

        return MlflowArtifactPaths.ProxyRoute + "/" + escaped;
    }

    /// <summary>
    /// Every item of a paged answer (the array named <paramref name="items"/>), following next_page_token;
    /// <paramref name="page"/> asks for one page, the first with a null token.
    /// </summary>
    private static async Task<IReadOnlyList<T>> AllPagesAsync<T>(Func<string?, Task<JsonDocument>> page, string items, Func<JsonElement, T> parse)
    {
        var all = new List<T>();
        string? pageToken = null;
        do
        {
            using var document = await page(pageToken).ConfigureAwait(false);
            if (document.RootElement.TryGetProperty(items, out var found) && found.ValueKind == JsonValueKind.Array)
            {
                all.AddRange(found.EnumerateArray().Select(parse));
            }

            pageToken = OptionalString(document.RootElement, "next_page_token") is { Length: > 0 } next ? next : null;
        }
        while (pageToken is not null);

        return all;
    }

    /// <summary>A search's query: its parameters, the page size and, after the first page, the page token.</summary>
    private string PagedQuery(string? pageToken, params (string Name, string Value)[] pairs) =>
        Query([.. pairs, ("max_results", Text(options.SearchPageSize)), .. pageToken is null ? [] : new[] { ("page_token", pageToken) }]);

    private static string Query(params (string Name, string Value)[] pairs) =>
        "?" + string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static JsonArray KeyValues(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var array = new JsonArray();
        foreach (var (key, value) in pairs)
        {
            array.Add(new JsonObject { ["key"] = key, ["value"] = value });
        }

        return array;
    }

    private static MlflowRun ParseRun(JsonElement run)
    {
        var info = run.GetProperty("info");
        var runId = OptionalString(info, "run_id") ?? RequiredString(info, "run_uuid");
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var metrics = new List<MlflowMetric>();
        if (run.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            ReadKeyValues(data, "tags", tags);
            ReadKeyValues(data, "params", parameters);
            if (data.TryGetProperty("metrics", out var latest) && latest.ValueKind == JsonValueKind.Array)
            {
                metrics.AddRange(latest.EnumerateArray().Select(ParseMetric));
            }
        }

        return new MlflowRun(runId, RequiredString(info, "experiment_id"), OptionalString(info, "artifact_uri") ?? string.Empty, OptionalString(info, "status") ?? string.Empty)
        {
            Name = OptionalString(info, "run_name") ?? string.Empty,
            StartTime = OptionalInt64(info, "start_time") ?? 0,
            Tags = tags,
            Parameters = parameters,
            LatestMetrics = metrics,
        };
    }

    private static void ReadKeyValues(JsonElement data, string property, Dictionary<string, string> into)
    {
        if (data.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var pair in array.EnumerateArray())
            {
                into[RequiredString(pair, "key")] = OptionalString(pair, "value") ?? string.Empty;
            }
        }
    }

    private static MlflowMetric ParseMetric(JsonElement metric) => new(
        RequiredString(metric, "key"),
        metric.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.NaN,
        OptionalInt64(metric, "timestamp") ?? 0,
        OptionalInt64(metric, "step") ?? 0);

    private static MlflowModelVersion ParseModelVersion(JsonElement element)
    {
        var versionText = element.GetProperty("version") is var v && v.ValueKind == JsonValueKind.Number
            ? v.GetRawText()
            : v.GetString() ?? string.Empty;
        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new FormatException($"MLflow model version '{versionText}' is not a whole number");
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("tags", out var tagArray) && tagArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in tagArray.EnumerateArray())
            {
                tags[RequiredString(tag, "key")] = OptionalString(tag, "value") ?? string.Empty;
            }
        }

        var aliases = element.TryGetProperty("aliases", out var aliasArray) && aliasArray.ValueKind == JsonValueKind.Array
            ? aliasArray.EnumerateArray().Select(a => a.GetString() ?? string.Empty).ToList()
            : [];
        var created = OptionalInt64(element, "creation_timestamp") is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.MinValue;
        return new MlflowModelVersion(
            RequiredString(element, "name"),
            version,
            OptionalString(element, "source") ?? string.Empty,
            OptionalString(element, "run_id") is { Length: > 0 } runId ? runId : null,
            OptionalString(element, "status") ?? string.Empty,
            created,
            tags,
            aliases);
    }

    private static string RequiredString(JsonElement element, string property) =>
        OptionalString(element, property) ?? throw new FormatException($"MLflow's answer lacks '{property}': {element.GetRawText()}");

    private static string? OptionalString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>int64 fields arrive as numbers from MLflow's JSON and as strings from proto3 JSON; take both.</summary>
    private static long? OptionalInt64(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}
