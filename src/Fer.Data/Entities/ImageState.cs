namespace Fer.Data.Entities;

/// <summary>Pending until a worker writes exactly one terminal state: Scored or Failed.</summary>
public enum ImageState : short
{
    Pending = 0,
    Scored = 1,
    Failed = 2,
}
