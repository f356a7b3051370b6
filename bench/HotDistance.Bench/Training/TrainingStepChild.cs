using HotDistance.Bench.Harness;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace HotDistance.Bench.Training;

/// <summary>
/// The C# side of the training-step benchmark, in its own process: what one VariantTrainer step does (zero the
/// gradients, forward, Hot-Distance loss, backward, Adam step, read the loss) with the project's UNet and task,
/// on a fixed batch so both sides time the network and not the patch sampling.
/// </summary>
internal static class TrainingStepChild
{
    public const string Command = "child-train";

    /// <summary>The benchmark's backbone; bench/peers/unet_step.py builds the same one.</summary>
    public static ModelArchitecture Architecture { get; } = new(BaseFeatures: 12, FeatureMultiplier: 2, [[2, 2, 2], [2, 2, 2]]);

    public const int Classes = 2;

    public const double LearningRate = 3e-3;

    public static int Run(Arguments args)
    {
        var size = args.Int("size", 32);
        var batch = args.Int("batch", 2);
        var warmup = args.Int("warmup", 3);
        var steps = args.Int("steps", 10);
        var threads = args.Int("threads", 2);

        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        var runtime = TorchRuntime.Describe();
        random.manual_seed(7);

        var task = new HotDistanceTask(distanceWeight: 1.0);
        using var model = new UNet(Architecture, task.Heads(Classes));
        using var optimizer = optim.Adam(model.parameters(), LearningRate);
        var parameterCount = model.parameters().Sum(p => p.numel());
        model.train();

        long[] oneChannel = [batch, 1, size, size, size];
        long[] perClass = [batch, Classes, size, size, size];
        long[] allChannels = [batch, 2 * Classes, size, size, size];
        using var input = rand(oneChannel);
        using var oneHot = (rand(perClass) > 0.5).to_type(ScalarType.Float32);
        using var distance = (rand(perClass) * 2) - 1;
        using var target = cat([oneHot, distance], 1);
        using var weight = rand(allChannels);

        var losses = new List<double>();
        var seconds = new List<double>();
        var cpuSeconds = new List<double>();
        (double Wall, double Cpu) Step()
        {
            var clock = StepClock.Start();
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                var output = model.forward(input);
                var loss = task.Loss(output, target, weight);
                loss.backward();
                optimizer.step();
                losses.Add(loss.ToSingle());
            }

            return clock.Stop();
        }

        void Timed()
        {
            var (wall, cpu) = Step();
            seconds.Add(wall);
            cpuSeconds.Add(cpu);
        }

        for (var step = 0; step < warmup; step++)
        {
            Step();
        }

        if (args.Flag("lockstep"))
        {
            Lockstep.Serve(Timed);
        }
        else
        {
            for (var step = 0; step < steps; step++)
            {
                Timed();
            }
        }

        var measurement = new Measurement
        {
            Benchmark = $"train-{size}",
            Implementation = $"TorchSharp {runtime.TorchSharpVersion} / libtorch {runtime.LibTorchVersion} ({torch.get_num_threads()} thread(s))",
            Side = "csharp",
            Seconds = seconds,
            CpuSeconds = cpuSeconds,
            PeakRssKiB = PeakMemory.PeakRssKiB(),
            Details = new DetailsBuilder()
                .Add("threads", torch.get_num_threads())
                .Add("batch", batch)
                .Add("patch", size)
                .Add("warmupSteps", warmup)
                .Add("parameters", parameterCount)
                .Add("firstLoss", losses[0])
                .Add("lastLoss", losses[^1])
                .Add("torchSharp", runtime.TorchSharpVersion)
                .Add("libtorch", runtime.LibTorchVersion)
                .Build(),
        };
        ProcessRunner.Write(args.Required("out"), [measurement]);
        return 0;
    }
}
