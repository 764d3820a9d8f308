using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Enrollment.Infrastructure.Passwords;

/// <summary>
/// Have I Been Pwned's Pwned Passwords by k-anonymity: only the first five hex digits of the password's SHA-1 leave the
/// server (<c>GET {HibpBaseUrl}/range/ABCDE</c>, with <c>Add-Padding: true</c> so the answer's size tells nothing
/// either); the answer lists <c>SUFFIX:COUNT</c> lines, and the password's own suffix is looked up here. When the
/// service cannot be reached, answers an error or takes longer than <see cref="PasswordSettings.HibpTimeout"/>, the
/// answer is null: the caller skips the check (a warning is logged) rather than block an enrollment.
/// </summary>
public sealed class PwnedPasswords(HttpClient http, IOptions<PasswordSettings> settings, ILogger<PwnedPasswords> log)
{
    /// <summary>How often the password appears in the breach corpus (0: not at all); null when the service did not answer.</summary>
    public async Task<int?> CountAsync(string password, CancellationToken ct)
    {
        var hash = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
        var (prefix, suffix) = (hash[..5], hash[5..]);
        var url = settings.Value.HibpBaseUrl.TrimEnd('/') + "/range/" + prefix;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Value.HibpTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Add-Padding", "true");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                log.LogWarning("Have I Been Pwned answered {Status} for a range look-up; the breach check was skipped", (int)response.StatusCode);
                return null;
            }
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return CountIn(body, suffix);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning("Have I Been Pwned could not be reached ({Error}); the breach check was skipped", e is OperationCanceledException ? "timed out" : e.Message);
            return null;
        }
    }

    /// <summary>The count on the line of <paramref name="suffix"/>; padding lines (count 0) and other suffixes do not count.</summary>
    private static int CountIn(string body, string suffix)
    {
        foreach (var line in body.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || !line.AsSpan(0, colon).Trim().Equals(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            return int.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
        }
        return 0;
    }
}
