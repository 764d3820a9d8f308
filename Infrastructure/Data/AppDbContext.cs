using System.Text.Json.Nodes;
using Enrollment.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// The one DbContext. Each database engine derives its own context (below) so that each keeps its own
/// migrations; application code only ever asks for <see cref="AppDbContext"/>.
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityUserContext<User, int>(options), IDataProtectionKeyContext
{
    /// <summary>The data-protection key ring on PostgreSQL and SQL Server, shared by every instance (SQLite keeps files).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Flow> Flows => Set<Flow>();
    public DbSet<FlowStageBinding> FlowStageBindings => Set<FlowStageBinding>();
    public DbSet<Stage> Stages => Set<Stage>();
    public DbSet<Prompt> Prompts => Set<Prompt>();
    public DbSet<Policy> Policies => Set<Policy>();
    public DbSet<PolicyBinding> PolicyBindings => Set<PolicyBinding>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<Token> Tokens => Set<Token>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Event> Events => Set<Event>();
    public DbSet<Brand> Brands => Set<Brand>();
    public DbSet<FlowPlan> FlowPlans => Set<FlowPlan>();
    public DbSet<InvitationDelivery> InvitationDeliveries => Set<InvitationDelivery>();
    public DbSet<InvitationUse> InvitationUses => Set<InvitationUse>();
    public DbSet<BulkInvitation> BulkInvitations => Set<BulkInvitation>();
    public DbSet<EmailVerification> EmailVerifications => Set<EmailVerification>();
    public DbSet<DefinitionStamp> DefinitionStamps => Set<DefinitionStamp>();
    public DbSet<BlueprintInstance> BlueprintInstances => Set<BlueprintInstance>();

    /// <summary>Column type for JSON documents on this engine.</summary>
    protected virtual string JsonColumnType => "TEXT";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        DefinitionStampTriggers.Declare(builder.Model);
        builder.Entity<User>().ToTable("users");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<int>>().ToTable("user_claims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<int>>().ToTable("user_logins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<int>>().ToTable("user_tokens");
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        foreach (var property in builder.Model.GetEntityTypes().SelectMany(t => t.GetDeclaredProperties()))
        {
            // snake_case columns, as authentik's, so raw SQL and check constraints read the same on every engine.
            property.SetColumnName(Wire.SnakeCase(property.Name));
            if (property.ClrType.IsEnum)
            {
                property.SetValueConverter((ValueConverter)Activator.CreateInstance(typeof(WireEnumConverter<>).MakeGenericType(property.ClrType))!);
                property.SetMaxLength(64);
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<JsonObject>().HaveConversion<JsonConverter<JsonObject>, JsonComparer<JsonObject>>().HaveColumnType(JsonColumnType);
        configuration.Properties<JsonArray>().HaveConversion<JsonConverter<JsonArray>, JsonComparer<JsonArray>>().HaveColumnType(JsonColumnType);
        configuration.Properties<DateTime>().HaveConversion<UtcConverter>();
    }

    // JSON documents (objects and arrays) are stored as text and compared by content, so in-place edits are saved.
    private sealed class JsonConverter<T>() : ValueConverter<T, string>(
        v => v.ToJsonString(null),
        v => JsonNode.Parse(v, null, default) as T ?? New())
        where T : JsonNode
    {
        private static T New() => (T)(typeof(T) == typeof(JsonArray) ? new JsonArray() : (JsonNode)new JsonObject());
    }

    private sealed class JsonComparer<T>() : ValueComparer<T>(
        (a, b) => (a == null ? null : a.ToJsonString(null)) == (b == null ? null : b.ToJsonString(null)),
        v => v == null ? 0 : v.ToJsonString(null).GetHashCode(),
        v => (T)v.DeepClone())
        where T : JsonNode;

    // Every timestamp is UTC; SQLite and SQL Server hand them back without a kind, so say so on the way in.
    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class WireEnumConverter<T>() : ValueConverter<T, string>(v => Wire.Name(v), v => Wire.Parse<T>(v))
        where T : struct, Enum;
}
