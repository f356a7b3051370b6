using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using HotDistance.Core.IO;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// A Zarr v2 array on the local file system: reads any region of an N-d array (converting to the requested
/// numeric type) and writes regions, one chunk file at a time, each replaced atomically. Chunks are decoded
/// in parallel; a region read touches only the chunks it overlaps.
/// </summary>
public sealed class ZarrArray
{
    public const string MetadataFileName = ".zarray";

    private ZarrArray(string path, ZarrArrayMetadata metadata)
    {
        Path = path;
        Metadata = metadata;
        MetadataPath = System.IO.Path.Combine(path, MetadataFileName);
    }

    /// <summary>The array's directory.</summary>
    public string Path { get; }

    /// <summary>The array's .zarray file.</summary>
    public string MetadataPath { get; }

    public ZarrArrayMetadata Metadata { get; }

    public int Rank => Metadata.Rank;

    public IReadOnlyList<long> Shape => Metadata.Shape;

    public IReadOnlyList<int> Chunks => Metadata.Chunks;

    public ZarrDataType DataType => Metadata.DataType;

    /// <summary>The array's shape as a <see cref="Shape3"/>; the array must be 3-D and fit in int extents (else a <see cref="ZarrFormatException"/>).</summary>
    public Shape3 Shape3
    {
        get
        {
            RequireRank3();
            return Shape.Any(n => n > int.MaxValue)
                ? throw new ZarrFormatException(MetadataPath, "shape", $"is [{string.Join(", ", Shape)}], over {int.MaxValue} voxels along an axis", "read it by regions, or check the shape")
                : new Shape3((int)Shape[0], (int)Shape[1], (int)Shape[2]);
        }
    }

    public static bool Exists(string path) => File.Exists(System.IO.Path.Combine(path, MetadataFileName));

    public static ZarrArray Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string metadataPath = System.IO.Path.Combine(path, MetadataFileName);
        string json;
        try
        {
            json = File.ReadAllText(metadataPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ZarrFormatException(metadataPath, MetadataFileName, "is missing",
                "point at a Zarr v2 array directory (one that holds .zarray)", e);
        }

        return new ZarrArray(path, ZarrArrayMetadata.Parse(json, metadataPath));
    }

    /// <summary>Writes .zarray for a new array and returns it; all chunks read as the fill value until written.</summary>
    public static ZarrArray Create(string path, ZarrArrayMetadata metadata, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(metadata);
        string metadataPath = System.IO.Path.Combine(path, MetadataFileName);
        if (metadata.Compressor is { CanEncode: false } compressor)
        {
            throw new ZarrFormatException(metadataPath, "compressor", $"is {compressor.Id}, which this writer cannot encode",
                "write with ZarrCompressor.Zstd(), Gzip(), Zlib() or no compressor");
        }

        if (File.Exists(System.IO.Path.Combine(path, ".zgroup")))
        {
            throw new ZarrFormatException(System.IO.Path.Combine(path, ".zgroup"), ".zgroup", "exists: the path is a group",
                "choose a path inside the group for the array");
        }

        if (File.Exists(metadataPath))
        {
            if (!overwrite)
            {
                throw new ZarrFormatException(metadataPath, MetadataFileName, "already exists",
                    "open the array with ZarrArray.Open to write into it, or create with overwrite");
            }

            // Old chunks would otherwise be read back under the new layout.
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        AtomicFile.Write(metadataPath, Encoding.UTF8.GetBytes(metadata.ToJson()));
        return new ZarrArray(path, metadata);
    }

    /// <summary>Creates an array whose dtype stores <typeparamref name="T"/> exactly (little-endian, C order).</summary>
    public static ZarrArray Create<T>(string path, IReadOnlyList<long> shape, IReadOnlyList<int> chunks,
        ZarrWriteOptions? options = null, T fillValue = default)
        where T : unmanaged, INumberBase<T>
    {
        options ??= new ZarrWriteOptions();
        var metadata = new ZarrArrayMetadata(shape, chunks, ZarrDataType.For<T>(), options.Compressor,
            ZarrArrayMetadata.FillValueToJson(fillValue), options.DimensionSeparator);
        return Create(path, metadata, options.Overwrite);
    }

    /// <summary>The fill value as <typeparamref name="T"/> (what missing chunks read as).</summary>
    public T GetFillValue<T>() where T : unmanaged, INumberBase<T>
    {
        Span<T> value = stackalloc T[1];
        try
        {
            ElementConverter.ToValues(Metadata.FillBytes, DataType, value);
        }
        catch (OverflowException e)
        {
            throw new ZarrValueOutOfRangeException(MetadataPath, "fill_value",
                $"is {Metadata.FillValue?.ToJsonString() ?? "null"}, which does not fit {typeof(T).Name}",
                "read the array as a type that holds the fill value", e);
        }

        return value[0];
    }

    /// <summary>Reads the whole array in C order.</summary>
    public T[] Read<T>() where T : unmanaged, INumberBase<T>
    {
        var start = new long[Rank];
        int[] shape = FullShapeAsInt();
        return ReadRegion<T>(start, shape);
    }

    /// <summary>Reads the region <paramref name="start"/> .. start + <paramref name="shape"/> in C order.</summary>
    public T[] ReadRegion<T>(ReadOnlySpan<long> start, ReadOnlySpan<int> shape) where T : unmanaged, INumberBase<T>
    {
        long count = CheckRegion(start, shape);
        var result = new T[count];
        ReadRegion(start, shape, result.AsMemory());
        return result;
    }

    /// <summary>Reads a region into <paramref name="destination"/> (C order, at least the region's element count).</summary>
    public void ReadRegion<T>(ReadOnlySpan<long> start, ReadOnlySpan<int> shape, Memory<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        long count = CheckRegion(start, shape);
        if (destination.Length < count)
        {
            throw new ArgumentException($"destination holds {destination.Length} elements; the region needs {count}", nameof(destination));
        }

        var plan = new RegionPlan(this, start, shape);
        ForEachChunk(plan, chunkIndex => ReadChunk(plan, chunkIndex, destination));
    }

    /// <summary>Reads a whole 3-D array.</summary>
    public Volume<T> Read3D<T>() where T : unmanaged, INumberBase<T>
    {
        Shape3 shape = Shape3;
        return new Volume<T>(shape, Read<T>());
    }

    /// <summary>Reads a 3-D sub-volume starting at (z0, y0, x0) without reading the rest of the array.</summary>
    public Volume<T> ReadRegion3D<T>(long z0, long y0, long x0, Shape3 shape) where T : unmanaged, INumberBase<T>
    {
        RequireRank3();
        return new Volume<T>(shape, ReadRegion<T>([z0, y0, x0], [shape.Z, shape.Y, shape.X]));
    }

    /// <summary>Writes the whole array from C-order data.</summary>
    public void Write<T>(ReadOnlyMemory<T> data) where T : unmanaged, INumberBase<T> =>
        WriteRegion(new long[Rank], FullShapeAsInt(), data);

    /// <summary>
    /// Writes a region from C-order data. Chunks the region covers are replaced; chunks it only overlaps are read,
    /// updated and rewritten. Values are converted to the array's dtype with range checks.
    /// </summary>
    public void WriteRegion<T>(ReadOnlySpan<long> start, ReadOnlySpan<int> shape, ReadOnlyMemory<T> data)
        where T : unmanaged, INumberBase<T>
    {
        long count = CheckRegion(start, shape);
        if (data.Length != count)
        {
            throw new ArgumentException($"data holds {data.Length} elements; the region needs {count}", nameof(data));
        }

        var plan = new RegionPlan(this, start, shape);
        ForEachChunk(plan, chunkIndex => WriteChunk(plan, chunkIndex, data));
    }

    /// <summary>Writes a whole 3-D array.</summary>
    public void Write3D<T>(Volume<T> volume) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.Shape != Shape3)
        {
            throw new ArgumentException($"volume is {volume.Shape}; array {Path} is {Shape3}", nameof(volume));
        }

        Write<T>(volume.Data);
    }

    /// <summary>Writes a 3-D sub-volume at (z0, y0, x0).</summary>
    public void WriteRegion3D<T>(long z0, long y0, long x0, Volume<T> volume) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        RequireRank3();
        WriteRegion<T>([z0, y0, x0], [volume.Shape.Z, volume.Shape.Y, volume.Shape.X], volume.Data);
    }

    /// <summary>The file that holds the chunk with the given grid index.</summary>
    public string ChunkPath(ReadOnlySpan<long> chunkIndex)
    {
        var key = new System.Text.StringBuilder();
        for (int d = 0; d < chunkIndex.Length; d++)
        {
            if (d > 0)
            {
                key.Append(Metadata.DimensionSeparator);
            }

            key.Append(chunkIndex[d].ToString(CultureInfo.InvariantCulture));
        }

        return System.IO.Path.Combine(Path, key.ToString());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadChunk<T>(RegionPlan plan, long[] chunkIndex, Memory<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        string chunkPath = ChunkPath(chunkIndex);
        var rows = new ChunkRows(chunkIndex, plan.ArrayShape, plan.ChunkShape, plan.Start, plan.Shape);
        Span<T> target = destination.Span;
        byte[]? stored = TryRentChunkFile(chunkPath, out int storedLength);
        if (stored is null)
        {
            T fill = GetFillValue<T>();
            while (rows.MoveNext())
            {
                target.Slice((int)rows.RegionOffset, rows.RunLength).Fill(fill);
            }

            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Metadata.ChunkByteCount);
        try
        {
            Span<byte> chunk = buffer.AsSpan(0, Metadata.ChunkByteCount);
            DecodeChunk(new ArraySegment<byte>(stored, 0, storedLength), chunk, chunkPath);
            int size = DataType.Size;
            while (rows.MoveNext())
            {
                ElementConverter.ToValues(
                    chunk.Slice(rows.ChunkOffset * size, rows.RunLength * size),
                    DataType,
                    target.Slice((int)rows.RegionOffset, rows.RunLength));
            }
        }
        catch (OverflowException e)
        {
            throw new ZarrValueOutOfRangeException(chunkPath, "dtype",
                $"is {DataType} and the chunk holds a value that does not fit {typeof(T).Name}",
                "read the array as a wider type", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(stored);
        }
    }

    private void WriteChunk<T>(RegionPlan plan, long[] chunkIndex, ReadOnlyMemory<T> data)
        where T : unmanaged, INumberBase<T>
    {
        string chunkPath = ChunkPath(chunkIndex);
        var rows = new ChunkRows(chunkIndex, plan.ArrayShape, plan.ChunkShape, plan.Start, plan.Shape);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Metadata.ChunkByteCount);
        try
        {
            Span<byte> chunk = buffer.AsSpan(0, Metadata.ChunkByteCount);
            byte[]? stored = rows.CoversChunk ? null : TryReadChunkFile(chunkPath);
            if (stored is null)
            {
                FillWithFillValue(chunk);
            }
            else
            {
                DecodeChunk(stored, chunk, chunkPath);
            }

            ReadOnlySpan<T> source = data.Span;
            int size = DataType.Size;
            try
            {
                while (rows.MoveNext())
                {
                    ElementConverter.FromValues(
                        source.Slice((int)rows.RegionOffset, rows.RunLength),
                        DataType,
                        chunk.Slice(rows.ChunkOffset * size, rows.RunLength * size));
                }
            }
            catch (OverflowException e)
            {
                throw new ZarrValueOutOfRangeException(MetadataPath, "dtype",
                    $"is {DataType} and the data being written holds a {typeof(T).Name} value that does not fit it",
                    "clip or rescale the data first, or create the array with a wider dtype", e);
            }

            if (DataType.BigEndian)
            {
                ElementConverter.ReverseEndianness(chunk, size);
            }

            if (Metadata.Compressor is null)
            {
                AtomicFile.Write(chunkPath, chunk);
            }
            else
            {
                AtomicFile.Write(chunkPath, Metadata.Compressor.Encode(chunk));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes a stored chunk into native (little-endian) element bytes.</summary>
    private void DecodeChunk(ArraySegment<byte> stored, Span<byte> chunk, string chunkPath)
    {
        if (Metadata.Compressor is null)
        {
            if (stored.Count != chunk.Length)
            {
                throw new ZarrFormatException(chunkPath, "chunks",
                    string.Create(CultureInfo.InvariantCulture, $"is an uncompressed chunk of {stored.Count} bytes; one chunk of this shape and dtype is {chunk.Length}"),
                    "the chunk is truncated or was compressed although .zarray says compressor null: rewrite it");
            }

            stored.AsSpan().CopyTo(chunk);
        }
        else
        {
            Metadata.Compressor.Decode(stored, chunk, chunkPath);
        }

        if (DataType.BigEndian)
        {
            ElementConverter.ReverseEndianness(chunk, DataType.Size);
        }
    }

    private void FillWithFillValue(Span<byte> chunk)
    {
        byte[] fill = Metadata.FillBytes;
        if (Array.TrueForAll(fill, b => b == 0))
        {
            chunk.Clear();
            return;
        }

        for (int i = 0; i < chunk.Length; i += fill.Length)
        {
            fill.CopyTo(chunk[i..]);
        }
    }

    /// <summary>
    /// Reads a chunk file into a buffer rented from the shared pool (the caller returns it): chunk files are often
    /// large-object-heap sized, and allocating one per chunk made whole-array reads pay for gen-2 collections.
    /// </summary>
    private static byte[]? TryRentChunkFile(string chunkPath, out int length)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(chunkPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            length = 0;
            return null;
        }

        using (handle)
        {
            long fileLength = RandomAccess.GetLength(handle);
            if (fileLength > ZarrArrayMetadata.MaxChunkBytes)
            {
                throw new ZarrFormatException(chunkPath, "chunks",
                    string.Create(CultureInfo.InvariantCulture, $"is a chunk file of {fileLength} bytes, over the {ZarrArrayMetadata.MaxChunkBytes >> 20} MiB a chunk may hold"),
                    "rewrite the array with smaller chunks");
            }

            byte[] buffer = ArrayPool<byte>.Shared.Rent((int)fileLength);
            length = 0;
            try
            {
                // The file may shrink while it is read; what was read is then decoded, and fails as truncated.
                int read;
                while (length < fileLength && (read = RandomAccess.Read(handle, buffer.AsSpan(length, (int)fileLength - length), length)) > 0)
                {
                    length += read;
                }
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }

            return buffer;
        }
    }

    private static byte[]? TryReadChunkFile(string chunkPath)
    {
        try
        {
            return File.ReadAllBytes(chunkPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Runs <paramref name="body"/> for every chunk the region overlaps, in parallel when there are several.</summary>
    private static void ForEachChunk(RegionPlan plan, Action<long[]> body)
    {
        if (plan.ChunkCount == 0)
        {
            return;
        }

        if (plan.ChunkCount == 1)
        {
            body(plan.ChunkIndex(0));
            return;
        }

        try
        {
            Parallel.For(0L, plan.ChunkCount, i => body(plan.ChunkIndex(i)));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Callers expect the format error itself, not a wrapper.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private long CheckRegion(ReadOnlySpan<long> start, ReadOnlySpan<int> shape)
    {
        if (start.Length != Rank || shape.Length != Rank)
        {
            throw new ArgumentException($"region has {start.Length}-d start and {shape.Length}-d shape; array {Path} is {Rank}-d");
        }

        long count = 1;
        for (int d = 0; d < Rank; d++)
        {
            if (start[d] < 0 || shape[d] < 0 || start[d] + shape[d] > Shape[d])
            {
                throw new ArgumentOutOfRangeException(nameof(start),
                    $"region [{string.Join(", ", start.ToArray())}] + [{string.Join(", ", shape.ToArray())}] lies outside array {Path} of shape [{string.Join(", ", Shape)}]");
            }

            count *= shape[d];
        }

        return count <= Array.MaxLength
            ? count
            : throw new ArgumentException($"region of {count} elements is too large for one buffer; read it in parts");
    }

    private int[] FullShapeAsInt()
    {
        var shape = new int[Rank];
        for (int d = 0; d < Rank; d++)
        {
            shape[d] = Shape[d] <= int.MaxValue
                ? (int)Shape[d]
                : throw new InvalidOperationException($"array {Path} is too large to read whole; read regions");
        }

        return shape;
    }

    private void RequireRank3()
    {
        if (Rank != 3)
        {
            throw new InvalidOperationException($"array {Path} is {Rank}-d; 3-D access needs a 3-D array (z, y, x)");
        }
    }

    /// <summary>The chunks a region overlaps, as a box in the chunk grid.</summary>
    private sealed class RegionPlan
    {
        private readonly long[] _firstChunk;
        private readonly long[] _chunkCounts;

        public RegionPlan(ZarrArray array, ReadOnlySpan<long> start, ReadOnlySpan<int> shape)
        {
            ArrayShape = array.Metadata.ShapeArray;
            ChunkShape = array.Metadata.ChunkArray;
            Start = start.ToArray();
            Shape = shape.ToArray();
            int rank = ArrayShape.Length;
            _firstChunk = new long[rank];
            _chunkCounts = new long[rank];
            long total = 1;
            for (int d = 0; d < rank; d++)
            {
                if (Shape[d] == 0)
                {
                    total = 0;
                    break;
                }

                _firstChunk[d] = Start[d] / ChunkShape[d];
                long last = (Start[d] + Shape[d] - 1) / ChunkShape[d];
                _chunkCounts[d] = last - _firstChunk[d] + 1;
                total *= _chunkCounts[d];
            }

            ChunkCount = total;
        }

        public long[] ArrayShape { get; }

        public int[] ChunkShape { get; }

        public long[] Start { get; }

        public int[] Shape { get; }

        public long ChunkCount { get; }

        public long[] ChunkIndex(long linear)
        {
            var index = new long[_firstChunk.Length];
            for (int d = index.Length - 1; d >= 0; d--)
            {
                index[d] = _firstChunk[d] + (linear % _chunkCounts[d]);
                linear /= _chunkCounts[d];
            }

            return index;
        }
    }
}
