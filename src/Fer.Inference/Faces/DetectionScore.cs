namespace Fer.Inference.Faces;

/// <summary>Detections against hand-drawn boxes: each true face matches at most one detection (greedy, highest IoU first)
/// with IoU at least <see cref="MinOverlap"/>; unmatched detections are false faces.</summary>
public readonly record struct DetectionScore(int TrueFaces, int Detections, int Matched)
{
    /// <summary>Lenient on purpose: hand boxes (eyes to mouth) and detector boxes (forehead to chin) frame a face differently.</summary>
    public const double MinOverlap = 0.3;

    public double Recall => TrueFaces == 0 ? 1 : (double)Matched / TrueFaces;
    public double Precision => Detections == 0 ? 1 : (double)Matched / Detections;
    public int FalseFaces => Detections - Matched;

    public static DetectionScore operator +(DetectionScore a, DetectionScore b) =>
        new(a.TrueFaces + b.TrueFaces, a.Detections + b.Detections, a.Matched + b.Matched);

    public static DetectionScore Of(IReadOnlyList<FaceBox> truth, IReadOnlyList<FaceBox> detected)
    {
        var pairs = new List<(double Overlap, int Truth, int Detected)>();
        for (var t = 0; t < truth.Count; t++)
            for (var d = 0; d < detected.Count; d++)
            {
                var overlap = truth[t].Overlap(detected[d]);
                if (overlap >= MinOverlap)
                    pairs.Add((overlap, t, d));
            }
        var usedTruth = new bool[truth.Count];
        var usedDetected = new bool[detected.Count];
        var matched = 0;
        foreach (var (_, t, d) in pairs.OrderByDescending(p => p.Overlap))
        {
            if (usedTruth[t] || usedDetected[d])
                continue;
            usedTruth[t] = usedDetected[d] = true;
            matched++;
        }
        return new DetectionScore(truth.Count, detected.Count, matched);
    }
}
