using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Stages.Shared;

/// <summary>What a stage form offers to choose from; only the lists its kind needs are loaded.</summary>
public sealed record StageOptions(IReadOnlyList<StageOptions.PromptChoice> Prompts, IReadOnlyList<StageOptions.Choice> Policies, IReadOnlyList<StageOptions.Choice> Groups)
{
    public sealed record PromptChoice(Guid Id, string Name, string FieldKey, PromptType Type);
    public sealed record Choice(Guid Id, string Name);

    internal static async Task<StageOptions> LoadAsync(AppDbContext db, StageKind kind, CancellationToken ct) => kind switch
    {
        StageKind.Prompt => new(
            await db.Prompts.AsNoTracking().OrderBy(p => p.Order).ThenBy(p => p.Name)
                .Select(p => new PromptChoice(p.Id, p.Name, p.FieldKey, p.Type)).ToListAsync(ct),
            await db.Policies.AsNoTracking().OrderBy(p => p.Name).Select(p => new Choice(p.Id, p.Name)).ToListAsync(ct),
            []),
        StageKind.UserWrite => new([], [],
            await db.Groups.AsNoTracking().OrderBy(g => g.Name).Select(g => new Choice(g.Id, g.Name)).ToListAsync(ct)),
        _ => new([], [], []),
    };
}

/// <summary>What the shared fields partial needs from the create and edit pages.</summary>
public interface IStageFormPage
{
    StageKind Kind { get; }
    StageForm Input { get; }
    StageOptions Options { get; }
}
