using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Enrollment.Infrastructure.Email;

/// <summary>What became of one message of a batch.</summary>
public enum SendStatus { Sent, TransientFailure, PermanentFailure }
