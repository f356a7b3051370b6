using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;

namespace HotDistance.Tests.Learning;

/// <summary>The named networks, and the parameter count each states, which must be the count TorchSharp builds.</summary>
public sealed class ArchitecturePresetsTests
{
    public static TheoryData<string> Architectures() => ["small", "small-planar", "three-level", "three-level-planar"];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void The_stated_parameter_count_is_the_count_of_the_network_built(string name)
    {
        TorchRuntime.EnsureLoaded();
        var threeLevels = new ModelArchitecture(4, 3, [[2, 2, 2], [3, 3, 3]]);
        var architecture = name switch
        {
            "three-level" => threeLevels,
            "three-level-planar" => threeLevels.AsPlanar(),
            _ => ModelArchitecture.Parse(name, "test"),
        };
        var heads = new HeadLayout(3, OneHot: true, Distance: true);

        using var model = new UNet(architecture, heads);

        Assert.Equal(model.parameters().Sum(p => p.numel()), architecture.ParameterCount(heads));
    }

    [Fact]
    public void Standard_is_the_CellMap_U_Net_and_each_preset_reads_back_by_its_name()
    {
        var standard = ModelArchitecture.Parse("standard", "test");
        Assert.Equal([12, 72, 432, 2592], Enumerable.Range(0, standard.Levels).Select(standard.FeaturesAt));
        Assert.Equal([18, 18, 18], standard.TotalDownsample());
        Assert.Equal([1, 18, 18], ModelArchitecture.Parse("standard-planar", "test").TotalDownsample());
        foreach (var (presetName, preset) in ModelArchitecture.Presets)
        {
            Assert.Same(preset, ModelArchitecture.Parse(preset.ToString(), "test"));
            Assert.Equal(presetName, preset.ToString());
        }

        // Activations grow with the patch's volume: twice the edge, about eight times the memory.
        var heads = new HeadLayout(2, OneHot: true, Distance: true);
        Assert.InRange(standard.ActivationBytesPerPatch(216, heads) / (double)standard.ActivationBytesPerPatch(108, heads), 7.5, 8.5);
    }
}
