namespace HotDistance.Mlflow;

/// <summary>MLflow's RunStatus values, spelled as the REST API wants them.</summary>
public enum MlflowRunStatus
{
    Running,
    Scheduled,
    Finished,
    Failed,
    Killed,
}
