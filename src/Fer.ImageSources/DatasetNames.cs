namespace Fer.ImageSources;

/// <summary>
/// Checks the container and dataset folder a caller names (HTTP submit, <c>fer submit</c>, report endpoints) before they
/// reach blob storage or SQL. Values are parameterised everywhere anyway; this refuses, with a reason, the names that
/// can only be mistakes or probes: path traversal, absolute paths, control characters, names storage would reject.
/// </summary>
public static class DatasetNames
{
    /// <summary>Blob names are at most 1024 characters; a dataset folder is one prefix of them.</summary>
    public const int MaxFolderLength = 512;

    /// <summary>Why <paramref name="container"/> cannot be a blob container name (Azure's rules: 3-63 characters,
    /// lower-case letters, digits and single hyphens, starting and ending with a letter or digit); null when it can.</summary>
    public static string? ContainerProblem(string container)
    {
        if (container.Length is < 3 or > 63)
            return $"container name must be 3-63 characters long (got {container.Length})";
        foreach (var c in container)
            if (c is not (>= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
                return "container name may hold only lower-case letters, digits and hyphens";
        if (container[0] == '-' || container[^1] == '-' || container.Contains("--", StringComparison.Ordinal))
            return "container name must start and end with a letter or digit and hold no double hyphen";
        return null;
    }

    /// <summary>Why <paramref name="folder"/> cannot name a dataset folder; null when it can.</summary>
    public static string? FolderProblem(string folder)
    {
        if (folder.Length == 0)
            return "folder name is empty";
        if (folder.Length > MaxFolderLength)
            return $"folder name is longer than {MaxFolderLength} characters";
        foreach (var c in folder)
            if (char.IsControl(c))
                return $"folder name holds a control character (U+{(int)c:X4})";
        if (folder[0] is '/' or '\\' || (folder.Length >= 2 && folder[1] == ':'))
            return "folder name must be relative to its container, not an absolute path";
        if (folder.Split('/', '\\').Any(segment => segment is ".." or "."))
            return "folder name must not hold '.' or '..' segments";
        return null;
    }

    /// <summary>The first problem of the pair; null when both are valid.</summary>
    public static string? Problem(string container, string folder) => ContainerProblem(container) ?? FolderProblem(folder);
}
