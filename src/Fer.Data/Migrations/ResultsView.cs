namespace Fer.Data.Migrations;

/// <summary>
/// The <c>results</c> view: one row per face of every scored image, with the emotion names spelt out. Plain SQL that
/// PostgreSQL and SQLite both run, so one query over it works on either (docs/sql.md).
/// </summary>
public static class ResultsView
{
    /// <summary>The CASE arms that turn a stored label (0-6) into its emotion's name; <see cref="ImageStatusView"/> uses them too.</summary>
    internal const string Labels = "WHEN 0 THEN 'angry' WHEN 1 THEN 'disgust' WHEN 2 THEN 'fear' WHEN 3 THEN 'happy' " +
                                  "WHEN 4 THEN 'sad' WHEN 5 THEN 'surprise' WHEN 6 THEN 'neutral' END";

    public const string Drop = "DROP VIEW IF EXISTS results";

    public const string Create = $"""
        CREATE VIEW results AS
        SELECT d.name AS dataset, d.container AS container, d.path AS dataset_path,
               i.id AS image_id, i.path AS path, i.face_count AS face_count,
               p.face_index AS face_index, p.box_x AS box_x, p.box_y AS box_y, p.box_width AS box_width, p.box_height AS box_height,
               p.detector_confidence AS detector_confidence,
               CASE p.predicted_label {Labels} AS label,
               p.confidence AS confidence,
               p.angry AS angry, p.disgust AS disgust, p.fear AS fear, p.happy AS happy, p.sad AS sad, p.surprise AS surprise, p.neutral AS neutral,
               CASE i.true_label {Labels} AS true_label,
               p.model_name AS model_name, p.scored_at AS scored_at
        FROM predictions p
        JOIN images i ON i.id = p.image_id
        JOIN datasets d ON d.id = i.dataset_id
        WHERE i.state = 1
        """;
}
