namespace HotDistance.Learning.Runtime;

/// <summary>Whether the process's libstdc++ defines a symbol version; <paramref name="Path"/> is null when it could not be found.</summary>
internal sealed record LibStdCxxStatus(string? Path, bool ProvidesVersion);
