namespace Fer.IntegrationTests;

/// <summary>
/// samples/ holds 42 FER2013 PublicTest faces (the first 6 of each emotion in tests/fixtures/publictest-slice.csv.gz)
/// as samples/&lt;label&gt;/publictest-NNNNN.png, and nothing else (so `fer run samples` lists every file it finds). Run with
/// FER_WRITE_SAMPLES=1 to (re)write them.
/// </summary>
public sealed class SamplesFolderTests
{
    public const int PerLabel = 6;

    [Fact]
    public void Samples_are_the_documented_fixture_rows()
    {
        var rows = Fer2013Images.FirstPerLabel(Fer2013Images.ReadRows(RepoPaths.PublicTestSlice), PerLabel);
        if (Environment.GetEnvironmentVariable("FER_WRITE_SAMPLES") == "1")
        {
            foreach (var row in rows)
            {
                var path = Path.Combine(RepoPaths.Samples, Fer2013Images.RelativePath(row));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, Fer2013Images.EncodePng(row.Gray48));
            }
        }

        Assert.Equal(PerLabel * EmotionLabels.Count, rows.Count);
        var files = Directory.EnumerateFiles(RepoPaths.Samples, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.Samples, f).Replace('\\', '/')).Order().ToArray();
        Assert.Equal(rows.Select(Fer2013Images.RelativePath).Order().ToArray(), files);
        foreach (var row in rows)
        {
            // Compare decoded pixels, not bytes: PNG encoders may differ, the faces must not.
            var decoded = Fer.Core.Imaging.FacePreprocessor.DecodeGray(File.ReadAllBytes(Path.Combine(RepoPaths.Samples, Fer2013Images.RelativePath(row))), out var w, out var h);
            Assert.Equal((48, 48), (w, h));
            Assert.Equal(row.Gray48, decoded);
        }
    }
}
