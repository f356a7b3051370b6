using System.Diagnostics;

namespace HotDistance.Tests.Zarr;

/// <summary>Runs a check with the Debian python and its zarr package, the reference Zarr implementation.</summary>
internal static class ZarrPython
{
    private const string Python = "/usr/bin/python3";

    public static string Run(string script, params string[] arguments)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: install python3 and python3-zarr (apt-get install python3-zarr) to check that zarr-python reads our output");
        }

        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("zarr-python check did not finish in 120 s");
        }

        string output = stdout.Result + stderr.Result;
        if (output.Contains("No module named 'zarr'", StringComparison.Ordinal) || output.Contains("No module named 'numcodecs'", StringComparison.Ordinal))
        {
            Assert.Fail("python3-zarr is missing: install it (apt-get install python3-zarr) to check that zarr-python reads our output\n" + output);
        }

        Assert.True(process.ExitCode == 0, "zarr-python check failed:\n" + output);
        return output;
    }
}
