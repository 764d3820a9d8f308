using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.FlowPolicies;

/// <summary>Binds exactly one of a policy, a group or a user to a flow or a stage binding.</summary>
public static class BindPolicy
{
    public sealed class Command : ICommand<FormResult<Guid>?>
    {
        public Guid? PolicyId { get; set; }
        public Guid? GroupId { get; set; }
        public string? Username { get; set; }
        public bool Enabled { get; set; } = true;
        public bool Negate { get; set; }
        [Range(-100000, 100000, ErrorMessage = "Order must be a whole number between -100000 and 100000.")]
        public int Order { get; set; }
        [Range(1, 3600, ErrorMessage = "Timeout must be between 1 and 3600 seconds.")]
        public int Timeout { get; set; } = 30;
        public bool FailureResult { get; set; }
        internal string Slug { get; set; } = "";
        internal Guid? BindingId { get; set; }
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : ICommandHandler<Command, FormResult<Guid>?>
    {
        public async ValueTask<FormResult<Guid>?> Handle(Command c, CancellationToken ct)
        {
            var flowId = await db.Flows.Where(f => f.Slug == c.Slug).Select(f => (Guid?)f.Id).SingleOrDefaultAsync(ct);
            if (flowId is null) return null;
            if (c.BindingId is { } b && !await db.FlowStageBindings.AnyAsync(x => x.Id == b && x.FlowId == flowId, ct)) return null;

            var chosen = (c.PolicyId is null ? 0 : 1) + (c.GroupId is null ? 0 : 1) + (string.IsNullOrWhiteSpace(c.Username) ? 0 : 1);
            if (chosen != 1) return FormResult<Guid>.Fail("", "Choose exactly one of policy, group or user.");
            if (c.PolicyId is { } p && !await db.Policies.AnyAsync(x => x.Id == p, ct))
                return FormResult<Guid>.Fail(nameof(c.PolicyId), "That policy does not exist.");
            if (c.GroupId is { } g && !await db.Groups.AnyAsync(x => x.Id == g, ct))
                return FormResult<Guid>.Fail(nameof(c.GroupId), "That group does not exist.");
            int? userId = null;
            if (!string.IsNullOrWhiteSpace(c.Username))
            {
                userId = await db.Users.Where(u => u.UserName == c.Username.Trim()).Select(u => (int?)u.Id).SingleOrDefaultAsync(ct);
                if (userId is null) return FormResult<Guid>.Fail(nameof(c.Username), $"No user is named “{c.Username.Trim()}”.");
            }

            var binding = new PolicyBinding
            {
                FlowId = c.BindingId is null ? flowId : null, FlowStageBindingId = c.BindingId,
                PolicyId = c.PolicyId, GroupId = c.GroupId, UserId = userId,
                Enabled = c.Enabled, Negate = c.Negate, Order = c.Order, Timeout = c.Timeout, FailureResult = c.FailureResult,
            };
            db.PolicyBindings.Add(binding);
            audit.Record("model_created", AuditTrail.Model("authentik_policies", c.Slug, binding.Id, "policybinding"));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(binding.Id);
        }
    }
}
