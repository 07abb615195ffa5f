using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fer.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "datasets",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    container = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    results_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_datasets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "image_failures",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    image_id = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    permanent = table.Column<bool>(type: "boolean", nullable: false),
                    worker_id = table.Column<string>(type: "text", nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_image_failures", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    dataset_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    model_name = table.Column<string>(type: "text", nullable: false),
                    model_sha256 = table.Column<string>(type: "text", nullable: false),
                    scored_count = table.Column<long>(type: "bigint", nullable: false),
                    failed_count = table.Column<long>(type: "bigint", nullable: false),
                    accuracy = table.Column<double>(type: "double precision", nullable: false),
                    macro_f1 = table.Column<double>(type: "double precision", nullable: false),
                    trigger = table.Column<string>(type: "text", nullable: false),
                    json = table.Column<string>(type: "text", nullable: false),
                    html = table.Column<string>(type: "text", nullable: false),
                    markdown = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "images",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    dataset_id = table.Column<long>(type: "bigint", nullable: false),
                    path = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    e_tag = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    true_label = table.Column<short>(type: "smallint", nullable: true),
                    state = table.Column<short>(type: "smallint", nullable: false),
                    failure_reason = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    discovered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    image_id = table.Column<long>(type: "bigint", nullable: false),
                    angry = table.Column<float>(type: "real", nullable: false),
                    disgust = table.Column<float>(type: "real", nullable: false),
                    fear = table.Column<float>(type: "real", nullable: false),
                    happy = table.Column<float>(type: "real", nullable: false),
                    sad = table.Column<float>(type: "real", nullable: false),
                    surprise = table.Column<float>(type: "real", nullable: false),
                    neutral = table.Column<float>(type: "real", nullable: false),
                    predicted_label = table.Column<short>(type: "smallint", nullable: false),
                    confidence = table.Column<float>(type: "real", nullable: false),
                    model_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    model_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    worker_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    download_ms = table.Column<float>(type: "real", nullable: false),
                    decode_ms = table.Column<float>(type: "real", nullable: false),
                    inference_ms = table.Column<float>(type: "real", nullable: false),
                    batch_size = table.Column<int>(type: "integer", nullable: false),
                    scored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_predictions", x => x.image_id);
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
