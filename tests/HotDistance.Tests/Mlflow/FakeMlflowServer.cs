using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HotDistance.Tests.Mlflow;

/// <summary>
/// An in-memory MLflow tracking server on a loopback port, answering the REST routes HotDistance uses the way
/// MLflow 2.x/3.x does: the same JSON shapes, the same error codes and statuses (RESOURCE_ALREADY_EXISTS as 400,
/// a missing alias as 400 INVALID_PARAMETER_VALUE, unknown resources as 404 RESOURCE_DOES_NOT_EXIST, Flask's HTML
/// 404 for unknown routes), query parameters for GET only and JSON bodies for everything else (DELETE included).
/// It can be told to fail the next requests with any status and body.
/// </summary>
public sealed partial class FakeMlflowServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly Lock gate = new();
    private readonly ConcurrentQueue<(int Status, string Body, string ContentType)> faults = new();
    private readonly List<RecordedRequest> requests = [];
    private readonly Dictionary<string, (string Name, string Stage)> experiments = [];
    private readonly Dictionary<string, FakeRun> runs = [];
    private readonly Dictionary<string, FakeModel> models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> artifacts = new(StringComparer.Ordinal);
    private readonly List<int> metricBatchSizes = [];
    private readonly Task loop;
    private int nextExperiment = 1;
    private long runSequence;

    public FakeMlflowServer()
    {
        (listener, Uri) = Listen();
        experiments["0"] = ("Default", "active");
        loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Uri { get; }

    /// <summary>False answers the artifact routes as <c>mlflow server --no-serve-artifacts</c> does: Flask's 404 page.</summary>
    public bool ServesArtifacts { get; set; } = true;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return requests.ToList();
            }
        }
    }

    public IReadOnlyDictionary<string, byte[]> Artifacts
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<string, byte[]>(artifacts);
            }
        }
    }

    public int RunCount
    {
        get
        {
            lock (gate)
            {
                return runs.Count;
            }
        }
    }

    /// <summary>How many metrics each log-batch request that carried metrics held, in arrival order.</summary>
    public IReadOnlyList<int> MetricBatchSizes
    {
        get
        {
            lock (gate)
            {
                return metricBatchSizes.ToList();
            }
        }
    }

    /// <summary>Changes a stored artifact behind the client's back (a corrupted store).</summary>
    public void ReplaceArtifact(string path, byte[] content)
    {
        lock (gate)
        {
            artifacts[path] = content;
        }
    }

    /// <summary>The next <paramref name="count"/> requests get this answer instead of being served.</summary>
    public void FailNext(int count, int status, string body = "", string contentType = "application/json")
    {
        for (var i = 0; i < count; i++)
        {
            faults.Enqueue((status, body, contentType));
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener's disposal exception.
        }
    }

    private static (HttpListener, Uri) Listen()
    {
        for (var attempt = 0; ; attempt++)
        {
            // Take a free port from the OS, then hand it to HttpListener (which cannot bind port 0 itself).
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var uri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            var candidate = new HttpListener();
            candidate.Prefixes.Add(uri.AbsoluteUri);
            try
            {
                candidate.Start();
                return (candidate, uri);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                candidate.Close();
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
            body = buffer.ToArray();
        }

        int status;
        byte[] payload;
        string contentType;
        if (faults.TryDequeue(out var fault))
        {
            (status, payload, contentType) = (fault.Status, Encoding.UTF8.GetBytes(fault.Body), fault.ContentType);
        }
        else
        {
            lock (gate)
            {
                (status, payload, contentType) = Route(request, body);
            }
        }

        lock (gate)
        {
            requests.Add(new RecordedRequest(request.HttpMethod, request.Url!.AbsolutePath, request.Url.Query, request.Headers["Authorization"], status));
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = payload.Length;
        await response.OutputStream.WriteAsync(payload).ConfigureAwait(false);
        response.Close();
    }

    private (int, byte[], string) Route(HttpListenerRequest request, byte[] body)
    {
        var path = request.Url!.AbsolutePath;
        const string artifactRoute = "/api/2.0/mlflow-artifacts/artifacts";
        try
        {
            if (path.StartsWith(artifactRoute, StringComparison.Ordinal) && ServesArtifacts)
            {
                return Artifact(request.HttpMethod, path[artifactRoute.Length..], request, body);
            }

            if (!path.StartsWith("/api/2.0/mlflow/", StringComparison.Ordinal))
            {
                return FlaskNotFound();
            }

            var args = Arguments(request, body);
            var route = request.HttpMethod + " " + path["/api/2.0/mlflow/".Length..];
            var answer = route switch
            {
                "GET experiments/get-by-name" => GetExperimentByName(args),
                "POST experiments/create" => CreateExperiment(args),
                "POST runs/create" => CreateRun(args),
                "GET runs/get" => new JsonObject { ["run"] = RunJson(FindRun(args)) },
                "POST runs/log-batch" => LogBatch(args),
                "POST runs/update" => UpdateRun(args),
                "POST runs/search" => SearchRuns(args),
                "POST runs/delete-tag" => DeleteRunTag(args),
                "GET metrics/get-history" => MetricHistory(args),
                "POST registered-models/create" => CreateRegisteredModel(args),
                "POST model-versions/create" => CreateModelVersion(args),
                "GET model-versions/get" => new JsonObject { ["model_version"] = VersionJson(FindVersion(args)) },
                "DELETE model-versions/delete" => DeleteModelVersion(args),
                "GET model-versions/search" => SearchModelVersions(args),
                "POST registered-models/alias" => SetAlias(args),
                "GET registered-models/alias" => GetByAlias(args),
                "DELETE registered-models/alias" => DeleteAlias(args),
                _ => null,
            };
            return answer is null ? FlaskNotFound() : Json(200, answer);
        }
        catch (FakeMlflowError e)
        {
            return Json(e.Status, new JsonObject { ["error_code"] = e.Code, ["message"] = e.Message });
        }
    }

    // ---- tracking ----

    private JsonObject GetExperimentByName(JsonObject args)
    {
        var name = Required(args, "experiment_name");
        var match = experiments.FirstOrDefault(e => e.Value.Name == name);
        if (match.Key is null)
        {
            throw NotFound($"Could not find experiment with name '{name}'");
        }

        return new JsonObject
        {
            ["experiment"] = new JsonObject
            {
                ["experiment_id"] = match.Key,
                ["name"] = name,
                ["artifact_location"] = $"mlflow-artifacts:/{match.Key}",
                ["lifecycle_stage"] = match.Value.Stage,
            },
        };
    }

    private JsonObject CreateExperiment(JsonObject args)
    {
        var name = Required(args, "name");
        if (experiments.Values.Any(e => e.Name == name))
        {
            throw new FakeMlflowError(400, "RESOURCE_ALREADY_EXISTS", $"Experiment '{name}' already exists.");
        }

        var id = (nextExperiment++).ToString(CultureInfo.InvariantCulture);
        experiments[id] = (name, "active");
        return new JsonObject { ["experiment_id"] = id };
    }

    private JsonObject CreateRun(JsonObject args)
    {
        var experimentId = Required(args, "experiment_id");
        if (!experiments.ContainsKey(experimentId))
        {
            throw NotFound($"No Experiment with id={experimentId} exists");
        }

        var run = new FakeRun(Guid.NewGuid().ToString("N"), experimentId, args["run_name"]?.GetValue<string>() ?? string.Empty, ++runSequence)
        {
            StartTime = args["start_time"]?.GetValue<long>() ?? Now(),
        };
        foreach (var (key, value) in KeyValues(args["tags"]))
        {
            run.Tags[key] = value;
        }

        runs[run.Id] = run;
        return new JsonObject { ["run"] = RunJson(run) };
    }

    private JsonObject LogBatch(JsonObject args)
    {
        var run = FindRun(args);
        var parameters = KeyValues(args["params"]).ToList();
        var tags = KeyValues(args["tags"]).ToList();
        var metrics = args["metrics"]?.AsArray() ?? [];
        if (parameters.Count > 100 || tags.Count > 100 || metrics.Count > 1000)
        {
            throw Invalid($"A batch logging request can contain at most 100 params, 100 tags and 1000 metrics. Got {parameters.Count} params, {tags.Count} tags and {metrics.Count} metrics.");
        }

        foreach (var (key, value) in parameters)
        {
            if (run.Params.TryGetValue(key, out var old) && old != value)
            {
                throw Invalid($"Changing param values is not allowed. Param with key='{key}' was already logged with value='{old}' for run ID='{run.Id}'. Attempted logging new value '{value}'.");
            }

            run.Params[key] = value;
        }

        foreach (var (key, value) in tags)
        {
            run.Tags[key] = value;
        }

        foreach (var metric in metrics)
        {
            var key = metric!["key"]?.GetValue<string>() ?? throw Invalid("Missing value for required parameter 'metrics[].key'.");
            var value = metric["value"] ?? throw Invalid($"Missing value for required parameter 'value' of metric '{key}'.");
            var timestamp = metric["timestamp"] ?? throw Invalid($"Missing value for required parameter 'timestamp' of metric '{key}'.");
            var history = run.Metrics.TryGetValue(key, out var existing) ? existing : run.Metrics[key] = [];
            history.Add(new FakeMetric(value.GetValue<double>(), timestamp.GetValue<long>(), metric["step"]?.GetValue<long>() ?? 0));
        }

        if (metrics.Count > 0)
        {
            metricBatchSizes.Add(metrics.Count);
        }

        return [];
    }

    private JsonObject SearchRuns(JsonObject args)
    {
        var experimentIds = (args["experiment_ids"]?.AsArray() ?? []).Select(e => e!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        if (experimentIds.Count == 0)
        {
            throw Invalid("Must specify at least one experiment ID to search runs.");
        }

        var filter = args["filter"]?.GetValue<string>() ?? string.Empty;
        var conditions = new List<(string Key, string Value)>();
        foreach (var clause in filter.Length == 0 ? [] : AndSeparator().Split(filter))
        {
            var match = TagCondition().Match(clause);
            if (!match.Success)
            {
                throw Invalid($"Invalid clause(s) in filter string: '{clause}' (this fake only understands tags.`key` = 'value' joined by AND)");
            }

            conditions.Add((match.Groups["key"].Value, match.Groups["value"].Value));
        }

        var viewType = args["run_view_type"]?.GetValue<string>() ?? "ACTIVE_ONLY";
        var orderBy = (args["order_by"]?.AsArray() ?? []).Select(o => o!.GetValue<string>()).ToList();
        if (orderBy.Any(o => o != "attributes.start_time ASC"))
        {
            throw Invalid($"this fake orders by attributes.start_time ASC only, not {string.Join(", ", orderBy)}");
        }

        var matching = runs.Values
            .Where(r => experimentIds.Contains(r.ExperimentId))
            .Where(r => viewType == "ALL" || (viewType == "DELETED_ONLY") == r.Deleted)
            .Where(r => conditions.All(c => r.Tags.TryGetValue(c.Key, out var value) && value == c.Value))
            .OrderBy(r => orderBy.Count > 0 ? r.StartTime : -r.StartTime)
            .ThenBy(r => r.Sequence)
            .ToList();
        var maxResults = args["max_results"]?.GetValue<int>() ?? 1000;
        var offset = args["page_token"]?.GetValue<string>() is { Length: > 0 } token
            ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture)
            : 0;
        var page = matching.Skip(offset).Take(maxResults).ToList();
        var result = new JsonObject();
        if (page.Count > 0)
        {
            result["runs"] = new JsonArray(page.Select(r => (JsonNode)RunJson(r)).ToArray());
        }

        if (offset + page.Count < matching.Count)
        {
            result["next_page_token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)));
        }

        return result;
    }

    private JsonObject DeleteRunTag(JsonObject args)
    {
        var run = FindRun(args);
        var key = Required(args, "key");
        if (!run.Tags.Remove(key))
        {
            throw NotFound($"No tag with name: {key} in run with id {run.Id}");
        }

        return [];
    }

    private JsonObject MetricHistory(JsonObject args)
    {
        var run = FindRun(args);
        var key = Required(args, "metric_key");
        var history = run.Metrics.TryGetValue(key, out var values) ? values : [];
        var maxResults = int.Parse(args["max_results"]?.GetValue<string>() ?? "25000", CultureInfo.InvariantCulture);
        var offset = args["page_token"]?.GetValue<string>() is { Length: > 0 } token
            ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture)
            : 0;
        var page = history.Skip(offset).Take(maxResults).ToList();
        var result = new JsonObject
        {
            ["metrics"] = new JsonArray(page.Select(m => (JsonNode)MetricJson(key, m)).ToArray()),
        };
        if (offset + page.Count < history.Count)
        {
            result["next_page_token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)));
        }

        return result;
    }

    private static JsonObject MetricJson(string key, FakeMetric metric) => new()
    {
        ["key"] = key,
        ["value"] = metric.Value,
        ["timestamp"] = metric.Timestamp,
        ["step"] = metric.Step,
    };

    private JsonObject UpdateRun(JsonObject args)
    {
        var run = FindRun(args);
        run.Status = Required(args, "status");
        if (args["end_time"] is { } end)
        {
            run.EndTime = end.GetValue<long>();
        }
        return new JsonObject { ["run_info"] = RunJson(run)["info"]!.DeepClone() };
    }

    private FakeRun FindRun(JsonObject args)
    {
        var id = args["run_id"]?.GetValue<string>() ?? Required(args, "run_uuid");
        return runs.TryGetValue(id, out var run) ? run : throw NotFound($"Run with id={id} not found");
    }

    private static JsonObject RunJson(FakeRun run) => new()
    {
        ["info"] = new JsonObject
        {
            ["run_id"] = run.Id,
            ["run_uuid"] = run.Id,
            ["run_name"] = run.Name,
            ["experiment_id"] = run.ExperimentId,
            ["status"] = run.Status,
            ["artifact_uri"] = $"mlflow-artifacts:/{run.ExperimentId}/{run.Id}/artifacts",
            ["lifecycle_stage"] = run.Deleted ? "deleted" : "active",
            ["start_time"] = run.StartTime,
            ["end_time"] = run.EndTime,
        },
        ["data"] = new JsonObject
        {
            ["metrics"] = new JsonArray(run.Metrics
                .Where(m => m.Value.Count > 0)
                .Select(m => (JsonNode)MetricJson(m.Key, m.Value.OrderBy(v => v.Step).ThenBy(v => v.Timestamp).ThenBy(v => v.Value).Last()))
                .ToArray()),
            ["params"] = new JsonArray(run.Params.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray()),
            ["tags"] = new JsonArray(run.Tags.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray()),
        },
    };

    // ---- registry ----

    private JsonObject CreateRegisteredModel(JsonObject args)
    {
        var name = Required(args, "name");
        if (models.ContainsKey(name))
        {
            throw new FakeMlflowError(400, "RESOURCE_ALREADY_EXISTS", $"Registered Model (name={name}) already exists.");
        }

        models[name] = new FakeModel();
        return new JsonObject { ["registered_model"] = new JsonObject { ["name"] = name, ["creation_timestamp"] = Now() } };
    }

    private JsonObject CreateModelVersion(JsonObject args)
    {
        var name = Required(args, "name");
        var source = Required(args, "source");
        var model = FindModel(name);
        if (source.Split('/').Contains("..") || source.StartsWith('/'))
        {
            throw Invalid($"Invalid model version source: '{source}'.");
        }

        var number = model.Versions.Count == 0 ? 1 : model.Versions.Keys.Max() + 1;
        var version = new FakeVersion(name, number, source, args["run_id"]?.GetValue<string>(), Now());
        foreach (var (key, value) in KeyValues(args["tags"]))
        {
            if (value.Length > 5000)
            {
                throw Invalid($"Model version value '{value[..250]}' had length {value.Length}, which exceeded length limit of 5000");
            }

            version.Tags[key] = value;
        }

        model.Versions[number] = version;
        return new JsonObject { ["model_version"] = VersionJson(version) };
    }

    private JsonObject DeleteModelVersion(JsonObject args)
    {
        var version = FindVersion(args);
        var model = models[version.Name];
        model.Versions.Remove(version.Number);
        foreach (var alias in model.Aliases.Where(a => a.Value == version.Number).Select(a => a.Key).ToList())
        {
            model.Aliases.Remove(alias);
        }

        return [];
    }

    private JsonObject SearchModelVersions(JsonObject args)
    {
        var filter = args["filter"]?.GetValue<string>() ?? string.Empty;
        var match = NameFilter().Match(filter);
        if (filter.Length > 0 && !match.Success)
        {
            throw Invalid($"Invalid filter string '{filter}' (this fake only understands name = '...')");
        }

        var name = match.Success ? match.Groups["name"].Value : null;
        var all = models
            .Where(m => name is null || m.Key == name)
            .SelectMany(m => m.Value.Versions.Values)
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .ThenByDescending(v => v.Number)
            .ToList();
        var maxResults = int.Parse(args["max_results"]?.GetValue<string>() ?? "10000", CultureInfo.InvariantCulture);
        var offset = args["page_token"]?.GetValue<string>() is { Length: > 0 } token
            ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture)
            : 0;
        var page = all.Skip(offset).Take(maxResults).ToList();
        var result = new JsonObject();
        if (page.Count > 0)
        {
            result["model_versions"] = new JsonArray(page.Select(v => (JsonNode)VersionJson(v)).ToArray());
        }

        if (offset + page.Count < all.Count)
        {
            result["next_page_token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)));
        }

        return result;
    }

    private JsonObject SetAlias(JsonObject args)
    {
        var alias = Required(args, "alias");
        ValidateAlias(alias);
        var version = FindVersion(args);
        models[version.Name].Aliases[alias] = version.Number;
        return [];
    }

    private JsonObject GetByAlias(JsonObject args)
    {
        var model = FindModel(Required(args, "name"));
        var alias = Required(args, "alias");
        if (!model.Aliases.TryGetValue(alias, out var number))
        {
            throw Invalid($"Registered model alias {alias} not found.");
        }

        return new JsonObject { ["model_version"] = VersionJson(model.Versions[number]) };
    }

    private JsonObject DeleteAlias(JsonObject args)
    {
        var model = FindModel(Required(args, "name"));
        model.Aliases.Remove(Required(args, "alias"));
        return [];
    }

    private FakeModel FindModel(string name) =>
        models.TryGetValue(name, out var model) ? model : throw NotFound($"Registered Model with name={name} not found");

    private FakeVersion FindVersion(JsonObject args)
    {
        var name = Required(args, "name");
        var text = Required(args, "version");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw Invalid($"Model version must be an integer, got '{text}'");
        }

        var model = FindModel(name);
        return model.Versions.TryGetValue(number, out var version)
            ? version
            : throw NotFound($"Model Version (name={name}, version={text}) not found");
    }

    private JsonObject VersionJson(FakeVersion version) => new()
    {
        ["name"] = version.Name,
        ["version"] = version.Number.ToString(CultureInfo.InvariantCulture),
        ["creation_timestamp"] = version.Created,
        ["last_updated_timestamp"] = version.Created,
        ["current_stage"] = "None",
        ["source"] = version.Source,
        ["run_id"] = version.RunId ?? string.Empty,
        ["status"] = "READY",
        ["tags"] = new JsonArray(version.Tags.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray()),
        ["aliases"] = new JsonArray(models[version.Name].Aliases.Where(a => a.Value == version.Number).Select(a => (JsonNode)JsonValue.Create(a.Key)).ToArray()),
    };

    private static void ValidateAlias(string alias)
    {
        if (!AliasCharacters().IsMatch(alias))
        {
            throw Invalid($"Invalid alias name: '{alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        }

        if (alias.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("'latest' alias name (case insensitive) is reserved.");
        }

        if (VersionAlias().IsMatch(alias))
        {
            throw Invalid($"Version alias name '{alias}' is reserved.");
        }
    }

    // ---- artifacts ----

    private (int, byte[], string) Artifact(string method, string rest, HttpListenerRequest request, byte[] body)
    {
        var path = string.Join('/', rest.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString));
        if (path.Split('/').Contains(".."))
        {
            return Json(400, new JsonObject { ["error_code"] = "INVALID_PARAMETER_VALUE", ["message"] = "Invalid path" });
        }

        switch (method)
        {
            case "PUT" when path.Length > 0:
                artifacts[path] = body;
                return Json(200, []);
            case "GET" when path.Length > 0:
                return artifacts.TryGetValue(path, out var bytes)
                    ? (200, bytes, "application/octet-stream")
                    : Json(404, new JsonObject { ["error_code"] = "RESOURCE_DOES_NOT_EXIST", ["message"] = $"No such file or directory: '{path}'" });
            case "GET":
                var folder = (request.QueryString["path"] ?? string.Empty).Trim('/');
                var prefix = folder.Length == 0 ? string.Empty : folder + "/";
                var entries = artifacts
                    .Where(a => a.Key.StartsWith(prefix, StringComparison.Ordinal))
                    .Select(a => (Remainder: a.Key[prefix.Length..], Size: a.Value.Length))
                    .GroupBy(a => a.Remainder.Split('/')[0])
                    .Select(g => g.Any(e => e.Remainder.Contains('/', StringComparison.Ordinal))
                        ? (JsonNode)new JsonObject { ["path"] = g.Key, ["is_dir"] = true }
                        : new JsonObject { ["path"] = g.Key, ["is_dir"] = false, ["file_size"] = g.First().Size })
                    .ToArray();
                var listing = new JsonObject();
                if (entries.Length > 0)
                {
                    listing["files"] = new JsonArray(entries);
                }

                return Json(200, listing);
            default:
                return FlaskNotFound();
        }
    }

    // ---- plumbing ----

    private static JsonObject Arguments(HttpListenerRequest request, byte[] body)
    {
        if (request.HttpMethod == "GET")
        {
            var query = new JsonObject();
            foreach (var key in request.QueryString.AllKeys.OfType<string>())
            {
                query[key] = request.QueryString[key];
            }

            return query;
        }

        // Like MLflow: every other method reads a JSON body, and only a JSON content type is accepted.
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw Invalid($"Bad Request. Content-Type must be one of ['application/json'], got '{request.ContentType}'.");
        }

        return body.Length == 0 ? [] : JsonNode.Parse(body)?.AsObject() ?? [];
    }

    private static string Required(JsonObject args, string name)
    {
        var value = args[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        return string.IsNullOrEmpty(value)
            ? throw Invalid($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.")
            : value;
    }

    private static IEnumerable<(string Key, string Value)> KeyValues(JsonNode? array) =>
        (array?.AsArray() ?? []).Select(e => (e!["key"]!.GetValue<string>(), e["value"]?.GetValue<string>() ?? string.Empty));

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static FakeMlflowError Invalid(string message) => new(400, "INVALID_PARAMETER_VALUE", message);

    private static FakeMlflowError NotFound(string message) => new(404, "RESOURCE_DOES_NOT_EXIST", message);

    private static (int, byte[], string) Json(int status, JsonObject body) =>
        (status, Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json");

    private static (int, byte[], string) FlaskNotFound() =>
        (404, Encoding.UTF8.GetBytes("<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n"), "text/html; charset=utf-8");

    [GeneratedRegex("""^\s*name\s*=\s*(?:'(?<name>[^']*)'|"(?<name>[^"]*)")\s*$""")]
    private static partial Regex NameFilter();

    [GeneratedRegex(@"^[\w\-]*$")]
    private static partial Regex AliasCharacters();

    [GeneratedRegex(@"\s+AND\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSeparator();

    [GeneratedRegex("""^\s*tags\.(?:`(?<key>[^`]+)`|"(?<key>[^"]+)"|(?<key>\w+))\s*=\s*'(?<value>[^']*)'\s*$""")]
    private static partial Regex TagCondition();

    [GeneratedRegex(@"^[vV]\d+$")]
    private static partial Regex VersionAlias();

    public sealed record RecordedRequest(string Method, string Path, string Query, string? Authorization, int Status);

    private sealed class FakeMlflowError(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;
    }

    private sealed record FakeMetric(double Value, long Timestamp, long Step);

    private sealed class FakeRun(string id, string experimentId, string name, long sequence)
    {
        public string Id { get; } = id;

        public long Sequence { get; } = sequence;

        public long StartTime { get; init; }

        public long? EndTime { get; set; }

        public bool Deleted { get; set; }

        public Dictionary<string, List<FakeMetric>> Metrics { get; } = new(StringComparer.Ordinal);

        public string ExperimentId { get; } = experimentId;

        public string Name { get; } = name;

        public string Status { get; set; } = "RUNNING";

        public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    }

    private sealed class FakeModel
    {
        public SortedDictionary<int, FakeVersion> Versions { get; } = [];

        public Dictionary<string, int> Aliases { get; } = new(StringComparer.Ordinal);
    }

    private sealed record FakeVersion(string Name, int Number, string Source, string? RunId, long Created)
    {
        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    }
}
