namespace HotDistance.Learning.Runtime;

/// <summary>
/// One symbol version a shared object requires from one of its dependencies (an ELF Vernaux entry).
/// </summary>
/// <param name="Library">The dependency that must provide the version (vn_file), e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name (vna_name), e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">vna_flags; bit <see cref="ElfVersionNeeds.WeakFlag"/> marks a version whose absence is tolerated.</param>
/// <param name="FlagsOffset">File offset of the two-byte vna_flags field.</param>
public sealed record ElfVersionNeed(string Library, string Version, ushort Flags, long FlagsOffset)
{
    public bool IsWeak => (Flags & ElfVersionNeeds.WeakFlag) != 0;
}
