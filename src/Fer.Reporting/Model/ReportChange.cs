namespace Fer.Reporting.Model;

public sealed record ReportChange(
    long PreviousReportId,
    DateTimeOffset PreviousCreatedAt,
    string PreviousModelSha256,
    double PreviousAccuracy,
    double AccuracyDelta,
    double PreviousMacroF1,
    double MacroF1Delta,
    IReadOnlyList<RecallChange> RecallDeltas);
