using System.Security.Cryptography;

namespace HotDistance.Core.Hashing;

public static class Sha256File
{
    public static string Compute(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
