namespace Fer.Cli.Output;

/// <summary>A count with its noun in the right number: "1 image", "2 images", "1 face", "0 faces".</summary>
public static class Counted
{
    public static string Of(long count, string singular, string? plural = null) =>
        $"{count} {(count == 1 ? singular : plural ?? singular + "s")}";
}
