using Fer.Core.Imaging;
using Fer.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Fer.Inference.Faces;

/// <summary>
/// MediaPipe BlazeFace short-range ("front", 128x128) from ONNX, searched over a pyramid of overlapping tiles so that
/// faces much smaller than the photo are found, then merged with MediaPipe's weighted non-maximum suppression.
/// <para>Decoding follows MediaPipe's face_detection_short_range graph (SsdAnchorsCalculator with 4 layers, strides
/// 8/16/16/16, offsets 0.5, fixed anchor size; TensorsToDetectionsCalculator with x/y/w/h scale 128) as keijiro's
/// BlazeFaceBarracuda postprocess does: 16x16 cells with 2 anchors then 8x8 cells with 6, anchor centre
/// ((cell + 0.5) / cells), box centre = anchor + raw / 128, size = raw / 128, six keypoints relative to the anchor the
/// same way, score = sigmoid(raw). Input: NHWC RGB in [-1, 1] (keijiro's preprocess: 2 * colour - 1).</para>
/// Thread-safe: ONNX Runtime sessions allow concurrent runs.
/// </summary>
public sealed class BlazeFaceDetector : IFaceDetector
{
    public const int InputSide = 128;
    private const int Coordinates = 16;
    private const float NmsOverlap = 0.3f;

    /// <summary>Tile side over the smallest face a tile is meant to find. Measured on the labelled photos: the
    /// short-range model finds faces down to about a sixth of its input (~20 px of 128), hence tiles of 6x the smallest face.</summary>
    public const double TilePerSmallestFace = 6.0;

    /// <summary>Each pyramid level's tiles are this much smaller than the level above; consecutive tiles overlap by half, so
    /// every face up to half a tile's side lies wholly inside one tile of its level.</summary>
    public const double LevelStep = 2.0;

    /// <summary>The whole photo is searched once more shrunk into the middle of a black border this many times its
    /// side: a face that fills the frame (a selfie, a face crop over 96 px) runs past the edges of the whole-photo
    /// tile, where the short-range model, trained on faces with room around them, misses most of them.
    /// Measured on 300 PublicTest faces enlarged to 160 and 640 px (docs/faces.md): found 164 -> 283 and 170 -> 285,
    /// with 1.3 (270), 1.75 (283-286) and 2.0 (279) around it; the labelled photos' recall and precision unchanged.</summary>
    public const double ZoomedOutBorder = 1.5;

    private static readonly (float X, float Y)[] Anchors = BuildAnchors();

    private readonly InferenceSession _session;
    private readonly SessionRunGuard _guard;
    private readonly string _inputName;
    private readonly FaceOptions _options;
    private bool _disposed;

    private BlazeFaceDetector(string modelPath, FaceOptions options, InferenceSession session)
    {
        ModelPath = modelPath;
        _options = options;
        _session = session;
        _guard = new SessionRunGuard(session);
        _inputName = session.InputMetadata.Keys.First();
        var outputs = session.OutputMetadata.Keys.ToHashSet();
        foreach (var name in new[] { "Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0" })
            if (!outputs.Contains(name))
                throw new InvalidOperationException($"output {name} missing (outputs: {string.Join(", ", outputs)})");
        var input = session.InputMetadata[_inputName].Dimensions;
        if (input.Length != 4 || input[1] != InputSide || input[2] != InputSide || input[3] != 3)
            throw new InvalidOperationException($"input {_inputName} is [{string.Join(",", input)}], expected [N,{InputSide},{InputSide},3]");
    }

    public string Name => "blazeface";

    public string ModelPath { get; }

    /// <summary>Loads the model; on failure returns null and the reason.</summary>
    public static BlazeFaceDetector? TryCreate(FaceOptions options, out string? unavailableReason)
    {
        if (DetectorFile.Find(options.BlazeFaceModelPath, "BlazeFace model", out unavailableReason) is not { } path)
            return null;
        InferenceSession? session = null;
        try
        {
            using var sessionOptions = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                // Tiny model, many small runs, and the worker already detects several photos in parallel.
                IntraOpNumThreads = 1,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            };
            session = new InferenceSession(path, sessionOptions);
            return new BlazeFaceDetector(path, options, session);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or InvalidOperationException)
        {
            session?.Dispose();
            unavailableReason = $"face detector unavailable: {path} is not a BlazeFace model ONNX Runtime can run ({ex.Message})";
            return null;
        }
    }

    public DetectedFace[] Detect(DecodedPhoto photo) => Detect(photo, _options.ScoreThreshold);

    /// <summary>As <see cref="Detect(DecodedPhoto)"/> with another score threshold (the precision/recall sweep).</summary>
    public DetectedFace[] Detect(DecodedPhoto photo, float scoreThreshold)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Big photos are searched shrunk, as Haar does; coordinates are mapped back at the end.
        var shrink = Math.Min(1.0, (double)Math.Max(1, _options.DetectMaxSide) / Math.Max(photo.Width, photo.Height));
        var width = Math.Max(1, (int)Math.Round(photo.Width * shrink));
        var height = Math.Max(1, (int)Math.Round(photo.Height * shrink));
        var search = shrink < 1.0 ? RgbResampler.Resize(photo.Rgb, photo.Width, photo.Height, width, height) : photo.Rgb;

        var candidates = new List<Candidate>();
        var input = new DenseTensor<float>([1, InputSide, InputSide, 3]);
        foreach (var tileSide in TileSides(width, height, _options.MinFaceSide))
        {
            var scale = InputSide / tileSide;
            var levelWidth = Math.Max(1, (int)Math.Round(width * scale));
            var levelHeight = Math.Max(1, (int)Math.Round(height * scale));
            var level = RgbResampler.Resize(search, width, height, levelWidth, levelHeight);
            foreach (var y in TileOrigins(levelHeight))
            foreach (var x in TileOrigins(levelWidth))
            {
                FillInput(level, levelWidth, levelHeight, x, y, input.Buffer.Span);
                RunTile(input, x, y, levelWidth, levelHeight, scoreThreshold, (float)(1 / (scale * shrink)), candidates);
            }
        }
        var faces = WeightedNonMaximumSuppression(candidates);
        // The zoomed-out tile only adds faces the pyramid missed: its low-resolution boxes and keypoints would drag the
        // pyramid's own in the weighted average.
        var zoomed = new List<Candidate>();
        RunZoomedOut(search, width, height, input, scoreThreshold, (float)(1 / shrink), zoomed);
        faces.AddRange(WeightedNonMaximumSuppression(zoomed)
            .Where(z => !faces.Any(f => IntersectionOverUnion(f.Values, z.Values) > NmsOverlap)));

        return WithoutFacesInsideFaces(faces)
            .Select(c => ToFace(c, photo.Width, photo.Height))
            .Where(f => f.Box.Width > 0 && f.Box.Height > 0)
            .OrderByDescending(f => f.Box.Area).ThenBy(f => f.Box.Y).ThenBy(f => f.Box.X)
            .Take(Math.Max(1, _options.MaxFaces)).ToArray();
    }

    /// <summary>The whole search image shrunk into the middle of one tile (<see cref="ZoomedOutBorder"/>); negative origins
    /// tell <see cref="FillInput"/> and <see cref="RunTile"/> where it sits, so boxes map back as for any tile.</summary>
    private void RunZoomedOut(byte[] search, int width, int height, DenseTensor<float> input, float scoreThreshold, float searchToPhoto,
        List<Candidate> candidates)
    {
        var scale = InputSide / (Math.Max(width, height) * ZoomedOutBorder);
        var levelWidth = Math.Max(1, (int)Math.Round(width * scale));
        var levelHeight = Math.Max(1, (int)Math.Round(height * scale));
        var level = RgbResampler.Resize(search, width, height, levelWidth, levelHeight);
        int x = -(InputSide - levelWidth) / 2, y = -(InputSide - levelHeight) / 2;
        FillInput(level, levelWidth, levelHeight, x, y, input.Buffer.Span);
        RunTile(input, x, y, levelWidth, levelHeight, scoreThreshold, (float)(searchToPhoto / scale), candidates);
    }

    /// <summary>Tile sides of the pyramid, in pixels of the search image: the whole photo (letterboxed to a square), then
    /// halves while a tile can still hold the smallest face wanted.</summary>
    public static IEnumerable<double> TileSides(int width, int height, int minFaceSide)
    {
        var smallest = Math.Max(1, minFaceSide) * TilePerSmallestFace;
        double side = Math.Max(width, height);
        yield return side;
        while ((side /= LevelStep) >= smallest * 0.999)
            yield return side;
    }

    // Origins of 128-pixel tiles along one axis of a level: one tile when it fits, else every 64 pixels plus one flush
    // with the far edge, so that tiles overlap by (at least) half.
    private static IEnumerable<int> TileOrigins(int length)
    {
        if (length <= InputSide)
        {
            yield return 0;
            yield break;
        }
        var last = length - InputSide;
        for (var origin = 0; origin < last; origin += InputSide / 2)
            yield return origin;
        yield return last;
    }

    private static void FillInput(byte[] level, int levelWidth, int levelHeight, int originX, int originY, Span<float> input)
    {
        // Outside the photo (the letterbox of a non-square photo): black, as MediaPipe's zero border.
        // A negative origin (the zoomed-out tile) starts the photo that far inside the tile.
        input.Fill(-1f);
        int firstRow = Math.Max(0, -originY), firstColumn = Math.Max(0, -originX);
        var rows = Math.Min(InputSide, levelHeight - originY);
        var columns = Math.Min(InputSide, levelWidth - originX);
        for (var row = firstRow; row < rows; row++)
        {
            var source = ((originY + row) * levelWidth + originX + firstColumn) * 3;
            var target = (row * InputSide + firstColumn) * 3;
            for (var i = 0; i < (columns - firstColumn) * 3; i++)
                input[target + i] = level[source + i] * (2f / 255f) - 1f;
        }
    }

    private void RunTile(DenseTensor<float> input, int originX, int originY, int levelWidth, int levelHeight, float threshold,
        float toPhoto, List<Candidate> candidates)
    {
        using var results = _guard.Run((session, runOptions) =>
            session.Run([NamedOnnxValue.CreateFromTensor(_inputName, input)], session.OutputNames, runOptions));
        var byName = results.ToDictionary(r => r.Name, r => r.AsTensor<float>());
        // Layer 1: 16x16 cells x 2 anchors (Identity, Identity_2); layer 2: 8x8 cells x 6 anchors (Identity_1, Identity_3).
        Decode(byName["Identity:0"], byName["Identity_2:0"], 0);
        Decode(byName["Identity_1:0"], byName["Identity_3:0"], 512);

        void Decode(Tensor<float> scores, Tensor<float> boxes, int firstAnchor)
        {
            var scoreSpan = ((DenseTensor<float>)scores).Buffer.Span;
            var boxSpan = ((DenseTensor<float>)boxes).Buffer.Span;
            // Tolerance before a box counts as running off a tile edge that lies inside the photo.
            const float edgeSlack = InputSide * 0.05f;
            for (var i = 0; i < scoreSpan.Length; i++)
            {
                var score = Sigmoid(scoreSpan[i]);
                if (score < threshold)
                    continue;
                var anchor = Anchors[firstAnchor + i];
                var raw = boxSpan.Slice(i * Coordinates, Coordinates);
                var cx = anchor.X * InputSide + raw[0];
                var cy = anchor.Y * InputSide + raw[1];
                float x0 = cx - raw[2] / 2, x1 = cx + raw[2] / 2, y0 = cy - raw[3] / 2, y1 = cy + raw[3] / 2;
                // A face cut by an inner tile edge is found whole by the overlapping tile; its cut half would only drag the merged box.
                if ((originX > 0 && x0 < -edgeSlack) || (originY > 0 && y0 < -edgeSlack)
                    || (originX + InputSide < levelWidth && x1 > InputSide + edgeSlack)
                    || (originY + InputSide < levelHeight && y1 > InputSide + edgeSlack))
                    continue;
                var values = new float[4 + 12];
                values[0] = (originX + x0) * toPhoto;
                values[1] = (originY + y0) * toPhoto;
                values[2] = (originX + x1) * toPhoto;
                values[3] = (originY + y1) * toPhoto;
                for (var k = 0; k < 6; k++)
                {
                    values[4 + 2 * k] = (originX + anchor.X * InputSide + raw[4 + 2 * k]) * toPhoto;
                    values[5 + 2 * k] = (originY + anchor.Y * InputSide + raw[5 + 2 * k]) * toPhoto;
                }
                candidates.Add(new Candidate(values, score));
            }
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-Math.Clamp(x, -100f, 100f)));

    /// <summary>MediaPipe's weighted NMS: the best remaining detection and every other one overlapping it by IoU above
    /// 0.3 become one detection, their coordinates averaged by score, with the best score.</summary>
    private static List<Candidate> WeightedNonMaximumSuppression(List<Candidate> candidates)
    {
        var remaining = candidates.OrderByDescending(c => c.Score).ToList();
        var kept = new List<Candidate>();
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            var sum = new float[best.Values.Length];
            var weight = 0f;
            var rest = new List<Candidate>(remaining.Count);
            foreach (var candidate in remaining)
            {
                if (IntersectionOverUnion(best.Values, candidate.Values) > NmsOverlap)
                {
                    for (var i = 0; i < sum.Length; i++)
                        sum[i] += candidate.Values[i] * candidate.Score;
                    weight += candidate.Score;
                }
                else
                    rest.Add(candidate);
            }
            for (var i = 0; i < sum.Length; i++)
                sum[i] /= weight;
            kept.Add(new Candidate(sum, best.Score));
            remaining = rest;
        }
        return kept;
    }

    /// <summary>Drops a detection lying mostly (<see cref="InsideFaceShare"/> of its area) inside a larger one that scores at
    /// least as high: a face holds no smaller face, and a frame-filling face's eye or mouth region is what the finer
    /// tiles mistake for one. A weaker large box (a false one, at a low threshold) never removes a face inside it.</summary>
    private static List<Candidate> WithoutFacesInsideFaces(List<Candidate> faces)
    {
        var bySize = faces.OrderByDescending(c => Area(c.Values)).ToList();
        var kept = new List<Candidate>(bySize.Count);
        foreach (var face in bySize)
            if (!kept.Any(larger => larger.Score >= face.Score && Intersection(larger.Values, face.Values) >= InsideFaceShare * Area(face.Values)))
                kept.Add(face);
        return kept;
    }

    private const float InsideFaceShare = 0.7f;

    private static float Area(float[] box) => (box[2] - box[0]) * (box[3] - box[1]);

    private static float Intersection(float[] a, float[] b)
    {
        var w = Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]);
        var h = Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    private static float IntersectionOverUnion(float[] a, float[] b)
    {
        var intersection = Intersection(a, b);
        return intersection == 0 ? 0 : intersection / (Area(a) + Area(b) - intersection);
    }

    private static DetectedFace ToFace(Candidate c, int width, int height)
    {
        var x0 = Math.Clamp((int)Math.Round(c.Values[0]), 0, width);
        var y0 = Math.Clamp((int)Math.Round(c.Values[1]), 0, height);
        var x1 = Math.Clamp((int)Math.Round(c.Values[2]), 0, width);
        var y1 = Math.Clamp((int)Math.Round(c.Values[3]), 0, height);
        FacePoint Point(int k) => new(c.Values[4 + 2 * k], c.Values[5 + 2 * k]);
        return new DetectedFace(new FaceBox(x0, y0, x1 - x0, y1 - y0), c.Score,
            new FaceLandmarks(Point(0), Point(1), Point(2), Point(3), Point(4), Point(5)));
    }

    // SsdAnchorsCalculator for the short-range model: strides 8, 16, 16, 16 on a 128 input; layers of equal stride share a
    // grid, so 16x16 cells with 2 anchors each, then 8x8 cells with 6; fixed anchor size, so only the centres matter.
    private static (float X, float Y)[] BuildAnchors()
    {
        var anchors = new List<(float, float)>(896);
        foreach (var (cells, perCell) in new[] { (16, 2), (8, 6) })
            for (var y = 0; y < cells; y++)
            for (var x = 0; x < cells; x++)
            for (var a = 0; a < perCell; a++)
                anchors.Add(((x + 0.5f) / cells, (y + 0.5f) / cells));
        return anchors.ToArray();
    }

    private sealed record Candidate(float[] Values, float Score);

    public void Dispose()
    {
        _disposed = true;
        _guard.Dispose();
    }
}
