namespace Enrollment.Features.Api.Brands;

/// <summary>authentik's <c>Brand</c> serializer, the fields Enrollment has (the others are optional in the schema).</summary>
public sealed record BrandJson(Guid BrandUuid, string Domain, bool Default, string BrandingTitle)
{
    public static BrandJson Of(Domain.Brand b) => new(b.Id, b.Domain, b.Default, b.BrandingTitle);
}
