using Fer.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fer.Data;

/// <summary>PostgreSQL in distributed mode, SQLite in embedded mode; snake_case names so hand-written SQL reads naturally.</summary>
public class FerDbContext : DbContext
{
    public FerDbContext(DbContextOptions<FerDbContext> options) : base(options)
    {
        ConstructionOptions = options;
    }

    /// <summary>For <see cref="FerSqliteDbContext"/>: the same model under its own type, so each provider has its own migrations.</summary>
    protected FerDbContext(DbContextOptions options) : base(options)
    {
        ConstructionOptions = options;
    }

    /// <summary>
    /// The options this context was made with. Unlike <c>Database</c>, reading them does not start EF Core's services,
    /// whose first use builds the model (a few tenths of a second on one core at every `fer run` start).
    /// </summary>
    internal DbContextOptions ConstructionOptions { get; }

    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<ImageRecord> Images => Set<ImageRecord>();
    public DbSet<Prediction> Predictions => Set<Prediction>();
    public DbSet<ImageFailure> ImageFailures => Set<ImageFailure>();
    public DbSet<Report> Reports => Set<Report>();

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite has no time type. ISO-8601 UTC text of fixed width ("2026-12-04T16:26:21.1234567Z") reads as a time in
        // sqlite3, works with its date functions, and sorts and compares as text in time order, which is what EF's
        // translation of ORDER BY and < on the converted column relies on. PostgreSQL keeps timestamptz.
        if (Database.IsSqlite())
        {
            conventions.Properties<DateTimeOffset>().HaveConversion<IsoUtcTextConverter>();
            conventions.Properties<DateTimeOffset?>().HaveConversion<IsoUtcTextConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Dataset>(e =>
        {
            e.ToTable("datasets");
            // The folder identifies a dataset; its name is what people call it, and two folders may share one
            // (/data/a/samples and /data/b/samples): `fer report` then asks which (DatasetLookup).
            e.HasIndex(d => new { d.Container, d.Path }).IsUnique();
            e.HasIndex(d => d.Name);
            e.Property(d => d.Name).HasMaxLength(1024);
            e.Property(d => d.Path).HasMaxLength(1024);
            e.Property(d => d.Container).HasMaxLength(63);
        });
        model.Entity<ImageRecord>(e =>
        {
            e.ToTable("images");
            e.HasIndex(i => new { i.DatasetId, i.Path }).IsUnique();
            e.HasIndex(i => new { i.State, i.PublishedAt });
            e.Property(i => i.Path).HasMaxLength(2048);
            e.Property(i => i.ETag).HasMaxLength(128);
            e.Property(i => i.FailureReason).HasMaxLength(2048);
            e.Ignore(i => i.LargestFace);
            e.HasOne(i => i.Dataset).WithMany(d => d.Images).HasForeignKey(i => i.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Prediction>(ConfigurePredictions);
        model.Entity<ImageFailure>(e =>
        {
            e.ToTable("image_failures");
            e.HasIndex(f => f.ImageId);
            e.Property(f => f.Reason).HasMaxLength(2048);
        });
        model.Entity<Report>(e =>
        {
            e.ToTable("reports");
            e.HasIndex(r => new { r.DatasetId, r.CreatedAt });
        });

        foreach (var entity in model.Model.GetEntityTypes())
            foreach (var property in entity.GetProperties())
                property.SetColumnName(ToSnakeCase(property.Name));
    }

    private static void ConfigurePredictions(EntityTypeBuilder<Prediction> e)
    {
        e.ToTable("predictions");
        e.HasKey(p => new { p.ImageId, p.FaceIndex });
        e.HasOne(p => p.Image).WithMany(i => i.Predictions).HasForeignKey(p => p.ImageId).OnDelete(DeleteBehavior.Cascade);
        e.Property(p => p.ModelName).HasMaxLength(128);
        e.Property(p => p.ModelSha256).HasMaxLength(64);
        e.Property(p => p.WorkerId).HasMaxLength(128);
        e.HasIndex(p => p.PredictedLabel);
        // Value objects in C#, the same flat columns in SQL (box_x .., angry .., download_ms ..).
        e.ComplexProperty(p => p.Box, box =>
        {
            box.Property(b => b.X).HasColumnName("box_x");
            box.Property(b => b.Y).HasColumnName("box_y");
            box.Property(b => b.Width).HasColumnName("box_width");
            box.Property(b => b.Height).HasColumnName("box_height");
        });
        e.ComplexProperty(p => p.Scores, NameColumnsInSnakeCase);
        e.ComplexProperty(p => p.Timings, NameColumnsInSnakeCase);
    }

    private static void NameColumnsInSnakeCase(ComplexPropertyBuilder complex)
    {
        foreach (var property in complex.Metadata.ComplexType.GetProperties())
            property.SetColumnName(ToSnakeCase(property.Name));
    }

    private static string ToSnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
