using System.Net;

namespace Fer.Faults;

/// <summary>
/// What the deployed processes expose, checked on the real hosts: the worker answers only health and metrics; the
/// ingest host needs the API key on everything but health and metrics. Returns the checks that did not hold.
/// </summary>
public static class EndpointProbe
{
    public static async Task<IReadOnlyList<string>> CheckAsync(FaultStack stack)
    {
        var problems = new List<string>();
        async Task Expect(HostProcess host, HttpMethod method, string path, HttpStatusCode expected, bool withKey = false)
        {
            using var request = new HttpRequestMessage(method, new Uri(host.Address, path));
            if (method == HttpMethod.Post)
                request.Content = new ByteArrayContent([1, 2, 3]);
            if (withKey)
                request.Headers.Add("X-Api-Key", FaultStack.ApiKey);
            using var response = await stack.Http.SendAsync(request);
            if (response.StatusCode != expected)
                problems.Add($"{host.Name} {method} {path}: {(int)response.StatusCode}, expected {(int)expected}");
        }

        var worker = stack.Workers[0];
        foreach (var open in new[] { "/healthz", "/readyz", "/metrics" })
        {
            await Expect(worker, HttpMethod.Get, open, HttpStatusCode.OK);
            await Expect(stack.Ingest, HttpMethod.Get, open, HttpStatusCode.OK);
        }
        await Expect(worker, HttpMethod.Post, "/classify", HttpStatusCode.NotFound);
        await Expect(worker, HttpMethod.Post, $"/datasets/{stack.Container.Name}/x/submit", HttpStatusCode.NotFound);
        await Expect(stack.Ingest, HttpMethod.Post, "/classify", HttpStatusCode.Unauthorized);
        await Expect(stack.Ingest, HttpMethod.Post, $"/datasets/{stack.Container.Name}/x/submit", HttpStatusCode.Unauthorized);
        await Expect(stack.Ingest, HttpMethod.Post, "/classify", HttpStatusCode.BadRequest, withKey: true); // 3 bytes: not an image
        return problems;
    }
}
