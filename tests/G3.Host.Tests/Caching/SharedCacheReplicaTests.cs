using System.Text.Json;

namespace G3.Host.Tests.Caching;

/// <summary>
/// Three replicas, one real redis-server (tests start it on a free loopback port and stop it by pid) and one LMM stub:
/// what one replica paid for, the others reuse; a follow-up may land on any replica; the cache server may die and come
/// back without a request failing.
/// </summary>
public sealed class SharedCacheReplicaTests(ServiceFixture files) : IClassFixture<ServiceFixture>
{
    [FactRequiringRedis]
    public async Task Each_prompt_photo_and_sample_reaches_the_stub_once_across_three_replicas()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var stub = await CountingLmmStub.StartAsync();
        await using var replicas = await ReplicaSet.StartAsync(files, stub, redis.ConnectionString);

        const int photos = 6;
        await Task.WhenAll(Enumerable.Range(0, photos).Select(async p =>
        {
            // Half the photos go to every replica in turn, the other half to all three at once (the replicas' lease).
            if (p % 2 == 0)
                for (var r = 0; r < 3; r++) await AnswersAsync(replicas.Hosts[(p + r) % 3], p);
            else
                await Task.WhenAll(replicas.Hosts.Select(host => AnswersAsync(host, p)));
        }));

        var asked = stub.Geolocations;
        Assert.NotEmpty(asked);
        Assert.Equal(0, asked.Count % photos); // K prompts per photo
        Assert.All(asked.GroupBy(a => a.Messages), g =>
        {
            Assert.Single(g);               // one request for this (prompt, photo) across the three replicas
            Assert.Equal(2, g.Single().Samples); // for all N samples, once
        });
        Assert.True(await redis.KeyCountAsync() >= asked.Count, "the answers are on the shared server");
    }

    [Fact]
    public async Task Without_a_shared_server_each_replica_pays_for_the_same_photo_again()
    {
        // The control for the test above: per-replica disk caches, the same traffic, and every request reaches the stub three times.
        await using var stub = await CountingLmmStub.StartAsync();
        await using var replicas = await ReplicaSet.StartAsync(files, stub, redis: null);

        for (var r = 0; r < 3; r++)
            Assert.Equal(200, (await ReplicaSet.ChatAsync(replicas.Hosts[r], ReplicaSet.Photo(7))).Status);

        Assert.NotEmpty(stub.Geolocations);
        Assert.All(stub.Geolocations.GroupBy(a => a.Messages), g => Assert.Equal(3, g.Count()));
    }

    [FactRequiringRedis]
    public async Task A_follow_up_on_another_replica_is_answered_from_the_shared_result_without_geolocating_again()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var stub = await CountingLmmStub.StartAsync();
        await using var replicas = await ReplicaSet.StartAsync(files, stub, redis.ConnectionString, count: 2);

        var (first, placed) = await ReplicaSet.ChatAsync(replicas.Hosts[0], ReplicaSet.Photo(20));
        Assert.Equal(200, first);
        var geolocations = stub.Geolocations.Count;
        Assert.True(geolocations > 0);

        var (status, answer) = await ReplicaSet.ChatAsync(replicas.Hosts[1], ReplicaSet.Photo(20), followUp: "Which country?");

        Assert.Equal(200, status);
        Assert.Equal(geolocations, stub.Geolocations.Count); // replica B did not geolocate the photo again
        Assert.Equal(1, stub.FollowUps);                      // it asked the follow-up, with A's result as context
        Assert.Equal("From the G3 result: France.", Content(answer));
        Assert.Equal(Point(placed), Point(answer));           // and reports A's placement
    }

    [FactRequiringRedis]
    public async Task Killed_mid_run_every_request_still_answers_and_after_a_restart_the_replicas_share_again()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var stub = await CountingLmmStub.StartAsync();
        await using var replicas = await ReplicaSet.StartAsync(files, stub, redis.ConnectionString);
        var hosts = replicas.Hosts;

        for (var p = 30; p < 32; p++)
            foreach (var host in hosts)
                Assert.Equal(200, (await ReplicaSet.ChatAsync(host, ReplicaSet.Photo(p))).Status);

        await redis.KillAsync();

        // Seen photos (L1 on the replica that stored them, fresh calls elsewhere) and new photos: all answer, none is a 500.
        foreach (var p in new[] { 30, 31, 32, 33 })
            foreach (var host in hosts)
            {
                var (status, body) = await ReplicaSet.ChatAsync(host, ReplicaSet.Photo(p));
                Assert.True(status == 200, $"photo {p} with the cache server down: {status} {body}");
            }
        foreach (var host in hosts)
        {
            var (status, ready) = await host.ReadyzAsync();
            Assert.Equal(200, status); // optional: the service stays ready
            Assert.False(ready.GetProperty("cache").GetProperty("up").GetBoolean(), ready.ToString());
        }

        await redis.RestartAsync();
        // Warm-up traffic until every replica has talked to the new server (the client reconnects in the background).
        var warmUp = 100;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            while (!await AllUpAsync(hosts))
            {
                foreach (var host in hosts) Assert.Equal(200, (await ReplicaSet.ChatAsync(host, ReplicaSet.Photo(warmUp))).Status);
                warmUp++;
                await Task.Delay(100, timeout.Token);
            }

        var before = stub.Geolocations.Count;
        Assert.Equal(200, (await ReplicaSet.ChatAsync(hosts[0], ReplicaSet.Photo(40))).Status);
        var paid = stub.Geolocations.Count;
        Assert.True(paid > before);
        Assert.Equal(200, (await ReplicaSet.ChatAsync(hosts[1], ReplicaSet.Photo(40))).Status);
        Assert.Equal(200, (await ReplicaSet.ChatAsync(hosts[2], ReplicaSet.Photo(40))).Status);
        Assert.Equal(paid, stub.Geolocations.Count); // written after the restart by one replica, seen by the others
    }

    private static async Task AnswersAsync(Outages.OutageServiceHost host, int photo)
    {
        var (status, body) = await ReplicaSet.ChatAsync(host, ReplicaSet.Photo(photo));
        Assert.True(status == 200, $"photo {photo} on {host.BaseAddress}: {status} {body}");
    }

    private static async Task<bool> AllUpAsync(IEnumerable<Outages.OutageServiceHost> hosts)
    {
        foreach (var host in hosts)
            if (!(await host.ReadyzAsync()).Body.GetProperty("cache").GetProperty("up").GetBoolean()) return false;
        return true;
    }

    private static string? Content(JsonElement completion) =>
        completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();

    /// <summary>Where the result placed the photo and from which candidates: equal only for the same stored result.</summary>
    private static string Point(JsonElement completion)
    {
        var g3 = completion.GetProperty("g3");
        return $"{g3.GetProperty("latitude")} {g3.GetProperty("longitude")} {g3.GetProperty("candidates").GetRawText()}";
    }
}
