namespace Fer.Tests.Support;

/// <summary>A fresh folder per test, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fer-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string relative, string? text = null)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        if (text is not null)
            System.IO.File.WriteAllText(full, text);
        return full;
    }

    /// <summary>Creates each file (folders included) with a one-character body, for tests that look only at names.</summary>
    public void Touch(params string[] relatives)
    {
        foreach (var relative in relatives)
            File(relative, "x");
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
