namespace Fer.Inference.Faces;

/// <summary>How the worker treats an image: as one face crop, or as a photo to search for faces.</summary>
public enum FaceMode
{
    /// <summary>Small images (both sides at most <see cref="FaceOptions.CropMaxSide"/>) and folders marked
    /// <c>.fer-crops</c> are crops; everything else goes through the detector.</summary>
    Auto = 0,

    /// <summary>Every image is one face (the behaviour before detection existed).</summary>
    Crops = 1,

    /// <summary>Every image goes through the detector, whatever its size.</summary>
    Detect = 2,
}
