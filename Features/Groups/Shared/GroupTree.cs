using Enrollment.Infrastructure.Serialization;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Groups.Shared;

public static class GroupTree
{
    public static IEnumerable<Guid> SelfAndAncestors(IReadOnlyDictionary<Guid, Guid?> parents, Guid start)
    {
        var seen = new HashSet<Guid>();
        for (Guid? id = start; id is { } current && seen.Add(current); id = parents.GetValueOrDefault(current))
            yield return current;
    }
}
