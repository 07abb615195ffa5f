namespace Fer.Tests.Support;

/// <summary>Writes FER2013 rows as gray PNGs into a <c>&lt;root&gt;/&lt;label&gt;/row-NNN.png</c> folder.</summary>
public static class FaceFolders
{
    public static void WritePngs(string root, IEnumerable<Fer2013Row> rows)
    {
        foreach (var row in rows)
        {
            var folder = Path.Combine(root, EmotionLabels.Name(row.Label));
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, $"row-{row.LineNumber:D4}.png"), TestImages.EncodeGray(row.Pixels, 48, 48));
        }
    }
}
