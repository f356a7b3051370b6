namespace HotDistance.Core;

/// <summary>
/// A settings property that holds a credential: hd config show prints it as ***, and hd config init leaves it out of
/// the file (credentials belong in the environment or a secret store, not in a file people share).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
