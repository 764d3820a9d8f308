using Enrollment.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Enrollment.Features.FlowExecution.RunFlowStep;

/// <summary>
/// Opening a link a stage sent out of the flow (<see cref="IFlowLink"/>: the email stage's <c>?flow_token=</c>) and
/// confirming it take a permit of <c>RateLimits:EmailLink</c>, on top of the flow's own limit. A filter, not the
/// middleware: the confirmation carries its token in the posted form, read only by now.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class FlowLinkRateLimitAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var keys = http.RequestServices.GetServices<IFlowLink>().Select(l => l.Key).ToList();
        var carriesLink = keys.Any(request.Query.ContainsKey)
                          || (HttpMethods.IsPost(request.Method) && request.HasFormContentType && (await request.ReadFormAsync(http.RequestAborted)).Keys.Any(keys.Contains));
        if (carriesLink)
        {
            using var lease = http.RequestServices.GetRequiredService<RateLimitGate>().EmailLink(http);
            if (!lease.IsAcquired)
            {
                await TooManyRequests.RejectAsync(http, lease, http.RequestAborted);
                context.Result = new StatusCodeResult(StatusCodes.Status429TooManyRequests);
                return;
            }
        }
        await next();
    }
}
