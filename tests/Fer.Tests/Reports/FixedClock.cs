namespace Fer.Tests.Reports;

/// <summary>A clock the test moves by hand, so report timestamps and file names are known.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
