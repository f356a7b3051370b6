namespace HotDistance.Core;

/// <summary>What ingest does with a crop's class that is not one of the pipeline's classes.</summary>
public enum UnlistedClassPolicy
{
    /// <summary>Refuse the crop, saying which key to add the class to.</summary>
    Refuse,

    /// <summary>Keep the crop and train on its listed classes only; a crop with none of them is still refused.</summary>
    Ignore,
}
