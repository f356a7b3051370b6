namespace HotDistance.Learning.Runtime;

/// <summary>The located native files: the folder holding libc10/libtorch_cpu/libtorch, and TorchSharp's bridge library.</summary>
internal sealed record TorchNatives(string LibTorchDirectory, string LibTorchSharpPath, TorchNativesSource Source);
