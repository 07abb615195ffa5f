using System.Net.Http.Headers;

namespace Fer.IntegrationTests.Security;

/// <summary>
/// The ingest host composed exactly as its Program.cs does (service defaults, API key, endpoints), on a real socket
/// against the real services, fed malformed, oversized and unauthenticated requests. Each gets a clear 4xx and the
/// host keeps answering.
/// </summary>
public sealed class HostileHttpTests : IAsyncLifetime
{
    private const string ApiKey = "hostile-http-key";
    private readonly PostgresDatabase _database = new();
    private readonly PipelineNames _names = new("hostile-");
    private ComposedIngestHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _host = await ComposedIngestHost.StartAsync(_database.ConnectionString, _names, ApiKey,
            logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static byte[] Face() => Fer2013Images.EncodePng(Fer2013Images.ReadRows(RepoPaths.PublicTestSlice)[0].Gray48);

    private static string Hostile(string name) => Path.Combine(RepoPaths.Root, "tests", "fixtures", "hostile", name);

    private async Task<HttpResponseMessage> PostAsync(string path, HttpContent? content, bool withKey = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (withKey)
            request.Headers.Add("X-Api-Key", ApiKey);
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Every_endpoint_but_health_and_metrics_needs_the_api_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/classify", new ByteArrayContent(Face()), withKey: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync($"/datasets/{_names.Container}/any/submit", null, withKey: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.GetAsync("/no-such-route")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/metrics")).StatusCode);
        // Readiness may be 503 while a busy dependency misses the probe's 5 s timeout; it must never ask for the key.
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await Client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/classify", new ByteArrayContent(Face()))).StatusCode);
    }

    [Theory]
    [InlineData("empty", "empty file")]
    [InlineData("text", "not a decodable image")]
    [InlineData("truncated", "truncated")]
    [InlineData("bomb", "20000x20000 pixels exceeds the limit")]
    [InlineData("form", "not a decodable image")]
    public async Task Malformed_classify_bodies_get_400_with_the_reason_and_the_host_keeps_serving(string kind, string reason)
    {
        var face = Face();
        HttpContent content = kind switch
        {
            "empty" => new ByteArrayContent([]),
            "text" => new StringContent("{\"image\": \"not really\"}", System.Text.Encoding.UTF8, "application/json"),
            "truncated" => new ByteArrayContent(face[..(face.Length / 2)]),
            "bomb" => new ByteArrayContent(await File.ReadAllBytesAsync(Hostile("bomb-20000x20000.png"))),
            "form" => new MultipartFormDataContent { { new ByteArrayContent(face), "file", "face.png" } },
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var response = await PostAsync("/classify", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/classify", new ByteArrayContent(face))).StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Oversized_classify_upload_gets_413_with_or_without_a_content_length(bool declaredLength)
    {
        var body = new byte[26 * 1024 * 1024]; // over Fer:Ingest:MaxClassifyBytes (25 MiB)
        HttpContent content = declaredLength
            ? new ByteArrayContent(body)
            : new StreamContent(new MemoryStream(body)); // sent chunked: the host only learns the size by reading
        if (!declaredLength)
            content.Headers.ContentLength = null;
        var response = await PostAsync("/classify", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/classify", new ByteArrayContent(Face()))).StatusCode);
    }

    [Theory]
    [InlineData("Not_A_Valid_Container!", "some-folder", HttpStatusCode.BadRequest)]
    [InlineData("no-such-container-here", "some-folder", HttpStatusCode.NotFound)]
    [InlineData(null, "no such folder ü 😀", HttpStatusCode.NotFound)]
    // Refused by DatasetNames before storage or SQL sees them: a control character, an absolute Windows path, a
    // backslash dot-dot segment (Kestrel removes only '/'-separated ones).
    [InlineData(null, "bad%01name", HttpStatusCode.BadRequest)]
    [InlineData(null, "C%3A%5Cwindows", HttpStatusCode.BadRequest)]
    [InlineData(null, "a%5C..%5Cb", HttpStatusCode.BadRequest)]
    public async Task Submit_with_hostile_names_gets_a_clear_4xx(string? container, string folder, HttpStatusCode expected)
    {
        var path = $"/datasets/{Uri.EscapeDataString(container ?? _names.Container)}/{(folder.Contains('%') ? folder : Uri.EscapeDataString(folder))}/submit";
        var response = await PostAsync(path, null);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Dot_dot_in_a_folder_never_escapes_the_route()
    {
        // Kestrel decodes %2E%2E and removes the dot segment before routing: /datasets/{container}/submit matches nothing.
        var response = await PostAsync($"/datasets/{_names.Container}/%2E%2E/submit", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/classify", new ByteArrayContent(Face()))).StatusCode);
    }
}
