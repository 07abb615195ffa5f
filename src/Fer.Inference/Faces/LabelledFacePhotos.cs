using System.Globalization;

namespace Fer.Inference.Faces;

/// <summary>One photo of a hand-labelled set: its file, the faces boxed by hand, and "ignore" boxes (faces too small or
/// too blurred to be labelled; a detection on one counts neither way).</summary>
public sealed record LabelledFacePhoto(string Path, IReadOnlyList<FaceBox> Faces, IReadOnlyList<FaceBox> Ignored)
{
    /// <summary>Scores detections against the hand boxes, after dropping those that fall on an ignore box.</summary>
    public DetectionScore Score(IEnumerable<FaceBox> detected)
    {
        var counted = detected.Where(d => !Ignored.Any(i => i.Overlap(d) >= DetectionScore.MinOverlap)).ToList();
        return DetectionScore.Of(Faces, counted);
    }
}

/// <summary>Reads a folder of photos with a <c>faces.csv</c> (<c>file,x,y,width,height,ignore</c>; a photo without faces
/// has one row with the box left empty).</summary>
public static class LabelledFacePhotos
{
    public static IReadOnlyList<LabelledFacePhoto> Load(string folder)
    {
        var rows = File.ReadLines(Path.Combine(folder, "faces.csv")).Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(',')).ToList();
        return rows.GroupBy(r => r[0]).Select(g =>
        {
            var boxes = g.Where(r => r.Length >= 5 && r[1].Length > 0)
                .Select(r => (Box: new FaceBox(Int(r[1]), Int(r[2]), Int(r[3]), Int(r[4])), Ignore: r.Length > 5 && r[5].Trim() == "1")).ToList();
            return new LabelledFacePhoto(Path.Combine(folder, g.Key),
                boxes.Where(b => !b.Ignore).Select(b => b.Box).ToList(), boxes.Where(b => b.Ignore).Select(b => b.Box).ToList());
        }).OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
