namespace Fer.ServiceDefaults.Security;

/// <summary>Endpoint metadata that lets a request through without the API key.</summary>
public sealed class ApiKeyExemptMetadata
{
    public static readonly ApiKeyExemptMetadata Instance = new();

    private ApiKeyExemptMetadata()
    {
    }
}
