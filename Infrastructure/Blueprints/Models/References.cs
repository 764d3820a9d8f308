using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>Checks that referenced objects exist, so a bad pk is an error naming the field, not a foreign-key violation.</summary>
internal static class References
{
    public static async Task RequireAsync<TTarget>(WriteContext ctx, Guid id, string model) where TTarget : class
    {
        if (!await ctx.Db.Set<TTarget>().AnyAsync(x => EF.Property<Guid>(x, "Id") == id, ctx.Ct))
            throw new BlueprintException($"no {model} with pk {id}.");
    }

    public static async Task<List<TTarget>> LoadAsync<TTarget>(WriteContext ctx, List<Guid> ids, string model) where TTarget : class
    {
        var found = await ctx.Db.Set<TTarget>().Where(x => ids.Contains(EF.Property<Guid>(x, "Id"))).ToListAsync(ctx.Ct);
        var byId = found.ToDictionary(x => ctx.Db.Entry(x).Property<Guid>("Id").CurrentValue);
        var missing = ids.Where(id => !byId.ContainsKey(id)).ToList();
        if (missing.Count > 0) throw new BlueprintException($"no {model} with pk {string.Join(", ", missing)}.");
        return ids.Select(id => byId[id]).ToList();
    }
}
