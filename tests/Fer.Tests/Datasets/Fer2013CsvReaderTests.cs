namespace Fer.Tests.Datasets;

public class Fer2013CsvReaderTests : TempDirectoryTest
{
    [Fact]
    public void Reads_the_publictest_slice_fixture()
    {
        var rows = Fer2013CsvReader.Read(RepoPaths.PublicTestSlice).ToList();
        Assert.Equal(300, rows.Count);
        Assert.Equal(2, rows[0].LineNumber);
        Assert.Equal(Emotion.Angry, rows[0].Label);
        Assert.Equal(new byte[] { 254, 254, 254, 254, 254, 249, 255, 160 }, rows[0].Pixels[..8]);
        Assert.All(rows, r => Assert.Equal(2304, r.Pixels.Length));
    }

    [Fact]
    public void Reads_usage_column_and_crlf_lines()
    {
        var path = _temp.File("with-usage.csv");
        File.WriteAllText(path, "emotion,pixels,Usage\r\n" + Fer2013Csv.Row(3, 7) + ",PublicTest\r\n" + Fer2013Csv.Row(6, 8) + ",Training\r\n");
        var rows = Fer2013CsvReader.Read(path).ToList();
        Assert.Equal([Emotion.Happy, Emotion.Neutral], rows.Select(r => r.Label));
        Assert.Equal(["PublicTest", "Training"], rows.Select(r => r.Usage));
        Assert.All(rows[0].Pixels, p => Assert.Equal(7, p));
    }

    [Fact]
    public void Detects_gzip_by_magic_bytes_not_extension()
    {
        var gzipNamedCsv = _temp.File("actually-gzip.csv");
        Fer2013Csv.WriteGzip(gzipNamedCsv, "emotion,pixels", Fer2013Csv.Row(2, 9));
        var plainNamedGz = _temp.File("actually-plain.csv.gz");
        Fer2013Csv.WritePlain(plainNamedGz, "emotion,pixels", Fer2013Csv.Row(5, 10));

        Assert.Equal(Emotion.Fear, Assert.Single(Fer2013CsvReader.Read(gzipNamedCsv)).Label);
        Assert.Equal(Emotion.Surprise, Assert.Single(Fer2013CsvReader.Read(plainNamedGz)).Label);
    }

    // (defect, the bad line 3, the message that names file and line); the defect names the case in the test list.
    public static TheoryData<string, string, string> MalformedRows => new()
    {
        { "2303 pixels", Fer2013Csv.Row(0, 1, 2303), "publictest.csv:3: expected 2304 pixels, got 2303" },
        { "2305 pixels", Fer2013Csv.Row(0, 1, 2305), "publictest.csv:3: expected 2304 pixels, got 2305" },
        { "pixel 256", Fer2013Csv.RowStartingWith(0, "256"), "publictest.csv:3: pixel 1 value 256 is outside 0-255" },
        { "pixel -1", Fer2013Csv.RowStartingWith(0, "-1"), "publictest.csv:3: pixel 1 value -1 is outside 0-255" },
        { "pixel x", Fer2013Csv.RowStartingWith(0, "x"), "publictest.csv:3: pixel 1 'x' is not an integer" },
        { "label 7", Fer2013Csv.Row(7, 1), "publictest.csv:3: emotion 7 is outside 0-6" },
        { "label happy", "happy" + Fer2013Csv.Row(0, 1)[1..], "publictest.csv:3: emotion 'happy' is not an integer" },
        { "3 columns", Fer2013Csv.Row(0, 1) + ",extra", "publictest.csv:3: expected 2 columns, got 3" },
    };

    [Theory]
    [MemberData(nameof(MalformedRows))]
    public void Malformed_row_names_file_and_line(string defect, string bad, string expectedMessage)
    {
        var path = _temp.File("publictest.csv");
        Fer2013Csv.WritePlain(path, "emotion,pixels", Fer2013Csv.Row(0, 1), bad, Fer2013Csv.Row(0, 1));

        using var rows = Fer2013CsvReader.Read(path).GetEnumerator();
        Assert.True(rows.MoveNext(), $"line 2 is fine and streams before the error in line 3 ({defect})");
        var ex = Assert.Throws<DatasetFormatException>(() => rows.MoveNext());
        Assert.Equal(expectedMessage, ex.Message);
    }

    [Fact]
    public void Header_without_pixels_is_rejected()
    {
        var path = _temp.File("no-pixels.csv", "emotion,image\n0,1 2 3\n");
        var ex = Assert.Throws<DatasetFormatException>(() => Fer2013CsvReader.Read(path).ToList());
        Assert.StartsWith("no-pixels.csv:1: header must contain 'emotion' and 'pixels'", ex.Message);
    }

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        var path = Path.Combine(_temp.Path, "absent.csv");
        var ex = Assert.Throws<DatasetFormatException>(() => Fer2013CsvReader.Read(path));
        Assert.Contains(path, ex.Message);
    }
}
