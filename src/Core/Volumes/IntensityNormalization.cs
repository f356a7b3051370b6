using System.Globalization;

namespace HotDistance.Core.Volumes;

/// <summary>
/// How raw intensities become the model's input: a window of intensities, chosen by <see cref="Method"/>, is mapped
/// linearly onto [0, 1] and everything outside it is clipped. It is a training setting that is recorded with the
/// model (checkpoint.json, model card), and training, evaluation, <c>hd predict</c> and the sites all apply it
/// through <see cref="Apply"/>, so a model always sees its input as it saw it in training.
/// <para>
/// <see cref="Low"/> and <see cref="High"/> are percents for <see cref="IntensityMethod.Percentiles"/> and stored
/// values for <see cref="IntensityMethod.MinMax"/>; <see cref="IntensityMethod.DtypeRange"/> ignores them.
/// Percentiles are taken over the volume being normalised (a crop, or the whole input of a prediction), so they
/// adapt to each dataset's bit depth and contrast; a crop whose histogram is far from its dataset's (one filled by
/// a single nucleus) is better served by a fixed <see cref="IntensityMethod.MinMax"/> window.
/// </para>
/// </summary>
public sealed record IntensityNormalization(IntensityMethod Method, double Low, double High)
{
    /// <summary>Syntax of <see cref="Parse"/>, for help texts and error messages.</summary>
    public const string Syntax = "dtype | percentiles[:LOW,HIGH] | minmax:MIN,MAX";

    public const double DefaultLowPercentile = 0.5;

    public const double DefaultHighPercentile = 99.5;

    /// <summary>Bins of the percentile histogram: one per uint16 value, so percentiles of uint8 and uint16 raw are exact.</summary>
    private const int HistogramBins = RawIntensity.UInt16Maximum + 1;

    /// <summary>The stored type's range; what every model trained before normalisation was a setting saw.</summary>
    public static IntensityNormalization DtypeRange { get; } = new(IntensityMethod.DtypeRange, 0, 0);

    public static IntensityNormalization Percentiles(double low = DefaultLowPercentile, double high = DefaultHighPercentile) =>
        Checked(new IntensityNormalization(IntensityMethod.Percentiles, low, high));

    public static IntensityNormalization MinMax(double min, double max) =>
        Checked(new IntensityNormalization(IntensityMethod.MinMax, min, max));

    /// <summary>Reads <see cref="Syntax"/>; <paramref name="source"/> names the option or variable in errors.</summary>
    public static IntensityNormalization Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':', 2);
        var method = parts[0].ToLowerInvariant();
        (double Low, double High)? bounds = parts.Length == 2 ? Bounds(parts[1], text, source) : null;
        try
        {
            return (method, bounds) switch
            {
                ("dtype", null) => DtypeRange,
                ("percentiles", null) => Percentiles(),
                ("percentiles", var (low, high)) => Percentiles(low, high),
                ("minmax", var (min, max)) => MinMax(min, max),
                _ => throw new FormatException($"'{text}' is not a normalisation"),
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ArgumentException($"{source}='{text}': {e.Message}; use {Syntax}, e.g. percentiles:0.5,99.5 or minmax:100,3900 for 12-bit data stored as uint16");
        }
    }

    /// <summary>Throws when the bounds cannot describe a window (e.g. from a hand-edited checkpoint.json).</summary>
    public IntensityNormalization Validate() => Checked(this);

    /// <summary>
    /// The model's input for <paramref name="raw"/>, which holds stored values divided by
    /// <paramref name="rawMaximum"/> (see <see cref="RawIntensity"/>). The dtype range returns
    /// <paramref name="raw"/> itself; the others a new volume.
    /// </summary>
    public Volume<float> Apply(Volume<float> raw, double rawMaximum)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (Method == IntensityMethod.DtypeRange)
        {
            return raw;
        }

        return Apply(raw, Window(raw, rawMaximum));
    }

    /// <summary>
    /// <paramref name="raw"/> mapped through a window found beforehand (<see cref="WindowOver"/> for an input read
    /// block by block, so every block sees the window of the whole input, as one pass over it would).
    /// </summary>
    public Volume<float> Apply(Volume<float> raw, (double Low, double High) window)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (Method == IntensityMethod.DtypeRange)
        {
            return raw;
        }

        var (low, high) = window;
        var scale = 1f / (float)Math.Max(high - low, 1.0 / RawIntensity.UInt16Maximum);
        var offset = (float)low;
        var result = new float[raw.Data.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var value = (raw.Data[i] - offset) * scale;
            result[i] = float.IsNaN(value) ? 0f : Math.Clamp(value, 0f, 1f);
        }

        return new Volume<float>(raw.Shape, result);
    }

    /// <summary>The window, in [0, 1]-scaled intensities, that <see cref="Apply"/> maps onto [0, 1].</summary>
    public (double Low, double High) Window(Volume<float> raw, double rawMaximum)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!(rawMaximum > 0) || double.IsInfinity(rawMaximum))
        {
            throw new ArgumentOutOfRangeException(nameof(rawMaximum), rawMaximum, "the raw's stored maximum must be positive");
        }

        Validate();
        switch (Method)
        {
            case IntensityMethod.DtypeRange:
                return (0, 1);
            case IntensityMethod.MinMax:
                if (Low >= rawMaximum)
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"the intensity window minmax:{Low:G},{High:G} starts above the raw's largest possible value {rawMaximum:G}: ") +
                        "give the window in the raw's stored values (0-255 for uint8, 0-65535 for uint16), or use percentiles");
                }

                return (Low / rawMaximum, High / rawMaximum);
            default:
                return PercentileWindow(raw.Data);
        }
    }

    /// <summary>
    /// <see cref="Window"/> of the volume made of <paramref name="pieces"/> (disjoint parts of one input, read one
    /// at a time so the input need not fit in memory): percentiles come from one histogram over all of them.
    /// </summary>
    public (double Low, double High) WindowOver(IEnumerable<Volume<float>> pieces, double rawMaximum)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        if (Method != IntensityMethod.Percentiles)
        {
            return Window(new Volume<float>(new Shape3(1, 1, 1)), rawMaximum);
        }

        var counts = new long[HistogramBins];
        long total = 0;
        foreach (var piece in pieces)
        {
            total += Count(piece.Data, counts);
        }

        return total == 0 ? (0, 1) : (Rank(counts, total, Low), Rank(counts, total, High));
    }

    public override string ToString() => Method switch
    {
        IntensityMethod.DtypeRange => "dtype",
        IntensityMethod.Percentiles => string.Create(CultureInfo.InvariantCulture, $"percentiles:{Low:G},{High:G}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"minmax:{Low:G},{High:G}"),
    };

    /// <summary>Nearest-rank percentiles over a histogram of the finite values, one bin per uint16 step.</summary>
    private (double Low, double High) PercentileWindow(float[] values)
    {
        var counts = new long[HistogramBins];
        var total = Count(values, counts);
        return total == 0 ? (0, 1) : (Rank(counts, total, Low), Rank(counts, total, High));
    }

    /// <summary>Adds the finite values to the histogram and returns how many there were.</summary>
    private static long Count(float[] values, long[] counts)
    {
        long total = 0;
        foreach (var value in values)
        {
            if (float.IsFinite(value))
            {
                counts[(int)MathF.Round(Math.Clamp(value, 0f, 1f) * RawIntensity.UInt16Maximum)]++;
                total++;
            }
        }

        return total;
    }

    private static double Rank(long[] counts, long total, double percent)
    {
        var rank = Math.Max(1L, (long)Math.Ceiling(percent / 100 * total));
        long seen = 0;
        for (var bin = 0; bin < counts.Length; bin++)
        {
            seen += counts[bin];
            if (seen >= rank)
            {
                return bin / (double)RawIntensity.UInt16Maximum;
            }
        }

        return 1;
    }

    private static (double, double) Bounds(string text, string whole, string source)
    {
        var values = text.Split(',');
        if (values.Length != 2
            || !double.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var low)
            || !double.TryParse(values[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var high))
        {
            throw new ArgumentException($"{source}='{whole}': the bounds '{text}' are not two numbers LOW,HIGH; use {Syntax}");
        }

        return (low, high);
    }

    private static IntensityNormalization Checked(IntensityNormalization normalization)
    {
        var (method, low, high) = normalization;
        var finite = double.IsFinite(low) && double.IsFinite(high);
        var problem = method switch
        {
            IntensityMethod.DtypeRange => null,
            IntensityMethod.Percentiles when !finite || low < 0 || high > 100 || low >= high =>
                "percentiles need 0 <= LOW < HIGH <= 100",
            IntensityMethod.MinMax when !finite || low < 0 || low >= high =>
                "a min-max window needs 0 <= MIN < MAX, in the raw's stored values",
            IntensityMethod.Percentiles or IntensityMethod.MinMax => null,
            _ => $"the method {(int)method} is unknown",
        };
        return problem is null
            ? normalization
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{problem} (got {low:G}, {high:G})"));
    }
}
