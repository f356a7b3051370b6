namespace HotDistance.Tests.Mlflow;

/// <summary>A test that needs a real MLflow server: skipped, and reported as skipped, unless MLFLOW_TRACKING_URI is set.</summary>
public sealed class RealMlflowFactAttribute : FactAttribute
{
    public RealMlflowFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI")))
        {
            Skip = "set MLFLOW_TRACKING_URI (e.g. http://127.0.0.1:5000) to run this against a real MLflow server";
        }
    }
}
