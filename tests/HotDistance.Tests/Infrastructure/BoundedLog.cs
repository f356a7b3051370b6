namespace HotDistance.Tests.Infrastructure;

/// <summary>
/// Keeps the last lines a child process printed, for error messages, without letting a chatty process grow
/// memory for the whole test run.
/// </summary>
internal sealed class BoundedLog(int capacity)
{
    private readonly Queue<string> _lines = new(capacity);

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public string Text
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }
}
