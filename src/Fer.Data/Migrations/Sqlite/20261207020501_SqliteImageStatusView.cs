using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fer.Data.Migrations.Sqlite
{
    /// <summary>The image_status view (Migrations/ImageStatusView.cs), the same SQL as PostgreSQL's.</summary>
    public partial class SqliteImageStatusView : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Fer.Data.Migrations.ImageStatusView.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Fer.Data.Migrations.ImageStatusView.Drop);
        }
    }
}
