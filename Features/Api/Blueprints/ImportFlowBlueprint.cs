using System.Text;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Blueprints.Shared;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Serialization;
using Mediator;
using Microsoft.AspNetCore.Http.Features;

namespace Enrollment.Features.Api.Blueprints;

/// <summary>
/// <c>POST /api/v3/flows/instances/import/</c> (multipart: <c>file</c>, optional <c>context</c> as a JSON object):
/// authentik's flow import. Like authentik it answers 200 with <c>{"success", "logs"}</c> whether or not the import
/// succeeded (a failed import changed nothing); a missing or oversized file is a 400/413 in DRF's field shape.
/// </summary>
public static class ImportFlowBlueprint
{
    public sealed record Response(bool Success, IReadOnlyList<LogJson> Logs);

    /// <summary>authentik's LogEventSerializer fields, with the entry position, id, model, field and line of Enrollment's log.</summary>
    public sealed record LogJson(string LogLevel, string Event, int? Entry, string? Id, string? Model, string? Field, int? Line)
    {
        public static LogJson From(BlueprintLog log) => new(
            log.Level switch { BlueprintLogLevel.Error => "error", BlueprintLogLevel.Warning => "warning", _ => "info" },
            log.Message, log.Entry, log.Id, log.Model, log.Field, log.Line);
    }

    public static async Task<IResult> Handle(HttpContext http, ISender sender, CancellationToken ct)
    {
        var request = http.Request;
        if (!request.HasFormContentType) return Invalid("file", "No file was submitted. Send multipart/form-data with a 'file' field.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = UploadLimits.MaxRequestBytes;
        http.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = UploadLimits.MaxRequestBytes }));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return Results.Json(new Dictionary<string, string[]> { ["file"] = [UploadLimits.TooLarge] }, ApiJson.Options, statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0) return Invalid("file", "No file was submitted.");
        if (file.Length > UploadLimits.MaxFileBytes) return Invalid("file", UploadLimits.TooLarge);
        var context = StructuredText.ParseObject(form["context"].ToString());
        if (context.Error is not null) return Invalid("context", context.Error);

        string yaml;
        using (var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            yaml = await reader.ReadToEndAsync(ct);
        var result = await sender.Send(new RunBlueprint.Command(yaml, context.Value!, DryRun: false), ct);
        return Results.Json(new Response(result.Success, result.Logs.Select(LogJson.From).ToList()), ApiJson.Options);
    }

    private static IResult Invalid(string field, string message) =>
        Results.Json(new Dictionary<string, string[]> { [field] = [message] }, ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);
}
