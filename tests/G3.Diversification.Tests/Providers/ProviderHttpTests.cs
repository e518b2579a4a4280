using System.Net;
using G3.Diversification.Providers;

namespace G3.Diversification.Tests.Providers;

/// <summary>
/// The providers' HttpClient (Microsoft.Extensions.Http.Resilience at the transport): a connection that could not be
/// made is retried at once, below the provider pipeline; every other fault goes up untouched, for that pipeline to judge.
/// </summary>
public sealed class ProviderHttpTests
{
    /// <summary>The network: answers each call from a script and counts the calls.</summary>
    private sealed class ScriptedNetwork(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var answer = answers[Math.Min(Calls, answers.Length - 1)];
            Calls++;
            return Task.FromResult(answer());
        }
    }

    private static Func<HttpResponseMessage> Refused => () => throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused");
    private static Func<HttpResponseMessage> Ok => () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };

    private static HttpClient Client(HttpMessageHandler network) =>
        ProviderHttp.Create("p", new Uri("http://127.0.0.1:9/"), TimeProvider.System, network);

    [Fact]
    public async Task A_connection_that_could_not_be_made_is_tried_again_at_once()
    {
        var network = new ScriptedNetwork(Refused, Ok);
        using var client = Client(network);

        using var response = await client.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, network.Calls);
    }

    [Fact]
    public async Task A_connection_that_never_comes_is_given_up_after_two_more_tries()
    {
        var network = new ScriptedNetwork(Refused);
        using var client = Client(network);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), new StringContent("{}")));

        Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);
        Assert.Equal(3, network.Calls);
    }

    [Fact]
    public async Task Other_faults_are_not_retried_here()
    {
        // A response that broke off after the request was sent: repeating a POST is the provider pipeline's call, not the transport's.
        var broken = new ScriptedNetwork(() => throw new HttpRequestException(HttpRequestError.ResponseEnded, "the response ended early"), Ok);
        using (var client = Client(broken))
            await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), new StringContent("{}")));
        Assert.Equal(1, broken.Calls);

        // An error status becomes the provider's exception, with the status, after one call.
        var failing = new ScriptedNetwork(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{\"error\":{\"message\":\"overloaded\"}}") }, Ok);
        using (var client = Client(failing))
        {
            var e = await Assert.ThrowsAsync<LmmProviderException>(() => client.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), new StringContent("{}")));
            Assert.True(e.IsTransient);
            Assert.Contains("overloaded", e.Message, StringComparison.Ordinal);
        }
        Assert.Equal(1, failing.Calls);
    }
}
