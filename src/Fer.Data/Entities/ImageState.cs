namespace Fer.Data.Entities;

/// <summary>Pending until a worker writes exactly one terminal state: Scored, Failed or NoFace.</summary>
public enum ImageState : short
{
    Pending = 0,
    Scored = 1,
    Failed = 2,

    /// <summary>A photo in which the detector found no face: done, neither an error nor a failure.</summary>
    NoFace = 3,

    /// <summary>The file is no longer in its folder (found missing when the folder was listed again): kept for its
    /// history, left out of every count, metric, report and export. Listed again, it is scored again.</summary>
    Gone = 4,
}
