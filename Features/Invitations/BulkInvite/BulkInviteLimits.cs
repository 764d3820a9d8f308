namespace Enrollment.Features.Invitations.BulkInvite;

/// <summary>What one bulk invitation accepts. The README's "Bulk invitations" section states the same numbers.</summary>
public static class BulkInviteLimits
{
    /// <summary>Recipients (data rows, the rejected ones included) in one run.</summary>
    public const int MaxRows = 50_000;

    /// <summary>The pasted text or the uploaded file, in bytes of UTF-8.</summary>
    public const int MaxInputBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The whole request: the input plus the other fields and the framing. A browser sends the textarea URL-encoded
    /// when there is no file to upload, which can triple its size, so the request may be larger than the input;
    /// the handler then holds the decoded text to <see cref="MaxInputBytes"/>.
    /// </summary>
    public const int MaxRequestBytes = 3 * MaxInputBytes + 1024 * 1024;

    /// <summary>One value (a cell, a name) of one recipient.</summary>
    public const int MaxValueLength = 1000;

    public const int MaxColumns = 50;
    public const int MaxColumnNameLength = 100;

    public static string TooLarge => $"The list is larger than {MaxInputBytes / 1024 / 1024} MB; split it into several runs of at most {MaxInputBytes / 1024 / 1024} MB and {MaxRows:N0} rows.";
    public static string TooManyRows => $"The list has more than {MaxRows:N0} rows; split it into several runs of at most {MaxRows:N0} rows.";
}
