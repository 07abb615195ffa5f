namespace Fer.Faults;

/// <summary>One line of the table: what was submitted, how it ended, and anything else that went wrong.</summary>
public sealed record FaultRow(string Fault, int Submitted, int Scored, int Failed, int Lost, int Duplicated, string Notes)
{
    public static FaultRow From(string fault, int expected, FaultLedger.Counts counts, string notes)
    {
        var lost = Math.Max(0, expected - counts.Scored - counts.Failed) + counts.ScoredWithoutPrediction;
        return new FaultRow(fault, expected, counts.Scored, counts.Failed, lost, counts.Duplicated, notes);
    }

    /// <summary>The run passed: nothing lost, nothing duplicated, every row accounted for, no host died unexpectedly.</summary>
    public bool Passed => Lost == 0 && Duplicated == 0 && Problem is null;

    /// <summary>Set when the scenario itself went wrong (a host crashed, the fault could not be injected, an exception).</summary>
    public string? Problem { get; init; }
}
