namespace HotDistance.Learning.Runtime;

/// <summary>A library to load: the original when it needed no change, otherwise the patched cached copy.</summary>
internal sealed record PatchedLibrary(string Path, bool Patched);
