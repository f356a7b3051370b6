using System.Buffers.Binary;
using HotDistance.Core.IO;
using HotDistance.Core.Security;

namespace HotDistance.Core.Crops;

/// <summary>
/// The content-addressed crop store: <c>&lt;root&gt;/&lt;crop id&gt;/crop.zarr</c> (CellMap layout, crop "crop1")
/// and <c>crop.json</c>. A crop is assembled in a staging directory and renamed into place, so the store holds
/// either the whole crop or nothing of it; the same content always lands at the same id, so a duplicate is
/// recognised rather than stored twice. <c>announced</c> is written once the crop's CropIngested was published,
/// so a crash between storing and publishing is healed by the next ingest of the same content.
/// </summary>
public sealed class CropStore(string root, double heldOutFraction)
{
    public const string ZarrName = "crop.zarr";
    public const string CropGroup = "crop1";
    public const string StagingPrefix = ".staging-";
    private const string EntryFile = "crop.json";
    private const string AnnouncedFile = "announced";

    /// <summary>Steps of <see cref="AddAsync"/>, in order, as passed to <see cref="AfterStep"/>.</summary>
    public static readonly IReadOnlyList<string> Steps = ["staged-zarr", "staged-entry", "moved"];

    public string Root { get; } = root;

    /// <summary>How long an ingest waits for another one (a large crop, a stalled mount) before it gives up with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Called after each step of <see cref="AddAsync"/> (see <see cref="Steps"/>); a test throws from it to stand
    /// in for a crash at that point. Null in production.
    /// </summary>
    public Action<string>? AfterStep { get; set; }

    public async Task<(StoredCrop Entry, bool Added)> AddAsync(Crop crop, string? requestedSplit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crop);
        var hash = CropContentHash.Compute(crop);
        var cropId = "c" + hash[..12];
        var final = Path.Combine(Root, cropId);
        using var gate = await DirectoryLock.AcquireAsync(Root, cancellationToken, LockTimeout).ConfigureAwait(false);
        RemoveAbandonedStaging();
        if (TryRead(final) is { } existing)
        {
            return (existing, false);
        }

        var split = requestedSplit ?? AssignSplit(crop, hash);
        var staging = Path.Combine(Root, $"{StagingPrefix}{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            Zarr.CellMapCropWriter.Write(crop, Path.Combine(staging, ZarrName), CropGroup);
            AfterStep?.Invoke(Steps[0]);
            var entry = new StoredCrop(
                cropId,
                hash,
                DisplayNames.Normalize(crop.Name),
                split,
                crop.Labels.Keys.Order(StringComparer.Ordinal).ToList(),
                crop.Shape.ToArray(),
                crop.VoxelSize.ToArray(),
                final,
                DateTimeOffset.UtcNow);
            AtomicFile.WriteJson(Path.Combine(staging, EntryFile), entry);
            AfterStep?.Invoke(Steps[1]);
            Directory.Move(staging, final);
            AfterStep?.Invoke(Steps[2]);
            return (entry, true);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Whether the crop's CropIngested has been published (see <see cref="MarkAnnounced"/>).</summary>
    public bool IsAnnounced(string cropId) => File.Exists(Path.Combine(Root, cropId, AnnouncedFile));

    /// <summary>Records that the crop's CropIngested was published, so a repeat ingest stays silent.</summary>
    public void MarkAnnounced(string cropId)
    {
        var directory = Path.Combine(Root, cropId);
        if (!File.Exists(Path.Combine(directory, EntryFile)))
        {
            throw new FileNotFoundException($"crop {cropId} is not in the crop store {Root}: store it before announcing it", Path.Combine(directory, EntryFile));
        }

        AtomicFile.Write(Path.Combine(directory, AnnouncedFile), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture))));
    }

    public IReadOnlyList<StoredCrop> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return Directory.EnumerateDirectories(Root)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Select(TryRead)
            .OfType<StoredCrop>()
            .OrderBy(c => c.IngestedAt)
            .ToList();
    }

    public StoredCrop Get(string cropId) =>
        TryRead(Path.Combine(Root, cropId))
        ?? throw new FileNotFoundException($"crop {cropId} is not in the crop store {Root}: ingest it first", Path.Combine(Root, cropId, EntryFile));

    public Crop Load(string cropId)
    {
        var entry = Get(cropId);
        return Zarr.CellMapCropReader.Read(Path.Combine(entry.Path, ZarrName), CropGroup).With(name: entry.Name);
    }

    /// <summary>
    /// Every class is held out on its second annotated crop at the latest: a crop goes to held-out when one of
    /// its classes has a training crop and no held-out crop yet (even if the crop is another class's first, which
    /// then trains on its next crop); to training when one of its classes has no training crop; beyond that the
    /// content hash decides, so the split is deterministic, and it is recorded, so it never changes.
    /// </summary>
    private string AssignSplit(Crop crop, string hash)
    {
        var stored = List();
        bool Has(string className, string split) => stored.Any(c => c.Split == split && c.Classes.Contains(className));
        if (crop.Labels.Keys.Any(c => Has(c, CropSplits.Train) && !Has(c, CropSplits.HeldOut)))
        {
            return CropSplits.HeldOut;
        }

        if (crop.Labels.Keys.Any(c => !Has(c, CropSplits.Train)))
        {
            return CropSplits.Train;
        }

        var bucket = BinaryPrimitives.ReadUInt32BigEndian(Convert.FromHexString(hash[..8])) / (double)uint.MaxValue;
        return bucket < heldOutFraction ? CropSplits.HeldOut : CropSplits.Train;
    }

    /// <summary>
    /// A process killed while staging leaves its staging directory behind; it was never renamed into place, so no
    /// reader saw it. Called under the store lock, so no live add is staging at the same time.
    /// </summary>
    private void RemoveAbandonedStaging()
    {
        foreach (var abandoned in Directory.EnumerateDirectories(Root, StagingPrefix + "*"))
        {
            Directory.Delete(abandoned, recursive: true);
        }
    }

    private static StoredCrop? TryRead(string directory)
    {
        var path = Path.Combine(directory, EntryFile);
        // The store may have moved since the crop was written: trust where it is now.
        return File.Exists(path) ? AtomicFile.ReadJson<StoredCrop>(path)! with { Path = directory } : null;
    }
}
