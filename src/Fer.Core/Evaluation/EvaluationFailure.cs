namespace Fer.Core.Evaluation;

/// <summary>A face left out of the metrics because it could not be loaded (undecodable, unreadable, too large).</summary>
public sealed record EvaluationFailure(string Source, string Reason);
