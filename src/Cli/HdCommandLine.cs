using System.CommandLine;
using HotDistance.Cli.Commands;

namespace HotDistance.Cli;

/// <summary>The hd command tree: one verb per thing a person does with the pipeline.</summary>
public static class HdCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "HotDistance: continuous retraining of FIB-SEM segmentation models (one-hot, distance and hot-distance) as annotated crops arrive.")
        {
            GlobalOptions.Workspace,
            GlobalOptions.RabbitMq,
            GlobalOptions.Config,
        };
        root.Add(DemoCommand.Create());
        root.Add(RunCommand.Create());
        root.Add(IngestCommand.Create());
        root.Add(ConfigCommand.Create());
        root.Add(DoctorCommand.Create());
        root.Add(TargetsCommand.Create());
        root.Add(ScoreCommand.Create());
        root.Add(TrainCommand.Create());
        root.Add(AblateCommand.Create());
        root.Add(PredictCommand.Create());
        root.Add(SiteCommand.Create());
        root.Add(RollbackCommand.Create());
        root.Add(StatusCommand.Create());
        root.Add(ServeCommand.Create());
        root.Add(BrokerDefinitionsCommand.Create());
        root.Add(HealthCommand.Create());
        return root;
    }
}
