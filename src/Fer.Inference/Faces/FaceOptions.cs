namespace Fer.Inference.Faces;

/// <summary>Bound from <c>Fer:Faces</c>: the crop/detect decision, which detector runs, and its settings.</summary>
public sealed class FaceOptions
{
    public const string Section = "Fer:Faces";

    /// <summary>Name of the marker file that declares a whole dataset folder to be face crops.</summary>
    public const string CropsMarker = Fer.Core.Datasets.DatasetMarkers.Crops;

    public const string DefaultCascadePath = "models/haarcascade_frontalface_default.xml";

    public const string DefaultBlazeFaceModelPath = "models/blazeface-front-128.onnx";

    /// <summary>BlazeFace score threshold, chosen on the labelled photo set's precision/recall curve
    /// (docs/faces.md, models/blazeface-front-128.card.md).</summary>
    public const float DefaultScoreThreshold = 0.7f;

    public FaceMode Mode { get; set; } = FaceMode.Auto;

    /// <summary>Which detector searches photos: BlazeFace (default) or the Haar cascade.</summary>
    public FaceDetectorKind Detector { get; set; } = FaceDetectorKind.BlazeFace;

    /// <summary>BlazeFace ONNX model; relative paths are searched upwards like the emotion model.</summary>
    public string BlazeFaceModelPath { get; set; } = DefaultBlazeFaceModelPath;

    /// <summary>BlazeFace: smallest score (sigmoid, 0-1) a face must reach.</summary>
    public float ScoreThreshold { get; set; } = DefaultScoreThreshold;

    /// <summary>Rotate each face upright by its eye line before the 48x48 crop (BlazeFace only: Haar gives no keypoints).</summary>
    public bool Align { get; set; } = true;

    /// <summary>In Auto mode an image whose sides are both at most this many pixels is a crop.</summary>
    public int CropMaxSide { get; set; } = 96;

    /// <summary>A crop narrower or lower than this many pixels fails instead of being scored: stretched to 48x48 it
    /// holds no face (a 1x1 spacer GIF, a thumbnail strip), and the model would still give it a confident emotion.</summary>
    public int CropMinSide { get; set; } = 16;

    /// <summary>Haar cascade XML; relative paths are searched upwards like the model.</summary>
    public string CascadePath { get; set; } = DefaultCascadePath;

    /// <summary>Extra room around a detected face on each side, as a fraction of its side. FER2013's framing is about 1.16
    /// times BlazeFace's box; on PublicTest faces pasted into photos 5-10 % scored best (docs/faces.md, Margin).</summary>
    public double Margin { get; set; } = 0.05;

    /// <summary>Photos are searched at most this large (longest side, pixels); boxes are mapped back to the original.</summary>
    public int DetectMaxSide { get; set; } = 1024;

    /// <summary>A JPEG or WebP photo larger than this (longest side, pixels) is decoded by its codec at the smallest size
    /// it gives directly that is still at least this large (at least <see cref="DetectMaxSide"/>); 0 decodes every photo
    /// whole. At about twice the search size the smallest face searched for (<see cref="MinFaceSide"/>) still spans 58 pixels,
    /// more than the classifier's 48, so the crops keep their detail; boxes are still given in the file's pixels.</summary>
    public int PhotoDecodeMinSide { get; set; } = 2000;

    /// <summary>Smallest face searched for, in pixels of the (possibly shrunk) search image. Haar: its smallest window;
    /// BlazeFace: sets the finest tile of its pyramid.</summary>
    public int MinFaceSide { get; set; } = 30;

    /// <summary>Haar: pyramid step.</summary>
    public double ScaleFactor { get; set; } = 1.1;

    /// <summary>Haar: overlapping candidate windows needed to keep a face (higher: fewer false faces, more misses).</summary>
    public int MinNeighbors { get; set; } = 5;

    /// <summary>At most this many faces per image, the largest kept.</summary>
    public int MaxFaces { get; set; } = 32;
}
