using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using HotDistance.Core;
using HotDistance.Core.Security;

namespace HotDistance.Hosting.Configuration;

/// <summary>
/// Settings as keys and values, the way a person reads and writes them: every setting of a
/// <see cref="HostSettings"/> as one line (<c>hd config show</c>), or as a commented hd.json at the given values
/// (<c>hd config init</c>) that loads back to the same settings.
/// </summary>
public static class SettingsDocument
{
    /// <summary>Every setting, in declaration order: its key, its value and the property behind it.</summary>
    public static IReadOnlyList<(string Key, object? Value, PropertyInfo Property)> Flatten(HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var entries = new List<(string, object?, PropertyInfo)>();
        Walk(settings, string.Empty, entries);
        return entries;
    }

    /// <summary>A value as text: durations as 5m, lists as [a, b], passwords masked.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string text => Redaction.Text(text),
        Uri uri => Redaction.Text(uri.ToString()),
        TimeSpan duration => Durations.Format(duration),
        bool flag => flag ? "true" : "false",
        Enum named => named.ToString().ToLowerInvariant(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ when SettingsBinder.IsRecord(value.GetType()) => "{" + string.Join(", ", Fields(value).Select(f => $"{f.Name}: {Format(f.Value)}")) + "}",
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// A hd.json holding <paramref name="settings"/> (all but <paramref name="omitted"/> keys and credentials), each key with a comment
    /// giving its allowed range where it has one. JSON with comments, which the configuration reads.
    /// </summary>
    public static string ToCommentedJson(HostSettings settings, IReadOnlySet<string> omitted)
    {
        ArgumentNullException.ThrowIfNull(omitted);
        var text = new StringBuilder();
        text.AppendLine("// HotDistance configuration. Values shown are the defaults; delete a key to keep its default.");
        text.AppendLine("// Environment variables (HD_SECTION__KEY) and command-line options override this file; hd config show says which won.");
        WriteRecord(text, settings, string.Empty, indent: 0, omitted);
        return text.ToString();
    }

    private static void Walk(object record, string path, List<(string, object?, PropertyInfo)> entries)
    {
        foreach (var property in SettingsBinder.Settable(record.GetType()))
        {
            var key = SettingsBinder.KeyOf(path, property.Name);
            var value = property.GetValue(record);
            if (value is not null && SettingsBinder.IsRecord(property.PropertyType))
            {
                Walk(value, key, entries);
            }
            else
            {
                entries.Add((key, value, property));
            }
        }
    }

    private static void WriteRecord(StringBuilder text, object record, string path, int indent, IReadOnlySet<string> omitted)
    {
        var pad = new string(' ', indent);
        text.AppendLine("{");
        var properties = SettingsBinder.Settable(record.GetType())
            .Select(p => (Property: p, Key: SettingsBinder.KeyOf(path, p.Name), Value: p.GetValue(record)))
            .Where(p => !omitted.Contains(p.Key) && p.Property.GetCustomAttribute<SecretAttribute>() is null)
            .ToList();
        for (var i = 0; i < properties.Count; i++)
        {
            var (property, key, value) = properties[i];
            if (property.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{pad}  // {Format(Convert(range.Minimum, property))} to {Format(Convert(range.Maximum, property))}");
            }

            text.Append(CultureInfo.InvariantCulture, $"{pad}  {JsonSerializer.Serialize(key[(key.LastIndexOf(':') + 1)..])}: ");
            if (value is not null && SettingsBinder.IsRecord(property.PropertyType))
            {
                WriteRecord(text, value, key, indent + 2, omitted);
            }
            else
            {
                text.Append(Json(value));
            }

            text.AppendLine(i < properties.Count - 1 ? "," : string.Empty);
        }

        text.Append(pad).Append('}');
        if (indent == 0)
        {
            text.AppendLine();
        }
    }

    private static string Json(object? value) => value switch
    {
        null => "null",
        string or Uri or TimeSpan or Enum => JsonSerializer.Serialize(Format(value)),
        bool or int or long or double => JsonSerializer.Serialize(value),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Json)) + "]",
        _ when SettingsBinder.IsRecord(value.GetType()) => "{ " + string.Join(", ", Fields(value).Select(f => $"{JsonSerializer.Serialize(f.Name)}: {Json(f.Value)}")) + " }",
        _ => JsonSerializer.Serialize(value.ToString()),
    };

    /// <summary>The keys of a record inside a list (a site's volumes), which are written in place rather than one per line.</summary>
    private static IEnumerable<(string Name, object? Value)> Fields(object record) =>
        SettingsBinder.Settable(record.GetType()).Select(p => (SettingsBinder.KeyOf(string.Empty, p.Name), p.GetValue(record)));

    /// <summary>A range bound as the property's type (TimeSpan bounds are written as text in the attribute).</summary>
    private static object? Convert(object? bound, PropertyInfo property) =>
        bound is string text && property.PropertyType == typeof(TimeSpan) ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : bound;
}
