using System.CommandLine;
using HotDistance.Cli;
using HotDistance.Core.Security;

// On Ctrl+C a verb's token is cancelled and the verb winds down: training stops at the end of its step and the
// host stops its bus. System.CommandLine's default grace of two seconds returned from Main while training threads
// were still inside libtorch, and the process died with a segmentation fault (exit 139) instead of 130.
// Its default exception handler printed whole exceptions, passwords in quoted URIs included: this one masks them.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2), EnableDefaultExceptionHandler = false };
try
{
    return await HdCommandLine.Build().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
}
#pragma warning disable CA1031 // The last resort: whatever a verb did not handle is reported, redacted, as a failure.
catch (Exception exception)
#pragma warning restore CA1031
{
    await Console.Error.WriteLineAsync($"Unhandled exception: {Redaction.Text(exception.ToString())}").ConfigureAwait(false);
    return ExitCodes.Failure;
}
