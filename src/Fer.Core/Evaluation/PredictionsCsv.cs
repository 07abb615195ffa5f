using System.Globalization;
using System.Text;
using Fer.Core.Labels;

namespace Fer.Core.Evaluation;

/// <summary>
/// One CSV row per evaluated face — <c>index,label,predicted,angry,...,neutral</c> — so every metric of an
/// evaluation can be recomputed outside FerBatch. Scores are the float32 values the database stores, written in
/// their shortest round-trip form; faces that failed to load have no row (their index is skipped).
/// </summary>
public static class PredictionsCsv
{
    public static string Header => "index,label,predicted," + string.Join(',', EmotionLabels.Names);

    public static void Write(IEnumerable<EvaluatedFace> faces, TextWriter writer)
    {
        writer.Write(Header);
        writer.Write('\n');
        var line = new StringBuilder();
        foreach (var face in faces)
        {
            line.Clear();
            line.Append(face.Index.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(EmotionLabels.Name(face.Truth))
                .Append(',').Append(EmotionLabels.Name(face.Predicted));
            foreach (var score in face.Scores)
                line.Append(',').Append(score.ToString("R", CultureInfo.InvariantCulture));
            line.Append('\n');
            writer.Write(line);
        }
    }

    public static void WriteFile(IEnumerable<EvaluatedFace> faces, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Write(faces, writer);
    }
}
