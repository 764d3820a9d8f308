using System.Text.Json;
using System.Text.Json.Serialization;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Shared;

/// <summary>
/// The v3 API's JSON: authentik's snake_case property names, enums under their wire names, nulls written out
/// (clients test <c>"parent": null</c>). Kept here rather than in the app-wide JSON options so pages are unaffected.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new WireEnumConverterFactory() },
    };

    private sealed class WireEnumConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(WireEnumConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class WireEnumConverter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Wire.TryParse<T>(reader.GetString(), out var value) ? value : throw new JsonException($"Not a valid {typeof(T).Name}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Wire.Name(value));
    }
}
