namespace Enrollment.Tests.Kit.Browser;

/// <summary>
/// The browser tests share one xunit collection so they run one after another: a Chromium and a Kestrel app per
/// test class would otherwise compete for the two cores with each other. Each class still gets its own
/// <see cref="BrowserFixture"/> (<c>IClassFixture&lt;BrowserFixture&gt;</c>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}
