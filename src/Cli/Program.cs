using System.CommandLine;
using HotDistance.Cli;

// On Ctrl+C a verb's token is cancelled and the verb winds down: training stops at the end of its step and the
// host stops its bus. System.CommandLine's default grace of two seconds returned from Main while training threads
// were still inside libtorch, and the process died with a segmentation fault (exit 139) instead of 130.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
return await HdCommandLine.Build().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
