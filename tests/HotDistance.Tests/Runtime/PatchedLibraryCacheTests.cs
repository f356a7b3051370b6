using HotDistance.Learning.Runtime;

namespace HotDistance.Tests.Runtime;

public sealed class PatchedLibraryCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hd-torch-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Writes_a_weakened_copy_keyed_by_the_original_and_reuses_it()
    {
        var original = TorchNativeFiles.NuGetLibTorchSharp();
        var expected = File.ReadAllBytes(original);
        ElfVersionNeeds.MarkWeak(expected, TorchRuntime.MissingGlibcxxVersion);

        var first = PatchedLibraryCache.GetOrCreate(original, TorchRuntime.MissingGlibcxxVersion, _root);
        var second = PatchedLibraryCache.GetOrCreate(original, TorchRuntime.MissingGlibcxxVersion, _root);

        Assert.True(first.Patched);
        Assert.Equal(first, second);
        Assert.StartsWith(_root, first.Path, StringComparison.Ordinal);
        Assert.Equal("libLibTorchSharp.so", Path.GetFileName(first.Path));
        Assert.Equal(expected, File.ReadAllBytes(first.Path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(first.Path)!, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_damaged_cached_copy_is_replaced()
    {
        var original = TorchNativeFiles.NuGetLibTorchSharp();
        var cached = PatchedLibraryCache.GetOrCreate(original, TorchRuntime.MissingGlibcxxVersion, _root).Path;
        var good = File.ReadAllBytes(cached);
        File.WriteAllBytes(cached, good.AsSpan(0, good.Length / 2).ToArray());

        var again = PatchedLibraryCache.GetOrCreate(original, TorchRuntime.MissingGlibcxxVersion, _root);

        Assert.Equal(cached, again.Path);
        Assert.Equal(good, File.ReadAllBytes(cached));
    }

    [Fact]
    public void A_library_that_does_not_need_the_version_is_used_as_is()
    {
        var original = TorchNativeFiles.NuGetLibTorchSharp();

        var result = PatchedLibraryCache.GetOrCreate(original, "GLIBCXX_9.9.99", _root);

        Assert.Equal(new PatchedLibrary(original, Patched: false), result);
        Assert.False(Directory.Exists(_root));
    }

    [Fact]
    public void A_non_elf_file_gives_a_clear_error()
    {
        Directory.CreateDirectory(_root);
        var notElf = Path.Combine(_root, "libLibTorchSharp.so");
        File.WriteAllText(notElf, "version https://git-lfs.github.com/spec/v1\n");

        var error = Assert.Throws<InvalidDataException>(() => PatchedLibraryCache.GetOrCreate(notElf, TorchRuntime.MissingGlibcxxVersion, _root));
        Assert.Contains("not an ELF file", error.Message, StringComparison.Ordinal);
    }
}
