using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Web;

/// <summary>The pager partial's model: the page, and how to build a link to another page of the same search.</summary>
public sealed record PagerModel(int Page, int Pages, int Total, Func<int, string> LinkTo);
