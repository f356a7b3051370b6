using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using HotDistance.Core.IO;
using HotDistance.Hosting;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd broker-definitions</c>: writes the RabbitMQ definitions that lock a pipeline's broker down: a vhost of its
/// own, an administrator, and one user per role that may publish only that role's events.
/// </summary>
public static class BrokerDefinitionsCommand
{
    public static Command Create()
    {
        var vhost = new Option<string>("--vhost")
        {
            Description = "The pipeline's vhost (one per pipeline keeps pipelines on one broker apart)",
            DefaultValueFactory = _ => "hotdistance",
        };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the definitions to this file instead of stdout" };
        var users = string.Join(", ", BrokerDefinitions.Users);
        var command = new Command(
            "broker-definitions",
            CommandHelp.WithExamples(
                $"Write RabbitMQ definitions for this pipeline: a vhost, an administrator and one user per role ({users}), each allowed to publish only its own role's events. Passwords come from {BrokerDefinitions.PasswordVariable(BrokerDefinitions.AdminUser)}, {BrokerDefinitions.PasswordVariable(BrokerDefinitions.UserOf("trainer"))} and so on (the compose file reads them from .env) and are stored hashed. Load the file with RabbitMQ's load_definitions setting or rabbitmqctl import_definitions; each role then connects as amqp://hd-<role>:<password>@<broker>/<vhost>. Queue prefix, catalog and site id come from the same settings the roles use (HD_QUEUE_PREFIX, HD_CATALOG).",
                "hd broker-definitions --out definitions.json",
                "hd broker-definitions --vhost lab-a --out /etc/rabbitmq/definitions/lab-a.json"))
        {
            vhost, output,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var settings = GlobalOptions.Load(parse);
            var passwords = BrokerDefinitions.Users.ToDictionary(user => user, user => Environment.GetEnvironmentVariable(BrokerDefinitions.PasswordVariable(user)) ?? string.Empty, StringComparer.Ordinal);
            var definitions = BrokerDefinitions.Create(settings, parse.GetValue(vhost)!, passwords);
            var json = definitions.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            if (parse.GetValue(output) is { } file)
            {
                AtomicFile.Write(file.FullName, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(json)));
                await parse.InvocationConfiguration.Error.WriteLineAsync($"wrote {file.FullName}: vhost {parse.GetValue(vhost)}, users {users}").ConfigureAwait(false);
            }
            else
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(json).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
