using HotDistance.Core.IO;

namespace HotDistance.Cli.Demo;

/// <summary>
/// What a demo workspace was started with, stored as demo.json in it, so <c>hd demo --resume</c> continues the
/// same run instead of adding crops or starting a longer generation with whatever the options now say.
/// </summary>
public sealed record DemoRunSettings(int Crops, int Size, int Steps)
{
    public const string FileName = "demo.json";

    public static DemoRunSettings? Read(string workspace)
    {
        var path = Path.Combine(workspace, FileName);
        return File.Exists(path) ? AtomicFile.ReadJson<DemoRunSettings>(path) : null;
    }

    public void Write(string workspace)
    {
        Directory.CreateDirectory(workspace);
        AtomicFile.WriteJson(Path.Combine(workspace, FileName), this);
    }

    public override string ToString() => $"--crops {Crops} --size {Size} --steps {Steps}";
}
