using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Enrollment.Infrastructure.Jobs;

/// <summary>
/// Hangfire keeps its log provider in a static. Pointing it at one host's LoggerFactory breaks the next host in the
/// same process once the first is disposed (tests start many hosts); this provider lives as long as the process.
/// </summary>
internal sealed class HangfireLogging : ILogProvider
{
    private static readonly ILoggerFactory Factory = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(MsLevel.Warning));

    public ILog GetLogger(string name) => new ForwardingLog(Factory.CreateLogger(name));

    private sealed class ForwardingLog(Microsoft.Extensions.Logging.ILogger logger) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = logLevel switch
            {
                HangfireLevel.Trace => MsLevel.Trace,
                HangfireLevel.Debug => MsLevel.Debug,
                HangfireLevel.Info => MsLevel.Information,
                HangfireLevel.Warn => MsLevel.Warning,
                HangfireLevel.Error => MsLevel.Error,
                _ => MsLevel.Critical,
            };
            if (messageFunc is null) return logger.IsEnabled(level);
            logger.Log(level, exception, "{Message}", messageFunc());
            return true;
        }
    }
}
