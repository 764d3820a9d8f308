using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Blueprints.Shared;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Serialization;
using Mediator;
using Microsoft.AspNetCore.Http.Features;

namespace Enrollment.Features.Api.Blueprints;

/// <summary>
/// <c>POST /api/v3/managed/blueprints/import/</c> (authentik 2026.8), multipart: <c>file</c> (an uploaded blueprint)
/// or <c>path</c> (a file under the blueprints folder), and <c>context</c> (a JSON object). Applies it once, without
/// creating an instance, and answers authentik's <c>BlueprintImportResult</c> <c>{"logs": [LogEvent…], "success"}</c>
/// with 200 whether or not it succeeded (a failed import changed nothing).
/// </summary>
public static class ImportBlueprint
{
    public const string LoggerName = "enrollment.blueprints.importer";

    public sealed record Response(IReadOnlyList<LogEvent> Logs, bool Success);

    /// <summary>authentik's <c>LogEvent</c>; the entry, id, model, field and line of the engine's log are its <c>attributes</c>.</summary>
    public sealed record LogEvent(DateTime Timestamp, string LogLevel, string Logger, string Event, JsonObject Attributes)
    {
        public static LogEvent From(BlueprintLog log, DateTime at)
        {
            var attributes = new JsonObject();
            if (log.Entry is { } entry) attributes["entry"] = entry;
            if (log.Id is { } id) attributes["id"] = id;
            if (log.Model is { } model) attributes["model"] = model;
            if (log.Field is { } field) attributes["field"] = field;
            if (log.Line is { } line) attributes["line"] = line;
            return new(at, log.Level switch { BlueprintLogLevel.Error => "error", BlueprintLogLevel.Warning => "warning", _ => "info" }, LoggerName, log.Message, attributes);
        }
    }

    public static async Task<IResult> Handle(HttpContext http, ISender sender, BlueprintFiles files, TimeProvider time, CancellationToken ct)
    {
        var request = http.Request;
        if (!request.HasFormContentType) return Invalid("file", "No file was submitted. Send multipart/form-data with a 'file' or a 'path' field.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = UploadLimits.MaxRequestBytes;
        http.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = UploadLimits.MaxRequestBytes }));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            if (!e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) && !e.Message.Contains("too large", StringComparison.OrdinalIgnoreCase))
                return Invalid("file", "The multipart body cannot be read: " + e.Message);
            return Results.Json(new Dictionary<string, string[]> { ["file"] = [UploadLimits.TooLarge] }, ApiJson.Options, statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var context = StructuredText.ParseObject(form["context"].ToString());
        if (context.Error is not null) return Invalid("context", context.Error);

        string yaml;
        var file = form.Files.GetFile("file");
        var path = form["path"].ToString();
        if (file is { Length: > 0 })
        {
            if (file.Length > UploadLimits.MaxFileBytes) return Invalid("file", UploadLimits.TooLarge);
            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            yaml = await reader.ReadToEndAsync(ct);
        }
        else if (path.Length > 0)
        {
            if (!files.List().Contains(path)) return Invalid("path", "Blueprint file does not exist");
            try
            {
                if (files.ReadBlueprint(path) is not { } read) return Invalid("path", "Blueprint file does not exist");
                yaml = read.Text;
            }
            catch (BlueprintException e)
            {
                return Invalid("path", e.Message);
            }
        }
        else return Invalid("file", "No file was submitted. Send a 'file' or the 'path' of a file in the blueprints folder.");

        var result = await sender.Send(new RunBlueprint.Command(yaml, context.Value!, DryRun: false), ct);
        var at = time.GetUtcNow().UtcDateTime;
        return Results.Json(new Response(result.Logs.Select(l => LogEvent.From(l, at)).ToList(), result.Success), ApiJson.Options);
    }

    private static IResult Invalid(string field, string message) =>
        Results.Json(new Dictionary<string, string[]> { [field] = [message] }, ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);
}
