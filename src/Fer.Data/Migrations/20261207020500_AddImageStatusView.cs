using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fer.Data.Migrations
{
    /// <summary>The image_status view (Migrations/ImageStatusView.cs): every image with its state spelt out.</summary>
    public partial class AddImageStatusView : Migration
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
