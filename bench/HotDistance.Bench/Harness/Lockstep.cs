namespace HotDistance.Bench.Harness;

/// <summary>The child's half of <see cref="SideProcess"/>'s lockstep protocol.</summary>
internal static class Lockstep
{
    /// <summary>Says ready, then runs <paramref name="step"/> once per <c>step</c> line until <c>finish</c> or end of input.</summary>
    public static void Serve(Action step)
    {
        ArgumentNullException.ThrowIfNull(step);
        Console.Out.WriteLine(SideProcess.Ready);
        Console.Out.Flush();
        while (Console.In.ReadLine() is { } command && command != SideProcess.FinishCommand)
        {
            if (command == SideProcess.StepCommand)
            {
                step();
                Console.Out.WriteLine(SideProcess.Stepped);
                Console.Out.Flush();
            }
        }
    }
}
