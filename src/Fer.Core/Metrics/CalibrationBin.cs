namespace Fer.Core.Metrics;

/// <summary>Predictions whose top score lies in [Lower, Upper): how many, their mean top score and how often they were right.</summary>
public sealed record CalibrationBin(double Lower, double Upper, long Count, double MeanConfidence, double Accuracy);
