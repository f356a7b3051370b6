using System.Text;

namespace HotDistance.Core.Security;

/// <summary>
/// Names that come with input (a dataset's or crop's folder name, a TIFF sidecar's "name") are for display only, and
/// are shown in terminals, tables and reports: control characters (an escape sequence can rewrite a terminal) become
/// '?', the text is Unicode-normalised, and it is cut to <see cref="MaxLength"/> characters.
/// </summary>
public static class DisplayNames
{
    public const int MaxLength = 200;

    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new string(name.Normalize(NormalizationForm.FormC).Select(c => char.IsControl(c) ? '?' : c).ToArray()).Trim();
        if (text.Length > MaxLength)
        {
            text = text[..(MaxLength - 3)] + "...";
        }

        return text.Length == 0 ? "(unnamed)" : text;
    }
}
