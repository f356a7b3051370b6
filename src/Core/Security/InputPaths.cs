namespace HotDistance.Core.Security;

/// <summary>
/// Paths that input metadata names (an OME-Zarr dataset's "path", a TIFF sidecar's file names) are read only inside
/// the folder they are relative to: never absolute, never through "..", so a crafted file cannot make ingest read
/// (or quarantine copy) anything outside its input.
/// </summary>
public static class InputPaths
{
    public const string Rule = "a relative path inside the input's folder, without '..', '.', empty parts, '\\' or a leading '/'";

    public static bool StaysInside(string? relative) =>
        !string.IsNullOrEmpty(relative)
        && !Path.IsPathRooted(relative)
        && !relative.Any(c => c == '\\' || char.IsControl(c))
        && relative.Split('/').All(part => part.Length > 0 && part != "." && part != "..");
}
