using System.Net;
using QRCoder;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// The invitation link as a QR code, rendered on the server as inline SVG: no script, no <c>style</c> attribute,
/// so it passes the content security policy. Sized by its viewBox; the page's CSS sets the displayed size.
/// </summary>
public static class InvitationQrCode
{
    public const string Label = "QR code of the invitation link";

    public static string Svg(string link)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(link, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        // The library's output is markup it built from bits, not from the link's text; only the label is ours.
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException("QRCoder returned no <svg> element.");
        svg = svg[start..];
        return "<svg class=\"qr-code\" role=\"img\" aria-label=\"" + WebUtility.HtmlEncode(Label) + "\"" + svg[4..];
    }
}
