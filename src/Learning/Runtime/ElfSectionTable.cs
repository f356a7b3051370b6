using System.Buffers.Binary;
using System.Text;

namespace HotDistance.Learning.Runtime;

/// <summary>One ELF64 section header, reduced to the fields the version tables need.</summary>
internal readonly record struct ElfSection(uint Type, long Offset, long Size, uint Link, uint Info);

/// <summary>
/// The section header table of a little-endian ELF64 image. Every offset it hands out has been
/// checked against the image length, so callers can slice without further range checks.
/// </summary>
internal sealed class ElfSectionTable
{
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;

    private readonly ElfSection[] _sections;

    private ElfSectionTable(ElfSection[] sections) => _sections = sections;

    public IReadOnlyList<ElfSection> Sections => _sections;

    /// <summary>Parses the ELF header and section header table; throws <see cref="InvalidDataException"/> on anything else.</summary>
    public static ElfSectionTable Parse(ReadOnlySpan<byte> image)
    {
        if (image.Length < 4 || image[0] != 0x7F || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file: it does not start with the ELF magic bytes 7F 45 4C 46");
        }

        if (image.Length < HeaderSize)
        {
            throw new InvalidDataException($"truncated ELF file: {image.Length} bytes, shorter than the 64-byte ELF64 header");
        }

        if (image[4] != 2)
        {
            throw new InvalidDataException($"unsupported ELF class {image[4]}: only ELF64 (class 2) is supported");
        }

        if (image[5] != 1)
        {
            throw new InvalidDataException($"unsupported ELF data encoding {image[5]}: only little-endian (1) is supported");
        }

        var sectionTableOffset = BinaryPrimitives.ReadUInt64LittleEndian(image[40..]);
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(image[58..]);
        ulong count = BinaryPrimitives.ReadUInt16LittleEndian(image[60..]);
        if (sectionTableOffset == 0)
        {
            return new ElfSectionTable([]);
        }

        if (entrySize < SectionHeaderSize)
        {
            throw new InvalidDataException($"corrupt ELF file: section header entries are {entrySize} bytes, expected at least {SectionHeaderSize}");
        }

        CheckRange(image, sectionTableOffset, SectionHeaderSize, "section header table");
        if (count == 0)
        {
            // With 65280 or more sections the real count lives in the size field of section 0.
            count = BinaryPrimitives.ReadUInt64LittleEndian(image[((int)sectionTableOffset + 32)..]);
        }

        if (count > (ulong)image.Length / entrySize)
        {
            throw new InvalidDataException($"truncated or corrupt ELF file: {count} section headers cannot fit in {image.Length} bytes");
        }

        CheckRange(image, sectionTableOffset, count * entrySize, "section header table");

        var sections = new ElfSection[count];
        for (var i = 0; i < sections.Length; i++)
        {
            var header = image.Slice((int)sectionTableOffset + (i * entrySize), SectionHeaderSize);
            var type = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
            var size = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            const uint noBits = 8;
            if (type != noBits)
            {
                CheckRange(image, offset, size, $"section {i}");
            }

            sections[i] = new ElfSection(
                type,
                (long)offset,
                (long)size,
                BinaryPrimitives.ReadUInt32LittleEndian(header[40..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[44..]));
        }

        return new ElfSectionTable(sections);
    }

    /// <summary>The first section of the given type, or null when there is none.</summary>
    public ElfSection? FindByType(uint type)
    {
        foreach (var section in _sections)
        {
            if (section.Type == type)
            {
                return section;
            }
        }

        return null;
    }

    /// <summary>The section a version table names in sh_link: its string table.</summary>
    public ElfSection LinkedStringTable(ElfSection section)
    {
        const uint stringTableType = 3;
        if (section.Link >= _sections.Length || _sections[section.Link].Type != stringTableType)
        {
            throw new InvalidDataException($"corrupt ELF file: sh_link {section.Link} does not name a string table");
        }

        return _sections[section.Link];
    }

    /// <summary>Reads the NUL-terminated string at <paramref name="offset"/> inside a string table section.</summary>
    public static string ReadString(ReadOnlySpan<byte> image, ElfSection stringTable, uint offset)
    {
        if (offset >= stringTable.Size)
        {
            throw new InvalidDataException($"corrupt ELF file: string offset {offset} lies outside its {stringTable.Size}-byte string table");
        }

        var table = image.Slice((int)stringTable.Offset, (int)stringTable.Size);
        var text = table[(int)offset..];
        var end = text.IndexOf((byte)0);
        if (end < 0)
        {
            throw new InvalidDataException($"corrupt ELF file: string at offset {offset} is not NUL-terminated");
        }

        return Encoding.ASCII.GetString(text[..end]);
    }

    private static void CheckRange(ReadOnlySpan<byte> image, ulong offset, ulong length, string what)
    {
        if (offset > (ulong)image.Length || length > (ulong)image.Length - offset)
        {
            throw new InvalidDataException(
                $"truncated or corrupt ELF file: {what} at offset {offset} with length {length} runs past the end of the {image.Length}-byte file");
        }
    }
}
