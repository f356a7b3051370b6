using System.Runtime.CompilerServices;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Walks the part of one chunk that a region touches, as runs that are contiguous in both the chunk buffer
/// and the region buffer (C order). Trailing dimensions that the run covers completely in both are merged,
/// so whole-chunk copies become a few long runs instead of many short rows.
/// </summary>
internal sealed class ChunkRows
{
    private readonly int _rank;
    private readonly int _iterated; // dimensions [0, _iterated) are stepped; the rest lie inside one run
    private readonly long[] _lo;
    private readonly long[] _hi;
    private readonly long[] _position;
    private readonly long[] _chunkOrigin;
    private readonly long[] _chunkStride;
    private readonly long[] _regionStart;
    private readonly long[] _regionStride;
    private bool _started;

    public ChunkRows(ReadOnlySpan<long> chunkIndex, long[] arrayShape, int[] chunkShape, long[] regionStart, int[] regionShape)
    {
        _rank = arrayShape.Length;
        _lo = new long[_rank];
        _hi = new long[_rank];
        _position = new long[_rank];
        _chunkOrigin = new long[_rank];
        _chunkStride = new long[_rank];
        _regionStart = regionStart;
        _regionStride = new long[_rank];

        long chunkStride = 1;
        long regionStride = 1;
        bool coversChunk = true;
        for (int d = _rank - 1; d >= 0; d--)
        {
            _chunkStride[d] = chunkStride;
            _regionStride[d] = regionStride;
            chunkStride *= chunkShape[d];
            regionStride *= regionShape[d];
            _chunkOrigin[d] = chunkIndex[d] * chunkShape[d];
            _lo[d] = Math.Max(regionStart[d], _chunkOrigin[d]);
            _hi[d] = Math.Min(regionStart[d] + regionShape[d], _chunkOrigin[d] + chunkShape[d]);
            coversChunk &= _lo[d] == _chunkOrigin[d] && _hi[d] == Math.Min(_chunkOrigin[d] + chunkShape[d], arrayShape[d]);
        }

        CoversChunk = coversChunk;
        int m = _rank - 1;
        long run = _hi[m] - _lo[m];
        while (m > 0 && _hi[m] - _lo[m] == chunkShape[m] && chunkShape[m] == regionShape[m])
        {
            m--;
            run *= _hi[m] - _lo[m];
        }

        _iterated = m;
        RunLength = checked((int)run);
        Array.Copy(_lo, _position, _rank);
    }

    /// <summary>Whether the region covers every in-array element of this chunk (padding excluded).</summary>
    public bool CoversChunk { get; }

    /// <summary>Elements per run.</summary>
    public int RunLength { get; }

    /// <summary>Element offset of the current run in the chunk buffer.</summary>
    public int ChunkOffset { get; private set; }

    /// <summary>Element offset of the current run in the region buffer.</summary>
    public long RegionOffset { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool MoveNext()
    {
        if (RunLength == 0)
        {
            return false;
        }

        if (_started)
        {
            int d = _iterated - 1;
            while (d >= 0)
            {
                if (++_position[d] < _hi[d])
                {
                    break;
                }

                _position[d] = _lo[d];
                d--;
            }

            if (d < 0)
            {
                return false;
            }
        }

        _started = true;
        long chunkOffset = 0;
        long regionOffset = 0;
        for (int d = 0; d < _rank; d++)
        {
            chunkOffset += (_position[d] - _chunkOrigin[d]) * _chunkStride[d];
            regionOffset += (_position[d] - _regionStart[d]) * _regionStride[d];
        }

        ChunkOffset = (int)chunkOffset;
        RegionOffset = regionOffset;
        return true;
    }
}
