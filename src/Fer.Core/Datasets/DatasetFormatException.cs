namespace Fer.Core.Datasets;

/// <summary>
/// A labelled dataset that cannot be read as a whole (malformed CSV row, unknown label folder, missing file).
/// The message names the file and, for CSV, the line, so it can be shown to the user as is.
/// </summary>
public sealed class DatasetFormatException(string message, Exception? inner = null) : Exception(message, inner);
