namespace Fer.Tests.Support;

/// <summary>A test class whose every test gets a fresh <see cref="TempDirectory"/>, removed when the test ends.</summary>
public abstract class TempDirectoryTest : IDisposable
{
    // xUnit makes a new instance per test, so each test has a folder of its own.
    protected readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();
}
