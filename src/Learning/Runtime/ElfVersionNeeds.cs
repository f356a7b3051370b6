using System.Buffers.Binary;

namespace HotDistance.Learning.Runtime;

/// <summary>
/// Reads and edits the version-needs table (.gnu.version_r, SHT_GNU_verneed) of an ELF64 shared object.
/// Marking a needed version weak makes the dynamic loader accept a dependency that lacks it, as long
/// as no relocation actually binds a symbol of that version.
/// </summary>
public static class ElfVersionNeeds
{
    /// <summary>VER_FLG_WEAK: the loader tolerates the version's absence.</summary>
    public const ushort WeakFlag = 0x2;

    private const uint VersionNeedSectionType = 0x6ffffffe;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;

    /// <summary>Every version the image requires, in table order; empty when it has no version-needs section.</summary>
    /// <exception cref="InvalidDataException">The image is not a well-formed little-endian ELF64 file.</exception>
    public static IReadOnlyList<ElfVersionNeed> Read(ReadOnlySpan<byte> image)
    {
        var sections = ElfSectionTable.Parse(image);
        if (sections.FindByType(VersionNeedSectionType) is not { } table)
        {
            return [];
        }

        var strings = sections.LinkedStringTable(table);
        var needs = new List<ElfVersionNeed>();

        // sh_info holds the number of Verneed entries; the next-offsets must stay inside the section.
        var verneed = 0L;
        for (var file = 0u; file < table.Info; file++)
        {
            var need = Slice(image, table, verneed, VerneedSize, "Verneed");
            var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(need[2..]);
            var library = ElfSectionTable.ReadString(image, strings, BinaryPrimitives.ReadUInt32LittleEndian(need[4..]));

            var vernaux = verneed + BinaryPrimitives.ReadUInt32LittleEndian(need[8..]);
            for (var i = 0; i < auxCount; i++)
            {
                var aux = Slice(image, table, vernaux, VernauxSize, "Vernaux");
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(aux[4..]);
                var version = ElfSectionTable.ReadString(image, strings, BinaryPrimitives.ReadUInt32LittleEndian(aux[8..]));
                needs.Add(new ElfVersionNeed(library, version, flags, table.Offset + vernaux + 4));

                var nextAux = BinaryPrimitives.ReadUInt32LittleEndian(aux[12..]);
                if (nextAux == 0)
                {
                    break;
                }

                vernaux += nextAux;
            }

            var nextNeed = BinaryPrimitives.ReadUInt32LittleEndian(need[12..]);
            if (nextNeed == 0)
            {
                break;
            }

            verneed += nextNeed;
        }

        return needs;
    }

    /// <summary>
    /// Sets <see cref="WeakFlag"/> on every requirement of <paramref name="version"/> in the image, in place.
    /// No other byte changes.
    /// </summary>
    /// <exception cref="InvalidDataException">The image is not a well-formed little-endian ELF64 file.</exception>
    public static WeakVersionOutcome MarkWeak(Span<byte> image, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);

        var matches = Read(image).Where(need => need.Version == version).ToList();
        if (matches.Count == 0)
        {
            return WeakVersionOutcome.NotRequired;
        }

        var outcome = WeakVersionOutcome.AlreadyWeak;
        foreach (var need in matches.Where(need => !need.IsWeak))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(image.Slice((int)need.FlagsOffset, 2), (ushort)(need.Flags | WeakFlag));
            outcome = WeakVersionOutcome.Weakened;
        }

        return outcome;
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> image, ElfSection table, long offset, int length, string what)
    {
        if (offset < 0 || offset + length > table.Size)
        {
            throw new InvalidDataException(
                $"corrupt ELF file: {what} entry at offset {offset} runs past the end of the {table.Size}-byte .gnu.version_r section");
        }

        return image.Slice((int)(table.Offset + offset), length);
    }
}
