using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.OpenApi;

namespace Enrollment.Tests.Features.Api.Contract;

/// <summary>Our own OpenAPI document at <c>/api/v3/schema/</c>: public, and naming each operation as authentik does.</summary>
public sealed class OwnSchemaTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task The_schema_is_served_without_a_token_and_uses_authentiks_path_and_operation_ids()
    {
        using var anonymous = app.ApiClient(token: null);
        var document = await anonymous.GetJsonAsync("/api/v3/schema/");
        Assert.StartsWith("3.", (string)document["openapi"]!);
        var operations = (from path in document["paths"]!.AsObject()
                          from method in path.Value!.AsObject()
                          select (Path: path.Key, Method: method.Key, Id: (string?)method.Value!["operationId"])).ToList();
        Assert.All(operations, o => Assert.StartsWith("/api/v3/", o.Path));

        var authentik = OpenApiContract.Authentik;
        var mismatched = new List<string>();
        foreach (var (path, method, id) in operations)
        {
            var template = authentik.TemplateFor(path["/api/v3".Length..]);
            if (template is null || authentik.Operation(template, method) is not { } theirs) continue;
            if ((string?)theirs["operationId"] != id) mismatched.Add($"{method.ToUpperInvariant()} {path}: ours {id}, authentik's {theirs["operationId"]}");
        }
        Assert.True(mismatched.Count == 0, string.Join("\n", mismatched));
        var ids = operations.Select(o => o.Id).ToHashSet();
        Assert.All(ContractTourTests.Operations, id => Assert.Contains(id, ids));
    }
}
