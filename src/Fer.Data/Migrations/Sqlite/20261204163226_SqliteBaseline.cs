using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fer.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SqliteBaseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "datasets",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    container = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    results_changed_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_datasets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "image_failures",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    image_id = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    permanent = table.Column<bool>(type: "INTEGER", nullable: false),
                    worker_id = table.Column<string>(type: "TEXT", nullable: true),
                    occurred_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_image_failures", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    dataset_id = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    model_name = table.Column<string>(type: "TEXT", nullable: false),
                    model_sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    scored_count = table.Column<long>(type: "INTEGER", nullable: false),
                    failed_count = table.Column<long>(type: "INTEGER", nullable: false),
                    accuracy = table.Column<double>(type: "REAL", nullable: false),
                    macro_f1 = table.Column<double>(type: "REAL", nullable: false),
                    trigger = table.Column<string>(type: "TEXT", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false),
                    html = table.Column<string>(type: "TEXT", nullable: false),
                    markdown = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "images",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    dataset_id = table.Column<long>(type: "INTEGER", nullable: false),
                    path = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    e_tag = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    size_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    true_label = table.Column<short>(type: "INTEGER", nullable: true),
                    state = table.Column<short>(type: "INTEGER", nullable: false),
                    failure_reason = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    discovered_at = table.Column<long>(type: "INTEGER", nullable: false),
                    published_at = table.Column<long>(type: "INTEGER", nullable: true),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    face_count = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_images", x => x.id);
                    table.ForeignKey(
                        name: "FK_images_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "predictions",
                columns: table => new
                {
                    image_id = table.Column<long>(type: "INTEGER", nullable: false),
                    face_index = table.Column<short>(type: "INTEGER", nullable: false),
                    box_x = table.Column<int>(type: "INTEGER", nullable: false),
                    box_y = table.Column<int>(type: "INTEGER", nullable: false),
                    box_width = table.Column<int>(type: "INTEGER", nullable: false),
                    box_height = table.Column<int>(type: "INTEGER", nullable: false),
                    detector_confidence = table.Column<float>(type: "REAL", nullable: true),
                    angry = table.Column<float>(type: "REAL", nullable: false),
                    disgust = table.Column<float>(type: "REAL", nullable: false),
                    fear = table.Column<float>(type: "REAL", nullable: false),
                    happy = table.Column<float>(type: "REAL", nullable: false),
                    sad = table.Column<float>(type: "REAL", nullable: false),
                    surprise = table.Column<float>(type: "REAL", nullable: false),
                    neutral = table.Column<float>(type: "REAL", nullable: false),
                    predicted_label = table.Column<short>(type: "INTEGER", nullable: false),
                    confidence = table.Column<float>(type: "REAL", nullable: false),
                    model_name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    model_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    worker_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    download_ms = table.Column<float>(type: "REAL", nullable: false),
                    decode_ms = table.Column<float>(type: "REAL", nullable: false),
                    detect_ms = table.Column<float>(type: "REAL", nullable: false),
                    inference_ms = table.Column<float>(type: "REAL", nullable: false),
                    batch_size = table.Column<int>(type: "INTEGER", nullable: false),
                    scored_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_predictions", x => new { x.image_id, x.face_index });
                    table.ForeignKey(
                        name: "FK_predictions_images_image_id",
                        column: x => x.image_id,
                        principalTable: "images",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_datasets_container_name",
                table: "datasets",
                columns: new[] { "container", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_image_failures_image_id",
                table: "image_failures",
                column: "image_id");

            migrationBuilder.CreateIndex(
                name: "IX_images_dataset_id_path",
                table: "images",
                columns: new[] { "dataset_id", "path" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_images_state_published_at",
                table: "images",
                columns: new[] { "state", "published_at" });

            migrationBuilder.CreateIndex(
                name: "IX_predictions_predicted_label",
                table: "predictions",
                column: "predicted_label");

            migrationBuilder.CreateIndex(
                name: "IX_reports_dataset_id_created_at",
                table: "reports",
                columns: new[] { "dataset_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "image_failures");

            migrationBuilder.DropTable(
                name: "predictions");

            migrationBuilder.DropTable(
                name: "reports");

            migrationBuilder.DropTable(
                name: "images");

            migrationBuilder.DropTable(
                name: "datasets");
        }
    }
}
