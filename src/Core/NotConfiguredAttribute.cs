namespace HotDistance.Core;

/// <summary>
/// A settings property that is not a configuration key: the host fills it from another key (so a concept has one
/// home in the configuration), or it is chosen per run rather than configured.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotConfiguredAttribute : Attribute;
