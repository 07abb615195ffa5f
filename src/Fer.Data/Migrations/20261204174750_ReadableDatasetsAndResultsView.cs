using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fer.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReadableDatasetsAndResultsView : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_datasets_container_name",
                table: "datasets");

            migrationBuilder.AddColumn<string>(
                name: "path",
                table: "datasets",
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: false,
                defaultValue: "");

            // The folder moves to path; a local dataset (named by its absolute path until now) is named after its last part.
            migrationBuilder.Sql("UPDATE datasets SET path = name");
            migrationBuilder.Sql("UPDATE datasets SET name = regexp_replace(rtrim(name, '/'), '^.*/', '') WHERE container = 'local' AND rtrim(name, '/') LIKE '%/%'");

            migrationBuilder.CreateIndex(
                name: "IX_datasets_container_path",
                table: "datasets",
                columns: new[] { "container", "path" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_datasets_name",
                table: "datasets",
                column: "name");

            migrationBuilder.Sql(ResultsView.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ResultsView.Drop);
            migrationBuilder.Sql("UPDATE datasets SET name = path");

            migrationBuilder.DropIndex(
                name: "IX_datasets_container_path",
                table: "datasets");

            migrationBuilder.DropIndex(
                name: "IX_datasets_name",
                table: "datasets");

            migrationBuilder.DropColumn(
                name: "path",
                table: "datasets");

            migrationBuilder.CreateIndex(
                name: "IX_datasets_container_name",
                table: "datasets",
                columns: new[] { "container", "name" },
                unique: true);
        }
    }
}
