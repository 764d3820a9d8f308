using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Console;

namespace Enrollment.Infrastructure.Telemetry;

/// <summary>
/// The console logger, with the secrets that travel in links cut short: an invitation key (<c>?itoken=</c>,
/// <c>?token=</c>) or an email link's key (<c>?flow_token=</c>) in any message or value keeps its first 8
/// characters (then <c>...</c>). ASP.NET Core's own lines print query strings (request lines, redirects) at <c>Information</c>; an
/// operator who turns them on for a day must not end up with a log from which anyone can enroll. The one line that
/// exists to hand over a link, the initial set-up link at start (<see cref="InitialSetupLinkEvent"/>), is left whole.
/// </summary>
[ProviderAlias("Console")] // the same Logging:Console:* settings as the provider it wraps
public sealed partial class RedactingConsoleLoggerProvider(ConsoleLoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public static readonly EventId InitialSetupLinkEvent = new(1001, "InitialSetupLink");

    /// <summary>Swaps the console provider that <c>AddConsole</c> registered for this wrapper around it.</summary>
    public static void Replace(IServiceCollection services)
    {
        var console = services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList();
        if (console.Count == 0) return;
        foreach (var d in console) services.Remove(d);
        services.AddSingleton<ConsoleLoggerProvider>();
        services.AddSingleton<ILoggerProvider>(sp => new RedactingConsoleLoggerProvider(sp.GetRequiredService<ConsoleLoggerProvider>()));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => inner.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    /// <summary>The key's first 8 characters are enough to tell links apart in a log, and useless to open one.</summary>
    public static string Redact(string text) =>
        text.Contains("token=", StringComparison.OrdinalIgnoreCase) ? LinkKey().Replace(text, "$1$2...") : text;

    [GeneratedRegex(@"((?:^|[?&;\s])(?:itoken|token|flow_token)=)([^&#\s""']{1,8})[^&#\s""']*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LinkKey();

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            if (eventId == InitialSetupLinkEvent || !Holds(state, message))
            {
                inner.Log(logLevel, eventId, state, exception, (_, _) => message); // formatted once
                return;
            }
            var redacted = new Redacted(Redact(message), state as IReadOnlyList<KeyValuePair<string, object?>> ?? []);
            inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.ToString());
        }

        private static bool Holds<TState>(TState state, string message)
        {
            if (message.Contains("token=", StringComparison.OrdinalIgnoreCase)) return true;
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return false;
            foreach (var (_, value) in values)
                if (value is string s && s.Contains("token=", StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }
    }

    /// <summary>A log entry's message and values with link keys cut short; the JSON formatter writes both.</summary>
    private sealed class Redacted(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values = values
            .Select(v => v.Value is string s && v.Key != "{OriginalFormat}" ? new KeyValuePair<string, object?>(v.Key, Redact(s)) : v).ToArray();

        public KeyValuePair<string, object?> this[int index] => _values[index];
        public int Count => _values.Length;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => message;
    }
}
