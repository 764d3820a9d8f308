using System.Collections.Concurrent;

namespace Enrollment.Tests.Kit.OpenApi;

/// <summary>
/// Sits in every API test client: each <c>/api/v3</c> response is checked against authentik's document for the
/// operation it answers, and a response that breaks the contract fails the request with the problems listed.
/// Paths authentik does not have (our own additions) are passed through unchecked; <see cref="Checked"/> records which
/// of authentik's operations answered with success, for the test that every implemented operation was exercised.
/// </summary>
public sealed class ContractCheckingHandler : DelegatingHandler
{
    private const string Prefix = "/api/v3";

    public static ConcurrentDictionary<string, int> Checked { get; } = new(StringComparer.Ordinal);

    /// <summary>The operations this client's requests answered with success.</summary>
    public ConcurrentDictionary<string, int> Seen { get; } = new(StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith(Prefix + "/", StringComparison.Ordinal)) return response;
        var contract = OpenApiContract.Authentik;
        var template = contract.TemplateFor(path[Prefix.Length..]);
        if (template is null || contract.Operation(template, request.Method.Method) is not { } operation) return response;

        var status = (int)response.StatusCode;
        // An error the API never saw (host filtering, the server's request limits) is the server's page, not the API's answer.
        if (status >= 400 && response.Content.Headers.ContentType?.MediaType is not "application/json") return response;
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var problems = contract.Check(template, request.Method.Method, status, response.Content.Headers.ContentType?.MediaType, body);
        if (problems.Count > 0)
            throw new ContractViolation($"{request.Method} {path} answered {status}, which breaks authentik's API contract:\n  "
                                        + string.Join("\n  ", problems) + $"\nBody: {(body.Length > 2000 ? body[..2000] + "…" : body)}");
        if (status is >= 200 and < 300)
        {
            var id = operation["operationId"]!.GetValue<string>();
            Checked.AddOrUpdate(id, 1, (_, n) => n + 1);
            Seen.AddOrUpdate(id, 1, (_, n) => n + 1);
        }
        return response;
    }
}
