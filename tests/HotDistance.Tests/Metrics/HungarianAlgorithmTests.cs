using HotDistance.Core.Metrics;

namespace HotDistance.Tests.Metrics;

public class HungarianAlgorithmTests
{
    [Fact]
    public void Beats_greedy_when_the_best_single_pair_blocks_two_good_ones()
    {
        // Greedy takes (0, 0) = 0.9 and leaves row 1 with nothing; the optimum is 0.8 + 0.7.
        double[,] iou = { { 0.9, 0.8 }, { 0.7, 0.0 } };

        var assignment = HungarianAlgorithm.MaximizeWeight(iou);

        Assert.Equal([1, 0], assignment);
    }

    [Fact]
    public void Beats_greedy_on_a_three_by_three_chain()
    {
        // Greedy: (1,1)=0.9, then (2,0)=0.6, (0,2)=0 -> 1.5. Optimum: (0,1)+(1,2)+(2,0) = 0.8+0.85+0.6 = 2.25.
        double[,] iou =
        {
            { 0.5, 0.8, 0.0 },
            { 0.0, 0.9, 0.85 },
            { 0.6, 0.0, 0.1 },
        };

        var assignment = HungarianAlgorithm.MaximizeWeight(iou);

        Assert.Equal([1, 2, 0], assignment);
    }

    [Fact]
    public void Rectangular_matrices_leave_the_extra_side_unassigned()
    {
        double[,] tall = { { 0.1 }, { 0.7 }, { 0.3 } };
        double[,] wide = { { 0.2, 0.6, 0.5 }, { 0.0, 0.55, 0.0 } };

        Assert.Equal([-1, 0, -1], HungarianAlgorithm.MaximizeWeight(tall));
        Assert.Equal([2, 1], HungarianAlgorithm.MaximizeWeight(wide));
    }

    [Fact]
    public void Empty_matrix_gives_empty_assignment()
    {
        Assert.Empty(HungarianAlgorithm.MaximizeWeight(new double[0, 3]));
        Assert.Equal([-1, -1], HungarianAlgorithm.MaximizeWeight(new double[2, 0]));
    }

    [Fact]
    public void Rejects_negative_or_non_finite_weights()
    {
        Assert.Throws<ArgumentException>(() => HungarianAlgorithm.MaximizeWeight(new double[,] { { -0.1 } }));
        Assert.Throws<ArgumentException>(() => HungarianAlgorithm.MaximizeWeight(new double[,] { { double.NaN } }));
    }

    [Theory]
    [InlineData(4, 4, 11)]
    [InlineData(5, 3, 12)]
    [InlineData(3, 6, 13)]
    [InlineData(6, 6, 14)]
    public void Finds_the_brute_force_optimum_on_random_sparse_matrices(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 30; trial++)
        {
            var weights = new double[rows, columns];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    weights[r, c] = random.NextDouble() < 0.5 ? 0 : Math.Round(random.NextDouble(), 3);
                }
            }

            var assignment = HungarianAlgorithm.MaximizeWeight(weights);

            Assert.Equal(assignment.Where(c => c >= 0).Count(), assignment.Where(c => c >= 0).Distinct().Count());
            Assert.Equal(Math.Min(rows, columns), assignment.Count(c => c >= 0));
            var total = assignment.Select((c, r) => c >= 0 ? weights[r, c] : 0).Sum();
            Assert.Equal(BruteForceBest(weights, 0, new bool[columns]), total, 9);
        }
    }

    private static double BruteForceBest(double[,] weights, int row, bool[] used)
    {
        if (row == weights.GetLength(0))
        {
            return 0;
        }

        var best = BruteForceBest(weights, row + 1, used); // row left unassigned
        for (var c = 0; c < used.Length; c++)
        {
            if (!used[c])
            {
                used[c] = true;
                best = Math.Max(best, weights[row, c] + BruteForceBest(weights, row + 1, used));
                used[c] = false;
            }
        }

        return best;
    }
}
