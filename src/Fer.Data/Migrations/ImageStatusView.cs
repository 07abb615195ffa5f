namespace Fer.Data.Migrations;

/// <summary>
/// The <c>image_status</c> view: one row per image of every dataset, its state and true label spelt out and the reason
/// of a failure beside it, so "what failed and why" needs no state codes. Plain SQL that PostgreSQL and SQLite both
/// run, like <see cref="ResultsView"/>.
/// </summary>
public static class ImageStatusView
{
    private const string States = "WHEN 0 THEN 'pending' WHEN 1 THEN 'scored' WHEN 2 THEN 'failed' WHEN 3 THEN 'no_face' " +
                                  "WHEN 4 THEN 'gone' END";

    public const string Drop = "DROP VIEW IF EXISTS image_status";

    public const string Create = $"""
        CREATE VIEW image_status AS
        SELECT d.name AS dataset, d.container AS container, d.path AS dataset_path,
               i.id AS image_id, i.path AS path,
               CASE i.state {States} AS state,
               i.failure_reason AS failure_reason, i.face_count AS face_count,
               CASE i.true_label {ResultsView.Labels} AS true_label,
               i.size_bytes AS size_bytes, i.discovered_at AS discovered_at, i.completed_at AS completed_at
        FROM images i
        JOIN datasets d ON d.id = i.dataset_id
        """;
}
