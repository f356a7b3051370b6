using HotDistance.Learning.Runtime;

namespace HotDistance.Tests.Runtime;

public class ElfVersionNeedsTests
{
    private const string Glibcxx332 = "GLIBCXX_3.4.32";

    private static readonly byte[] Original = File.ReadAllBytes(TorchNativeFiles.NuGetLibTorchSharp());

    [Fact]
    public void Reads_the_version_needs_of_the_real_bridge_library()
    {
        var needs = ElfVersionNeeds.Read(Original);

        var glibcxx = Assert.Single(needs, need => need.Version == Glibcxx332);
        Assert.Equal("libstdc++.so.6", glibcxx.Library);
        Assert.False(glibcxx.IsWeak);
        Assert.Contains(needs, need => need.Library == "libc.so.6" && need.Version == "GLIBC_2.2.5");
        Assert.Contains(needs, need => need.Library == "libstdc++.so.6" && need.Version == "CXXABI_1.3");
        Assert.All(needs, need => Assert.False(need.IsWeak));
    }

    [Fact]
    public void Marking_weak_sets_the_flag_on_exactly_that_entry_and_changes_no_other_byte()
    {
        var patched = (byte[])Original.Clone();

        Assert.Equal(WeakVersionOutcome.Weakened, ElfVersionNeeds.MarkWeak(patched, Glibcxx332));

        var target = ElfVersionNeeds.Read(Original).Single(need => need.Version == Glibcxx332);
        var changed = Enumerable.Range(0, Original.Length).Where(i => Original[i] != patched[i]).ToList();
        var offset = Assert.Single(changed);
        Assert.Equal(target.FlagsOffset, offset); // low byte of the little-endian vna_flags
        Assert.Equal(ElfVersionNeeds.WeakFlag, patched[offset] & ElfVersionNeeds.WeakFlag);

        var before = ElfVersionNeeds.Read(Original);
        var after = ElfVersionNeeds.Read(patched);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            var expected = before[i].Version == Glibcxx332
                ? before[i] with { Flags = (ushort)(before[i].Flags | ElfVersionNeeds.WeakFlag) }
                : before[i];
            Assert.Equal(expected, after[i]);
        }
    }

    [Fact]
    public void Marking_an_already_weak_image_is_a_no_op()
    {
        var once = (byte[])Original.Clone();
        ElfVersionNeeds.MarkWeak(once, Glibcxx332);
        var twice = (byte[])once.Clone();

        Assert.Equal(WeakVersionOutcome.AlreadyWeak, ElfVersionNeeds.MarkWeak(twice, Glibcxx332));
        Assert.Equal(once, twice);
    }

    [Fact]
    public void A_version_the_image_does_not_need_leaves_it_unchanged()
    {
        var copy = (byte[])Original.Clone();

        Assert.Equal(WeakVersionOutcome.NotRequired, ElfVersionNeeds.MarkWeak(copy, "GLIBCXX_9.9.99"));
        Assert.Equal(Original, copy);
    }

    [Fact]
    public void A_non_elf_file_is_rejected_with_a_clear_message()
    {
        var text = "#!/bin/sh\necho not a library\n"u8.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(text, Glibcxx332));
        Assert.Contains("not an ELF file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_elf_file_is_rejected_rather_than_read_out_of_bounds()
    {
        var truncated = Original.AsSpan(0, 4096).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(truncated));
        Assert.Contains("runs past the end", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_32_bit_elf_file_is_rejected_as_unsupported()
    {
        var elf32 = (byte[])Original.Clone();
        elf32[4] = 1;

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(elf32));
        Assert.Contains("ELF64", error.Message, StringComparison.Ordinal);
    }
}
