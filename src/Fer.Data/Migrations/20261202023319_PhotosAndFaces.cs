using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fer.Data.Migrations
{
    /// <inheritdoc />
    public partial class PhotosAndFaces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_predictions",
                table: "predictions");

            migrationBuilder.AddColumn<short>(
                name: "face_index",
                table: "predictions",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.AddColumn<int>(
                name: "box_height",
                table: "predictions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "box_width",
                table: "predictions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "box_x",
                table: "predictions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "box_y",
                table: "predictions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<float>(
                name: "detect_ms",
                table: "predictions",
                type: "real",
                nullable: false,
                defaultValue: 0f);

            migrationBuilder.AddColumn<float>(
                name: "detector_confidence",
                table: "predictions",
                type: "real",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "face_count",
                table: "images",
                type: "integer",
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_predictions",
                table: "predictions",
                columns: new[] { "image_id", "face_index" });

            // Every image scored before photos were supported was one face crop.
            migrationBuilder.Sql("UPDATE images SET face_count = 1 WHERE state = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The old key holds one row per image: keep each image's largest face.
            migrationBuilder.Sql("DELETE FROM predictions WHERE face_index > 0");

            migrationBuilder.DropPrimaryKey(
                name: "PK_predictions",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "face_index",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "box_height",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "box_width",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "box_x",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "box_y",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "detect_ms",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "detector_confidence",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "face_count",
                table: "images");

            migrationBuilder.AddPrimaryKey(
                name: "PK_predictions",
                table: "predictions",
                column: "image_id");
        }
    }
}
