using System.Globalization;
using System.Reflection;
using HotDistance.Core;
using Microsoft.Extensions.Configuration;

namespace HotDistance.Hosting.Configuration;

/// <summary>
/// Binds configuration keys onto the settings records, which stay the one schema and the one home of every default:
/// a key names a property path (any case), its value is parsed by the property's type, and a record is copied, never
/// changed, so shared defaults stay as they are. A list replaces the default list (ConfigurationBinder would append
/// to it) and may be written as an array or as one comma-separated value ("mito,er", handy in a variable). A type with
/// a static <c>Parse(string text, string source)</c> (intensity normalisation, architecture presets) reads its own
/// text. A key that names no setting is a problem, as is a value its type cannot hold; both are collected, not thrown
/// one at a time, so a person fixes them in one go.
/// </summary>
internal sealed class SettingsBinder(ConfigurationSources sources)
{
    private readonly List<string> problems = [];

    public IReadOnlyList<string> Problems => problems;

    public T Bind<T>(T defaults, IConfiguration section)
        where T : class => (T)BindRecord(defaults, section, path: string.Empty);

    /// <summary>The settable properties of a settings record, as keys: what a file may set.</summary>
    public static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<NotConfiguredAttribute>() is null);

    /// <summary>A settings record: bound key by key rather than parsed from one value.</summary>
    public static bool IsRecord(Type type) =>
        type.IsClass && type != typeof(string) && type.GetMethod("<Clone>$") is not null && ParseMethod(type) is null;

    public static string KeyOf(string path, string name) => path.Length == 0 ? Camel(name) : $"{path}:{Camel(name)}";

    private object BindRecord(object current, IConfiguration section, string path)
    {
        var copy = current.GetType().GetMethod("<Clone>$")!.Invoke(current, null)!;
        var properties = Settable(copy.GetType()).ToList();
        foreach (var child in section.GetChildren())
        {
            var key = path.Length == 0 ? child.Key : $"{path}:{child.Key}";
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                problems.Add($"{key} (from {sources.OriginOf(key)}) is not a setting; known here: {string.Join(", ", properties.Select(p => Camel(p.Name)))}");
                continue;
            }

            var keyPath = KeyOf(path, property.Name);
            try
            {
                property.SetValue(copy, Read(property.PropertyType, property.GetValue(copy), child, keyPath));
            }
            catch (FormatException exception)
            {
                problems.Add($"{keyPath} = '{Shown(child)}' (from {sources.OriginOf(keyPath)}): {exception.Message}");
            }
        }

        return copy;
    }

    private object? Read(Type type, object? current, IConfigurationSection section, string key)
    {
        // JSON's null keeps the default; an empty value clears what may be empty: a list (JSON's [] arrives as ""),
        // a string, an optional setting.
        var underlying = Nullable.GetUnderlyingType(type);
        if (section.Value is null && !section.GetChildren().Any())
        {
            return current;
        }

        if (section.Value is "" && !section.GetChildren().Any())
        {
            if (ElementOf(type) is { } none)
            {
                return Array.CreateInstance(none, 0);
            }

            if (underlying is not null || !type.IsValueType)
            {
                return type == typeof(string) ? string.Empty : null;
            }
        }

        type = underlying ?? type;
        if (IsRecord(type))
        {
            if (section.Value is not null)
            {
                throw new FormatException($"is a section; set its keys ({string.Join(", ", Settable(type).Select(p => Camel(p.Name)))}), not one value");
            }

            return BindRecord(current ?? Activator.CreateInstance(type)!, section, key);
        }

        if (ElementOf(type) is { } element)
        {
            var items = section.Value is { } joined
                ? joined.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(text => (Value: (string?)text, Section: (IConfigurationSection?)null))
                : section.GetChildren().OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : int.MaxValue)
                    .Select(c => (c.Value, Section: (IConfigurationSection?)c));
            var list = items.Select(item => item.Section is { } child ? Read(element, null, child, $"{key}:{child.Key}") : Scalar(element, item.Value!, key)).ToList();
            var array = Array.CreateInstance(element, list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                array.SetValue(list[i], i);
            }

            return array;
        }

        return section.Value is { } value ? Scalar(type, value, key) : throw new FormatException("needs a value, not keys under it");
    }

    private static object Scalar(Type type, string text, string key)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (ParseMethod(type) is { } parse)
        {
            try
            {
                return parse.Invoke(null, [text, key])!;
            }
            catch (TargetInvocationException exception) when (exception.InnerException is ArgumentException or FormatException)
            {
                throw new FormatException(exception.InnerException.Message, exception.InnerException);
            }
        }

        return type switch
        {
            _ when type == typeof(string) => text,
            _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, invariant, out var i) ? i : throw new FormatException("is not a whole number"),
            _ when type == typeof(long) => long.TryParse(text, NumberStyles.Integer, invariant, out var l) ? l : throw new FormatException("is not a whole number"),
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, invariant, out var d) && double.IsFinite(d) ? d : throw new FormatException("is not a finite number"),
            _ when type == typeof(bool) => bool.TryParse(text, out var b) ? b : throw new FormatException("is not true or false"),
            _ when type == typeof(TimeSpan) => Durations.Parse(text),
            _ when type.IsEnum => Enum.TryParse(type, text, ignoreCase: true, out var named) && Enum.IsDefined(type, named!) && !char.IsAsciiDigit(text.Trim()[0])
                ? named!
                : throw new FormatException($"is not one of {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}"),
            _ when type == typeof(Uri) => Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new FormatException("is not an absolute URI, e.g. amqp://user:password@host:5672/vhost"),
            _ => throw new FormatException($"cannot be set from configuration (a {type.Name})"),
        };
    }

    /// <summary>The element type of an array or read-only list property, or null.</summary>
    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0]
        : null;

    private static MethodInfo? ParseMethod(Type type) =>
        type.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(string)]) is { } method && method.ReturnType == type ? method : null;

    private static string Shown(IConfigurationSection section) =>
        section.Value ?? "{" + string.Join(", ", section.GetChildren().Select(c => c.Key)) + "}";

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
