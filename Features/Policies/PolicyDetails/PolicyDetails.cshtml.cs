using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Policies.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Python;
using Enrollment.Infrastructure.Serialization;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.FlowExecution.Policies;

namespace Enrollment.Features.Policies.PolicyDetails;

/// <summary>A policy's page: what it is, where it is used, and the Test action (a user and a context in, the result out).</summary>
public sealed class PolicyDetails(ISender sender) : PageModel
{
    /// <summary>As long as a binding's default timeout: a test should behave as the policy would in a flow.</summary>
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public TestCommand Test { get; set; } = new();
    public Details Data { get; private set; } = null!;
    public TestOutcome? Outcome { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var data = await sender.Send(new Query(Id));
        if (data is null) return NotFound();
        Data = data;
        return Page();
    }

    /// <summary>Runs the test; htmx gets only <c>_TestPanel</c>, everyone else the page with the panel filled in.</summary>
    public async Task<IActionResult> OnPostTestAsync()
    {
        var data = await sender.Send(new Query(Id));
        if (data is null || !PolicyKinds.Testable(data.Kind)) return NotFound();
        Data = data;
        if (ModelState.IsValid)
        {
            Test.PolicyId = Id;
            var result = await sender.Send(Test);
            if (result is null) return NotFound();
            if (result.Succeeded) Outcome = result.Value;
            else ModelState.AddErrors(result.Errors, nameof(Test));
        }
        // A plain form post with bad input is a 422 (the page shows why); htmx 2 swaps only 2xx, so it gets 200.
        if (!ModelState.IsValid && !Request.WantsFragment()) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return this.PageOrPartial("_TestPanel", this);
    }

    public sealed record Query(Guid Id) : IQuery<Details?>;

    /// <param name="Expression">An expression policy's Python (null for other kinds).</param>
    /// <param name="Password">A password policy's settings (null for other kinds).</param>
    public sealed record Details(string Name, string Kind, string? Expression, PasswordPolicy? Password, bool ExecutionLogging, PolicyUsage Usage);

    /// <summary>What a test run showed, for whom it ran.</summary>
    public sealed record TestOutcome(string RanAs, ExpressionResult Result)
    {
        public string ValueText => Result.Value?.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) ?? "null";
    }

    public sealed class TestCommand : ICommand<FormResult<TestOutcome>?>
    {
        internal Guid PolicyId { get; set; }

        /// <summary>Empty: the test runs as an anonymous visitor, as an invitee does before signing in.</summary>
        [StringLength(150)]
        public string? Username { get; set; }

        /// <summary>The flow context as JSON or YAML, e.g. <c>invitation_in_effect: true</c>.</summary>
        [StringLength(100_000)]
        public string? Context { get; set; }
    }

    internal sealed class Handler(AppDbContext db, PolicyInput inputs, PythonExpressions python)
        : IQueryHandler<Query, Details?>, ICommandHandler<TestCommand, FormResult<TestOutcome>?>
    {
        public async ValueTask<Details?> Handle(Query query, CancellationToken ct)
        {
            var found = await db.Policies.AsNoTracking().Where(p => p.Id == query.Id)
                .Select(p => new { Policy = p, Kind = EF.Property<string>(p, "kind") }).SingleOrDefaultAsync(ct);
            if (found is null) return null;
            var policy = found.Policy;
            return new Details(policy.Name, found.Kind, (policy as ExpressionPolicy)?.Expression, policy as PasswordPolicy, policy.ExecutionLogging,
                await PolicyUsage.LoadAsync(db, query.Id, ct));
        }

        public async ValueTask<FormResult<TestOutcome>?> Handle(TestCommand command, CancellationToken ct)
        {
            var expression = await db.Policies.OfType<ExpressionPolicy>().AsNoTracking().Where(p => p.Id == command.PolicyId)
                .Select(p => p.Expression).SingleOrDefaultAsync(ct);
            if (expression is null) return null;

            var errors = new List<FieldError>();
            var context = StructuredText.ParseObject(command.Context);
            if (context.Error is not null) errors.Add(new(nameof(TestCommand.Context), context.Error));
            int? userId = null;
            var username = command.Username?.Trim();
            if (!string.IsNullOrEmpty(username))
            {
                userId = await db.Users.Where(u => u.UserName == username).Select(u => (int?)u.Id).SingleOrDefaultAsync(ct);
                if (userId is null) errors.Add(new(nameof(TestCommand.Username), $"No user is named “{username}”."));
            }
            if (errors.Count > 0) return FormResult<TestOutcome>.Fail(errors);

            var input = await inputs.BuildAsync(userId, context.Value!, ct);
            var result = await python.EvaluateAsync(expression, input, TestTimeout, inputs.LookupUser, ct);
            return FormResult<TestOutcome>.Ok(new TestOutcome(userId is null ? "AnonymousUser" : username!, result));
        }
    }
}
