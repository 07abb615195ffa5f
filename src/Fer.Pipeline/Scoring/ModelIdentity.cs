namespace Fer.Pipeline.Scoring;

/// <summary>Who produced a prediction: written on every row so results can be traced to a model file and a worker.</summary>
public sealed record ModelIdentity(string ModelName, string ModelSha256, string WorkerId);
