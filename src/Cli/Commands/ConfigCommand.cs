using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Core;
using HotDistance.Hosting.Configuration;
using HotDistance.Learning.Model;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd config show</c>: every setting's effective value and where it came from (default, the file, a variable, an
/// option), after the same validation a host runs at start. <c>hd config init</c>: a commented hd.json at the
/// defaults, to edit.
/// </summary>
public static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", CommandHelp.WithExamples(
            "Show the effective configuration with the source of each value, or write a starting hd.json.",
            "hd config show",
            "hd config init"));
        command.Add(Show());
        command.Add(Init());
        return command;
    }

    private static Command Show()
    {
        var json = new Option<bool>("--json") { Description = "Print the settings as JSON on stdout: each key with its value and source" };
        var command = new Command("show", CommandHelp.WithExamples(
            "Print every setting's effective value and its source (default, hd.json, an HD_* variable, an option). Exit 2 when the configuration is invalid, naming each problem.",
            "hd config show",
            "hd config show --config /lab/hd.json --json"))
        {
            json,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(async () =>
        {
            var loaded = GlobalOptions.Configuration(parse);
            var entries = SettingsDocument.Flatten(loaded.Settings)
                .Select(e => (e.Key, Value: e.Value is not null && e.Property.GetCustomAttribute<SecretAttribute>() is not null ? "***" : SettingsDocument.Format(e.Value), Source: loaded.Sources.OriginOf(e.Key)))
                .ToList();
            if (parse.GetValue(json))
            {
                var document = new JsonObject();
                foreach (var (key, value, source) in entries)
                {
                    document[key] = new JsonObject { ["value"] = value, ["source"] = source };
                }

                await parse.InvocationConfiguration.Output.WriteLineAsync(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            AnsiConsole.MarkupLine(loaded.Sources.File is { } file ? $"configuration file: [blue]{Markup.Escape(file)}[/]" : "configuration file: none (defaults, variables and options only)");
            var table = new Table().AddColumn("key").AddColumn("value").AddColumn("source");
            foreach (var (key, value, source) in entries)
            {
                table.AddRow(Markup.Escape(key), Markup.Escape(value), source == "default" ? "[grey]default[/]" : Markup.Escape(source));
            }

            AnsiConsole.Write(table);
            var training = loaded.Settings.Trainer.Training;
            var heads = new HeadLayout(loaded.Settings.Pipeline.Classes.Count, OneHot: true, Distance: true);
            AnsiConsole.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"network {Markup.Escape(training.Architecture.ToString())}: {training.Architecture.ParameterCount(heads) / 1e6:0.###} M parameters; a {training.PatchSize}^3 training patch takes about {training.Architecture.ActivationBytesPerPatch(training.PatchSize, heads) / (double)(1 << 20):0} MiB of activations (hot-distance, {heads.ClassCount} classes)"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Init()
    {
        var output = new Option<string?>("--output", "-o") { Description = $"Where to write it. Default: {ConfigurationSources.FileName} in the workspace, which every verb then reads" };
        var force = new Option<bool>("--force") { Description = "Replace an existing file" };
        var command = new Command("init", CommandHelp.WithExamples(
            "Write a commented hd.json with every setting at its default and its allowed range; edit it, then check it with hd config show.",
            "hd config init",
            "hd config init --output /lab/hd.json"))
        {
            output, force,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(() =>
        {
            var workspace = GlobalOptions.Configuration(parse).Settings.Pipeline.Workspace;
            var target = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(workspace, ConfigurationSources.FileName));
            if (File.Exists(target) && !parse.GetValue(force))
            {
                throw new ArgumentException($"{target} exists; pass --force to replace it, or edit it");
            }

            // A file inside the workspace does not name the workspace: it is found there. The runner's name defaults to
            // the machine's, so a file shared by several runners leaves it out.
            var defaults = HostConfiguration.Defaults with { Pipeline = HostConfiguration.Defaults.Pipeline with { Workspace = workspace } };
            var inWorkspace = string.Equals(Path.GetDirectoryName(target), Path.GetFullPath(workspace), StringComparison.Ordinal);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, SettingsDocument.ToCommentedJson(defaults, inWorkspace ? new HashSet<string> { "pipeline:workspace", "trainer:runnerName" } : new HashSet<string> { "trainer:runnerName" }));
            AnsiConsole.MarkupLine($"wrote [blue]{Markup.Escape(target)}[/]; edit it, then check it with hd config show{(inWorkspace ? string.Empty : " --config " + Markup.Escape(target))}");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
