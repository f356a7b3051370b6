namespace HotDistance.Core.Metrics;

/// <summary>
/// Optimal assignment by the Hungarian method with row/column potentials and shortest augmenting paths,
/// O(rows^2 * columns) for rows &lt;= columns.
/// </summary>
public static class HungarianAlgorithm
{
    /// <summary>
    /// Assigns rows to distinct columns so that the summed weight is largest. Weights must be finite and
    /// non-negative; every row of the smaller side gets a partner, so callers drop pairs of weight 0 (or below
    /// their own threshold) afterwards. Returns, per row, its column or -1.
    /// </summary>
    public static int[] MaximizeWeight(double[,] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var rows = weights.GetLength(0);
        var columns = weights.GetLength(1);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (!double.IsFinite(weights[r, c]) || weights[r, c] < 0)
                {
                    throw new ArgumentException($"weight [{r}, {c}] is {weights[r, c]}; weights must be finite and >= 0", nameof(weights));
                }
            }
        }

        var result = new int[rows];
        Array.Fill(result, -1);
        if (rows == 0 || columns == 0)
        {
            return result;
        }

        var transpose = rows > columns;
        var n = transpose ? columns : rows;
        var m = transpose ? rows : columns;
        var cost = new double[n, m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                cost[i, j] = -(transpose ? weights[j, i] : weights[i, j]);
            }
        }

        var assignment = MinimizeCost(cost);
        for (var i = 0; i < n; i++)
        {
            if (transpose)
            {
                result[assignment[i]] = i;
            }
            else
            {
                result[i] = assignment[i];
            }
        }

        return result;
    }

    /// <summary>
    /// Minimum-cost assignment of every one of the n rows of <paramref name="cost"/> to one of its m &gt;= n
    /// columns. Rows are added one at a time; each addition grows a Dijkstra-like tree over columns on reduced
    /// costs (cost - rowPotential - columnPotential), then flips the alternating path to a free column.
    /// </summary>
    private static int[] MinimizeCost(double[,] cost)
    {
        var n = cost.GetLength(0);
        var m = cost.GetLength(1);
        // Index 0 of the column arrays is a virtual column that holds the row being inserted.
        var rowPotential = new double[n + 1];
        var columnPotential = new double[m + 1];
        var rowOfColumn = new int[m + 1];
        var previousColumn = new int[m + 1];
        var slack = new double[m + 1];
        var inTree = new bool[m + 1];

        for (var row = 1; row <= n; row++)
        {
            rowOfColumn[0] = row;
            var column = 0;
            Array.Fill(slack, double.PositiveInfinity);
            Array.Fill(inTree, false);
            do
            {
                inTree[column] = true;
                var currentRow = rowOfColumn[column];
                var step = double.PositiveInfinity;
                var nextColumn = 0;
                for (var j = 1; j <= m; j++)
                {
                    if (inTree[j])
                    {
                        continue;
                    }

                    var reduced = cost[currentRow - 1, j - 1] - rowPotential[currentRow] - columnPotential[j];
                    if (reduced < slack[j])
                    {
                        slack[j] = reduced;
                        previousColumn[j] = column;
                    }

                    if (slack[j] < step)
                    {
                        step = slack[j];
                        nextColumn = j;
                    }
                }

                for (var j = 0; j <= m; j++)
                {
                    if (inTree[j])
                    {
                        rowPotential[rowOfColumn[j]] += step;
                        columnPotential[j] -= step;
                    }
                    else
                    {
                        slack[j] -= step;
                    }
                }

                column = nextColumn;
            }
            while (rowOfColumn[column] != 0);

            // Walk back along the tree, shifting each row one column towards the free one just reached.
            do
            {
                var previous = previousColumn[column];
                rowOfColumn[column] = rowOfColumn[previous];
                column = previous;
            }
            while (column != 0);
        }

        var rowToColumn = new int[n];
        for (var j = 1; j <= m; j++)
        {
            if (rowOfColumn[j] != 0)
            {
                rowToColumn[rowOfColumn[j] - 1] = j - 1;
            }
        }

        return rowToColumn;
    }
}
