namespace G3.Host.Tests;

/// <summary>Waiting for a test host: the runtime loads in the background, so requests wait for /readyz.</summary>
internal static class Readiness
{
    /// <summary>
    /// Returns <paramref name="client"/> once /readyz answers 200. A start that failed ends the wait at
    /// once with /readyz's reason; a start still running after 60 s times out with the last answer.
    /// </summary>
    public static async Task<HttpClient> WhenReadyAsync(this HttpClient client)
    {
        var last = "";
        for (var i = 0; i < 600; i++)
        {
            using var r = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            last = await r.Content.ReadAsStringAsync();
            if (r.IsSuccessStatusCode) return client;
            if (last.Contains("\"failed\"", StringComparison.Ordinal))
                throw new InvalidOperationException("the service failed to start: " + last);
            await Task.Delay(100);
        }
        throw new TimeoutException("the service did not become ready: " + last);
    }
}
