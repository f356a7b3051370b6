namespace HotDistance.SiteAgent.Blockwise;

/// <summary>Whether, and how, the network's raw outputs (probabilities, distances) are written beside the labels.</summary>
public enum RawOutputKind
{
    /// <summary>Labels only.</summary>
    None,

    /// <summary>uint8: probabilities p as round(255 p), distances t in [-1, 1] as round(127.5 (t + 1)).</summary>
    Scaled,

    /// <summary>float16, the values themselves.</summary>
    HalfPrecision,
}
