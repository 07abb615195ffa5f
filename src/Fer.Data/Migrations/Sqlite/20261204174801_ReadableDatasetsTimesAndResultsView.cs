using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fer.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReadableDatasetsTimesAndResultsView : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Times were EF's DateTimeOffset binary form (clock ticks / 1000 << 11 | offset minutes): rewrite them as the
            // ISO-8601 UTC text IsoUtcTextConverter reads, before the columns change type.
            foreach (var (table, column) in TimeColumns)
                migrationBuilder.Sql($"UPDATE {table} SET {column} = {BinaryToIso(column)} WHERE typeof({column}) = 'integer'");

            migrationBuilder.DropIndex(
                name: "IX_datasets_container_name",
                table: "datasets");

            migrationBuilder.AlterColumn<string>(
                name: "created_at",
                table: "reports",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<string>(
                name: "scored_at",
                table: "predictions",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<string>(
                name: "published_at",
                table: "images",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "discovered_at",
                table: "images",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<string>(
                name: "completed_at",
                table: "images",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "occurred_at",
                table: "image_failures",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<string>(
                name: "results_changed_at",
                table: "datasets",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "created_at",
                table: "datasets",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<string>(
                name: "path",
                table: "datasets",
                type: "TEXT",
                maxLength: 1024,
                nullable: false,
                defaultValue: "");

            // The folder moves to path; a local dataset (named by its absolute path until now) is named after its last part.
            migrationBuilder.Sql("UPDATE datasets SET path = name");
            migrationBuilder.Sql("UPDATE datasets SET name = replace(rtrim(name, '/'), rtrim(rtrim(name, '/'), replace(rtrim(name, '/'), '/', '')), '') " +
                                 "WHERE container = 'local' AND rtrim(name, '/') LIKE '%/%'");

            migrationBuilder.CreateIndex(
                name: "IX_datasets_container_path",
                table: "datasets",
                columns: new[] { "container", "path" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_datasets_name",
                table: "datasets",
                column: "name");

            // The results view comes in the next migration: EF rebuilds the altered tables at the end of this one, and a
            // view over them would break the rebuild.
        }

        private static readonly (string Table, string Column)[] TimeColumns =
        [
            ("datasets", "created_at"), ("datasets", "results_changed_at"), ("images", "discovered_at"), ("images", "published_at"),
            ("images", "completed_at"), ("predictions", "scored_at"), ("image_failures", "occurred_at"), ("reports", "created_at"),
        ];

        /// <summary>SQL for the UTC ISO text of a binary DateTimeOffset column (ticks since 0001 less the offset, then Unix time).</summary>
        public static string BinaryToIso(string column)
        {
            var unixTicks = $"((({column} >> 11) * 1000) - (((({column} & 2047) << 53) >> 53) * 600000000) - 621355968000000000)";
            return $"strftime('%Y-%m-%dT%H:%M:%S', {unixTicks} / 10000000, 'unixepoch') || '.' || printf('%07d', {unixTicks} % 10000000) || 'Z'";
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.AlterColumn<long>(
                name: "created_at",
                table: "reports",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "scored_at",
                table: "predictions",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "published_at",
                table: "images",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "discovered_at",
                table: "images",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "completed_at",
                table: "images",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "occurred_at",
                table: "image_failures",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "results_changed_at",
                table: "datasets",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "created_at",
                table: "datasets",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.CreateIndex(
                name: "IX_datasets_container_name",
                table: "datasets",
                columns: new[] { "container", "name" },
                unique: true);
        }
    }
}
