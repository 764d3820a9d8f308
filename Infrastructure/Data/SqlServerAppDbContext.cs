using System.Text.Json.Nodes;
using Enrollment.Domain;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Enrollment.Infrastructure.Data;

public sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options)
{
    protected override string JsonColumnType => "nvarchar(max)";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // SQL Server refuses two cascade paths into one table (flows → bindings → policy bindings, and flows →
        // policy bindings; groups → stages → … and groups → policy bindings). Those links cascade in the handlers
        // that delete flows and groups instead, which do the same on every engine.
        builder.Entity<PolicyBinding>().HasOne(x => x.Flow).WithMany(f => f.PolicyBindings).HasForeignKey(x => x.FlowId).OnDelete(DeleteBehavior.ClientCascade);
        builder.Entity<PolicyBinding>().HasOne(x => x.Group).WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.ClientCascade);
        builder.Entity<PolicyBinding>().HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.ClientCascade);
        // users → invitations (created_by) → uses, and users → uses: the deleting handler forgets the user on the uses.
        builder.Entity<InvitationUse>().HasOne(u => u.User).WithMany().HasForeignKey(u => u.UserId).OnDelete(DeleteBehavior.ClientSetNull);
        builder.Entity<InvitationDelivery>().HasOne(d => d.BulkInvitation).WithMany().HasForeignKey(d => d.BulkInvitationId).OnDelete(DeleteBehavior.ClientSetNull);
        // Stages that refer to a group (a user write stage's group for new users) forget it on the client side too.
        foreach (var fk in builder.Model.FindEntityType(typeof(Stage))!.GetDerivedTypesInclusive().SelectMany(t => t.GetDeclaredForeignKeys())
                     .Where(fk => fk.PrincipalEntityType.ClrType == typeof(Group) && fk.DeleteBehavior == DeleteBehavior.SetNull).ToList())
            fk.DeleteBehavior = DeleteBehavior.ClientSetNull;
    }
}
