namespace Fer.Reporting.Model;

/// <summary>Scored images whose confidence lies in [Lower, Upper); Labelled and Correct allow a per-bin accuracy.</summary>
public sealed record ScoreBin(double Lower, double Upper, long Count, long Labelled, long Correct);
