using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Enrollment.Infrastructure.Email;

public sealed record SendResult(SendStatus Status, string? Error = null)
{
    public static readonly SendResult Ok = new(SendStatus.Sent);
}
