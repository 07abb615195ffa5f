using System.Data.Common;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// Reads the rows of a writer's Pending query (id, e_tag) and keeps the ids whose ETag is the request's: a row changed
/// since the request was sent is not that request's work any more. Both writers' <c>FindPendingAsync</c> end here.
/// </summary>
internal static class PendingRows
{
    public static async Task<IReadOnlySet<long>> WithExpectedETagAsync(DbDataReader reader, IReadOnlyDictionary<long, string> expected,
        CancellationToken cancellationToken)
    {
        var pending = new HashSet<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (expected[id] == reader.GetString(1))
                pending.Add(id);
        }
        return pending;
    }
}
