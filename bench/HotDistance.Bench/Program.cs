using HotDistance.Bench.Ablation;
using HotDistance.Bench.Blockwise;
using HotDistance.Bench.Broker;
using HotDistance.Bench.Edt;
using HotDistance.Bench.Harness;
using HotDistance.Bench.PostProcessing;
using HotDistance.Bench.Suite;
using HotDistance.Bench.Targets;
using HotDistance.Bench.Tracking;
using HotDistance.Bench.Training;
using HotDistance.Bench.ZarrRead;

// Usage: HotDistance.Bench all|edt|train|targets|zarr|broker|tracking|ablate|blockwise|blockwise-distribute|predict-cli [--quick] [--large] [--python /usr/bin/python3] [--results path]
// The child-* commands are one side of one benchmark in a fresh process; the suite starts them.
var command = args.Length > 0 ? args[0] : "all";
var options = new Arguments(args.Skip(1));
switch (command)
{
    case "all":
        return BenchSuite.Run(BenchSuite.Parts, options);
    case BrokerBench.Part:
        return BrokerBench.Run(options);
    case BlockwiseBench.Part:
        return BlockwiseBench.Run(options);
    case BlockwiseBench.ChildCommand:
        return BlockwiseBench.Child(options);
    case PredictCliBench.Part:
        return PredictCliBench.Run(options);
    case DistributedBlockwiseBench.Part:
        return DistributedBlockwiseBench.Run(options);
    case DistributedBlockwiseBench.ChildCommand:
        return DistributedBlockwiseBench.Child(options);
    case DistributedBlockwiseBench.SpinCommand:
        return DistributedBlockwiseBench.Spin();
    case ZarrReadBench.Part:
        return ZarrReadBench.Run(options);
    case TrackingBench.Part:
        return TrackingBench.Run(options);
    case AblateCellBench.Part:
        return AblateCellBench.Run(options);
    case ZarrReadBench.ChildCommand:
        return ZarrReadBench.Child(options);
    case var part when BenchSuite.Parts.Contains(part):
        return BenchSuite.Run([part], options);
    case EdtChild.Command:
        return EdtChild.Run(options);
    case TrainingStepChild.Command:
        return TrainingStepChild.Run(options);
    case PostProcessChild.Command:
        return PostProcessChild.Run(options);
    case TargetRateChild.Command:
        return TargetRateChild.Run(options);
    default:
        Console.Error.WriteLine($"unknown command '{command}'; use all, {string.Join(", ", BenchSuite.Parts)}, zarr, broker, tracking, ablate, blockwise, blockwise-distribute, predict-cli [--quick] [--large] [--python path] [--results path]");
        return 2;
}
