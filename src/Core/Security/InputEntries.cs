using System.Runtime.InteropServices;

namespace HotDistance.Core.Security;

/// <summary>
/// Input is read only from its own regular files and folders: before anything of an input is read (or copied into
/// quarantine), its tree is walked without following links or opening files, and the first entry that is anything
/// else is named: a symbolic link (which could lead anywhere, or loop), a FIFO (whose open blocks until a writer
/// comes), a device (/dev/zero never ends) or a socket. Walking without following is also why a link loop cannot
/// hang it.
/// </summary>
public static class InputEntries
{
    /// <summary>glibc's statx, looked up once; null off Linux or on a C library without it.</summary>
    private static readonly nint? Statx = FindStatx();

    /// <summary>An entry of an input that is not a regular file or folder: where it is and what it is.</summary>
    public sealed record Found(string Path, string What)
    {
        public string Reason =>
            $"{Path} is {What}: input is read only from its own regular files and folders, never through links or special files; copy the data itself into the input instead";
    }

    /// <summary>The first entry at or under <paramref name="path"/> that is not a regular file or folder, or null.</summary>
    public static Found? FindIn(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.GetFullPath(path);
        if (Unsafe(full) is { } root)
        {
            return root;
        }

        if (!Directory.Exists(full))
        {
            return null;
        }

        var pending = new Stack<string>([full]);
        while (pending.Count > 0)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(pending.Pop()))
            {
                if (Unsafe(entry) is { } found)
                {
                    return found;
                }

                if (Directory.Exists(entry))
                {
                    pending.Push(entry);
                }
            }
        }

        return null;
    }

    private static Found? Unsafe(string path)
    {
        if (new FileInfo(path).LinkTarget is { } target)
        {
            return new Found(path, $"a symbolic link (to {target})");
        }

        return KindOf(path) switch
        {
            Kind.Fifo => new Found(path, "a FIFO"),
            Kind.CharacterDevice or Kind.BlockDevice => new Found(path, "a device"),
            Kind.Socket => new Found(path, "a socket"),
            _ => null,
        };
    }

    private enum Kind
    {
        Other = 0,
        Fifo = 0x1000,
        CharacterDevice = 0x2000,
        Directory = 0x4000,
        BlockDevice = 0x6000,
        Regular = 0x8000,
        Link = 0xA000,
        Socket = 0xC000,
    }

    /// <summary>
    /// The file type from statx(2), without following a link or opening the file. .NET reports a FIFO or a device as
    /// a normal file, so the kernel is asked. statx's layout is the same on every Linux architecture; elsewhere (or
    /// where glibc's statx cannot be found) nothing special is reported.
    /// </summary>
    private static unsafe Kind KindOf(string path)
    {
        if (Statx is not { } statx)
        {
            return Kind.Other;
        }

        const int AtCurrentDirectory = -100;
        const int AtSymlinkNoFollow = 0x100;
        const uint StatxType = 0x1;
        const int ModeOffset = 28;
        var buffer = stackalloc byte[256];
        var name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pathBytes = name)
        {
            var call = (delegate* unmanaged<int, byte*, int, uint, byte*, int>)statx;
            return call(AtCurrentDirectory, pathBytes, AtSymlinkNoFollow, StatxType, buffer) == 0
                ? (Kind)(*(ushort*)(buffer + ModeOffset) & 0xF000)
                : Kind.Other;
        }
    }

    private static nint? FindStatx() =>
        OperatingSystem.IsLinux()
        && NativeLibrary.TryLoad("libc.so.6", out var libc)
        && NativeLibrary.TryGetExport(libc, "statx", out var statx)
            ? statx
            : null;
}
