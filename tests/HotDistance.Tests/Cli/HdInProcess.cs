using HotDistance.Cli;
using Spectre.Console;

namespace HotDistance.Tests.Cli;

/// <summary>
/// Runs hd verbs in this process, as Program.cs does, and captures what they print. Spectre's console is
/// process-wide, so tests that use this run in the <see cref="HdConsoleCollectionDefinition"/> collection, never beside other tests.
/// </summary>
internal static class HdInProcess
{
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunAsync(args, CancellationToken.None);

    /// <param name="cancellationToken">Stands in for Ctrl+C.</param>
    /// <param name="width">The console's width; by default wide enough that no message is wrapped, so a test can look for a whole path in it.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] args, CancellationToken cancellationToken, int width = 10_000)
    {
        using var output = new StringWriter();

        // Spectre's progress display (hd demo) writes from its own thread.
        using var writer = TextWriter.Synchronized(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        var previous = AnsiConsole.Console;
        AnsiConsole.Console = console;
        try
        {
            var exitCode = await HdCommandLine.Build().Parse(args)
                .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = writer, Error = writer }, cancellationToken)
                .ConfigureAwait(false);
            return (exitCode, output.ToString());
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
    }
}
