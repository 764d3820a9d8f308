using Microsoft.AspNetCore.Mvc.Razor.RuntimeCompilation;

namespace Enrollment.Infrastructure.Email;

public static class EmailExtensions
{
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddSingleton(_ => SmtpSettings.FromConfiguration(configuration));
        services.AddSingleton(new MailPickupDirectory(Path.Combine(dataDirectory, "mail")));
        services.AddSingleton<MailSender>();
        services.AddSingleton<EmailTemplates>();
        services.AddScoped<InvitationDeliveryQueue>();
        services.AddScoped<InvitationDeliveryJob>();
        // Run-time compilation only so that admins' template files in the data directory can replace ours; every
        // page stays precompiled. The override provider goes first so that it wins over the project's file.
        services.AddRazorPages().AddRazorRuntimeCompilation(o => o.FileProviders.Insert(0, new EmailTemplateOverrides(Path.Combine(dataDirectory, "templates", "email"))));
        return services;
    }
}
