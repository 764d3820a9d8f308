using Enrollment.Domain;

namespace Enrollment.Tests.Infrastructure;

/// <summary>Small builders for the data tests arrange directly in the database.</summary>
public static class Arrange
{
    public static async Task<Flow> FlowAsync(this EnrollmentApp app, string slug, FlowDesignation designation = FlowDesignation.Enrollment, bool withInvitationStage = false)
    {
        var flow = new Flow { Name = $"Flow {slug}", Slug = slug, Title = $"Title of {slug}", Designation = designation };
        await app.DbAsync(async db =>
        {
            db.Flows.Add(flow);
            if (withInvitationStage)
                db.FlowStageBindings.Add(new FlowStageBinding { Flow = flow, Stage = new InvitationStage { Name = $"{slug}-invitation" }, Order = 10 });
            await db.SaveChangesAsync();
        });
        return flow;
    }
}
