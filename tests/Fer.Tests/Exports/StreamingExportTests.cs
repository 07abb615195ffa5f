using Fer.Cli.Export;

namespace Fer.Tests.Exports;

/// <summary>The writers put rows out while they are still being read: an export never holds the whole result.</summary>
public sealed class StreamingExportTests
{
    private const int RowCount = 40_000;

    /// <summary>Yields rows and records how much output had been written when the half-way row was asked for.</summary>
    private sealed class WatchedRows(StringWriter output)
    {
        public long WrittenAtHalfWay { get; private set; } = -1;

        public async IAsyncEnumerable<ExportRow> ReadAsync()
        {
            var time = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < RowCount; i++)
            {
                if (i == RowCount / 2)
                    WrittenAtHalfWay = output.GetStringBuilder().Length;
                yield return new ExportRow($"folder/{i:D6}.png", 0, 0, 0, 48, 48, 3, 0.9f, 0.01f, 0.01f, 0.02f, 0.9f, 0.02f, 0.02f, 0.02f,
                    time.AddSeconds(i), "fer-cnn", new string('a', 64));
                if (i % 1000 == 0)
                    await Task.Yield();
            }
        }
    }

    /// <summary>Writes <see cref="RowCount"/> watched rows with <paramref name="write"/>, asserting that every row was
    /// written and that the output grew while the rows were still being read; the output.</summary>
    private static async Task<string> AssertStreamedAsync(Func<IAsyncEnumerable<ExportRow>, TextWriter, CancellationToken, Task<long>> write)
    {
        var output = new StringWriter();
        var rows = new WatchedRows(output);

        var count = await write(rows.ReadAsync(), output, CancellationToken.None);

        Assert.Equal(RowCount, count);
        var total = output.GetStringBuilder().Length;
        // By half-way, at least a third of the output is out; a writer that gathered every row first would show 0.
        Assert.True(rows.WrittenAtHalfWay > total / 3, $"{rows.WrittenAtHalfWay} of {total} characters written at half-way");
        return output.ToString();
    }

    [Fact]
    public async Task Csv_is_written_while_rows_are_read()
    {
        var csv = await AssertStreamedAsync(ResultExporter.WriteCsvAsync);
        Assert.Equal(RowCount + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Json_lines_are_written_while_rows_are_read()
    {
        var jsonLines = await AssertStreamedAsync(ResultExporter.WriteJsonLinesAsync);
        Assert.Equal(RowCount, jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
