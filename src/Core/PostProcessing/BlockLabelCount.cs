namespace HotDistance.Core.PostProcessing;

/// <summary>
/// How many provisional instance ids one block gave one class: ids 1..<see cref="Seeded"/> grew from a seed
/// inside the block, ids <see cref="Seeded"/>+1..<see cref="Labels"/> are fragments that no seed of the block
/// reached (see <see cref="BlockInstanceStitcher"/>).
/// </summary>
public sealed record BlockLabelCount(int Labels, int Seeded);
