using Fer.Core.Datasets;
using Fer.Core.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Cli.Commands;

/// <summary>
/// Runs a verb's body and turns expected failures into one line on stderr and <see cref="ExitCodes.BadInput"/>:
/// a user who gives a broken file deserves the file name and the reason, not a stack trace.
/// </summary>
public static class GuardedAction
{
    public static async Task<int> RunAsync(ParseResult parseResult, Func<Task<int>> body)
    {
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            return await body();
        }
        catch (System.Data.Common.DbException ex)
        {
            // A database that cannot be reached or read: the user's setup, not a bug.
            await error.WriteLineAsync($"error: database: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            // A bug, not bad input: still one line unless asked for the details.
            await error.WriteLineAsync(Environment.GetEnvironmentVariable("FER_DEBUG") == "1"
                ? $"error: {ex}"
                : $"error: unexpected failure: {ex.Message} (set FER_DEBUG=1 for details)");
            return ExitCodes.Failure;
        }
    }

    private static bool IsBadInput(Exception ex) => ex is DatasetFormatException or InvalidImageException
        or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException
        or OnnxRuntimeException or InvalidDataException or BadInputException or Fer.Reporting.DatasetNotFoundException;
}
