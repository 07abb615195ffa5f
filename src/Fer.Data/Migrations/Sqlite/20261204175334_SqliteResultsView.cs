using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fer.Data.Migrations.Sqlite
{
    /// <summary>The results view (Migrations/ResultsView.cs), the same SQL as PostgreSQL's.</summary>
    public partial class SqliteResultsView : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Fer.Data.Migrations.ResultsView.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Fer.Data.Migrations.ResultsView.Drop);
        }
    }
}
