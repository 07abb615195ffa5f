namespace Fer.Cli.Commands;

/// <summary>Exit codes shared by every verb, so scripts can tell a usage mistake from bad data.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Unexpected failure (a bug); System.CommandLine also uses 1 for command-line syntax errors.</summary>
    public const int Failure = 1;

    /// <summary>The input is bad: missing file, malformed dataset row, undecodable image, unusable model.</summary>
    public const int BadInput = 2;

    /// <summary>Stopped by Ctrl-C, SIGTERM or SIGHUP (128 + SIGINT, as shells report it); a rerun resumes.</summary>
    public const int Interrupted = 130;
}
