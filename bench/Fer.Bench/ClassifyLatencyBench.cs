using System.Diagnostics;

namespace Fer.Bench;

/// <summary>Sequential single-image POST /classify against a running ingest host: latency percentiles as the client sees them.</summary>
public static class ClassifyLatencyBench
{
    public sealed record Result(int Requests, double P50Ms, double P99Ms, double MaxMs, double MeanMs);

    public static async Task<Result> RunAsync(HttpClient http, Uri ingest, BenchImages images, int requests)
    {
        var url = new Uri(ingest, "/classify");
        for (var i = 0; i < 20; i++)
            await PostAsync(http, url, images.Png(i));
        var latencies = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await PostAsync(http, url, images.Png(i));
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(latencies);
        return new Result(requests, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], latencies.Average());
    }

    private static async Task PostAsync(HttpClient http, Uri url, byte[] png)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(png) };
        request.Headers.Add("X-Api-Key", DistributedBench.ApiKey);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"/classify answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await response.Content.ReadAsByteArrayAsync();
    }

    // Nearest-rank percentile of sorted values.
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
