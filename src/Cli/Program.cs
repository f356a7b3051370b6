using HotDistance.Cli;

return await HdCommandLine.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
