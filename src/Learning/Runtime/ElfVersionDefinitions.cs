using System.Buffers.Binary;

namespace HotDistance.Learning.Runtime;

/// <summary>Reads the version-definitions table (.gnu.version_d, SHT_GNU_verdef) of an ELF64 shared object.</summary>
public static class ElfVersionDefinitions
{
    private const uint VersionDefinitionSectionType = 0x6ffffffd;
    private const int VerdefSize = 20;
    private const int VerdauxSize = 8;

    /// <summary>
    /// The names of the versions the image defines (the first Verdaux of each Verdef; later ones name
    /// predecessors), e.g. <c>GLIBCXX_3.4.30</c> for libstdc++. Empty when it has no version-definitions section.
    /// </summary>
    /// <exception cref="InvalidDataException">The image is not a well-formed little-endian ELF64 file.</exception>
    public static IReadOnlyList<string> Read(ReadOnlySpan<byte> image)
    {
        var sections = ElfSectionTable.Parse(image);
        if (sections.FindByType(VersionDefinitionSectionType) is not { } table)
        {
            return [];
        }

        var strings = sections.LinkedStringTable(table);
        var names = new List<string>();
        var verdef = 0L;
        for (var i = 0u; i < table.Info; i++)
        {
            var definition = Slice(image, table, verdef, VerdefSize);
            var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(definition[6..]);
            if (auxCount > 0)
            {
                var aux = Slice(image, table, verdef + BinaryPrimitives.ReadUInt32LittleEndian(definition[12..]), VerdauxSize);
                names.Add(ElfSectionTable.ReadString(image, strings, BinaryPrimitives.ReadUInt32LittleEndian(aux)));
            }

            var next = BinaryPrimitives.ReadUInt32LittleEndian(definition[16..]);
            if (next == 0)
            {
                break;
            }

            verdef += next;
        }

        return names;
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> image, ElfSection table, long offset, int length)
    {
        if (offset < 0 || offset + length > table.Size)
        {
            throw new InvalidDataException(
                $"corrupt ELF file: version definition at offset {offset} runs past the end of the {table.Size}-byte .gnu.version_d section");
        }

        return image.Slice((int)(table.Offset + offset), length);
    }
}
