using Microsoft.AspNetCore.Mvc.Razor.RuntimeCompilation;

namespace Enrollment.Infrastructure.Email;

public static class EmailExtensions
{
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddSingleton(_ => SmtpSettings.FromConfiguration(configuration));
        services.AddSingleton(DeliverySettings.FromConfiguration(configuration)); // read now: a bad schedule stops the start
        services.AddSingleton(new MailPickupDirectory(Path.Combine(dataDirectory, "mail")));
        services.AddSingleton<MailSender>();
        services.AddSingleton<EmailTemplates>();
        services.AddScoped<InvitationDeliveryQueue>();
        services.AddScoped<InvitationDeliveryJob>();
        // Run-time compilation only so that admins' template files in the data directory can replace ours; every
        // page stays precompiled. The override provider goes first so that it wins over the project's file.
        // Only the overrides folder is watched (by polling, not inotify: test runs start hundreds of hosts and the
        // per-user inotify limit is 128); without the content root here, pages and our own templates stay precompiled.
        services.AddRazorPages().AddRazorRuntimeCompilation(o =>
        {
            o.FileProviders.Clear();
            o.FileProviders.Add(new EmailTemplateOverrides(Path.Combine(dataDirectory, "templates", "email")));
        });
        return services;
    }
}
