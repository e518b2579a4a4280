using G3.Core.Usage;
using G3.Diversification.Caching;
using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Generation;

/// <summary>
/// Runs one generation request along a provider chain inside its time budget (docs/lmm.md draws the timeline):
/// <list type="bullet">
/// <item>the primary starts at once; the k-th fallback starts beside the ones running when they have no valid answer
/// k × HandoverAfter × budget into the request, or at once when every provider started before it has finished
/// without one;</item>
/// <item>every call runs under the request's deadline (<see cref="LmmDeadline"/>), so each attempt's timeout is the
/// provider's own or the time left, whichever is shorter, and nothing is retried past it;</item>
/// <item>the first provider whose answers hold a valid coordinate wins; the others are cancelled, every call of
/// theirs with them;</item>
/// <item>a provider's N samples are its own calls (one call with <c>n</c>, or N calls): a failed call costs only its
/// samples.</item>
/// <item>every call that comes back is recorded with the tokens its provider reported, whether its answers win or not
/// (each was billed).</item>
/// </list>
/// </summary>
internal sealed class ProviderChain(ResponseCache cache, LmmChainContext context)
{
    /// <summary>The winner's answers, or (no provider gave a valid one) the first provider in chain order that gave any, else the primary's failures.</summary>
    public async Task<ProviderAnswers> RunAsync(IReadOnlyList<ProviderRequest> chain, IReadOnlyList<int> samples, TimeSpan budget, LmmCallLog? log,
        CancellationToken cancellationToken)
    {
        var time = context.Time;
        var started = time.GetUtcNow();
        var deadline = started + budget;
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stage = new CancellationTokenSource(budget, time);
        using var calls = CancellationTokenSource.CreateLinkedTokenSource(race.Token, stage.Token);
        using var scope = LmmDeadline.Enter(deadline);

        var running = new List<Task<ProviderAnswers>>();
        var finished = new List<ProviderAnswers>();
        for (var i = 0; i < chain.Count; i++)
        {
            running.Add(AskAsync(chain[i], samples, log, calls.Token));
            if (i == chain.Count - 1)
                break;
            var handoverAt = started + budget * (context.Budget.HandoverAfter * (i + 1));
            using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(calls.Token);
            var handover = Task.Delay(Max(handoverAt - time.GetUtcNow(), TimeSpan.Zero), time, stopWaiting.Token);
            while (running.Count > 0)
            {
                var done = await Task.WhenAny([.. running, handover]).ConfigureAwait(false);
                if (done == handover)
                    break;
                var answers = await Finish(running, (Task<ProviderAnswers>)done).ConfigureAwait(false);
                if (answers.HasValid)
                    return await WinAsync(answers, running, race).ConfigureAwait(false);
                finished.Add(answers);
            }
            await stopWaiting.CancelAsync().ConfigureAwait(false);
        }
        while (running.Count > 0)
        {
            var answers = await Finish(running, await Task.WhenAny(running).ConfigureAwait(false)).ConfigureAwait(false);
            if (answers.HasValid)
                return await WinAsync(answers, running, race).ConfigureAwait(false);
            finished.Add(answers);
        }
        cancellationToken.ThrowIfCancellationRequested();
        var byChain = finished.OrderBy(a => IndexOf(chain, a.Request)).ToList();
        return byChain.FirstOrDefault(a => a.Texts.Count > 0) ?? byChain[0];
    }

    private static async Task<ProviderAnswers> Finish(List<Task<ProviderAnswers>> running, Task<ProviderAnswers> done)
    {
        running.Remove(done);
        return await done.ConfigureAwait(false);
    }

    /// <summary>Cancels the losers and waits for them to stop, so no call outlives the request.</summary>
    private static async Task<ProviderAnswers> WinAsync(ProviderAnswers winner, List<Task<ProviderAnswers>> losers, CancellationTokenSource race)
    {
        await race.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(losers).ConfigureAwait(false);
        return winner;
    }

    /// <summary>Every call of one provider, all in flight together; never throws (failures are recorded per sample).</summary>
    private async Task<ProviderAnswers> AskAsync(ProviderRequest request, IReadOnlyList<int> samples, LmmCallLog? log, CancellationToken cancellationToken)
    {
        var answers = new ProviderAnswers(request);
        await Task.WhenAll(request.Calls(samples).Select(call => CallAsync(request, call, answers, log, cancellationToken))).ConfigureAwait(false);
        return answers;
    }

    private async Task CallAsync(ProviderRequest request, int[] samples, ProviderAnswers answers, LmmCallLog? log, CancellationToken cancellationToken)
    {
        try
        {
            var result = await request.Kernel.InvokeAsync(request.Function, request.ArgumentsFor(samples.Length), cancellationToken).ConfigureAwait(false);
            var response = result.GetValue<ChatResponse>()
                ?? throw new LmmProviderException(request.Provider.Name, "the prompt function returned no chat response", null, isTransient: false);
            var texts = response.Messages.Where(m => m.Role == ChatRole.Assistant).Select(m => m.Text).Take(samples.Length).ToList();
            log?.Record(new LmmCall(request.Provider.Name, request.Provider.Model, false, texts.Count, ReportedUsage.Of(response)));
            for (var j = 0; j < texts.Count; j++)
            {
                answers.Add(samples[j], texts[j]);
                await cache.SetAsync(request.Key(samples[j]), texts[j], CancellationToken.None).ConfigureAwait(false);
            }
            if (texts.Count < samples.Length)
                answers.Fail(samples.Skip(texts.Count), $"LMM provider '{request.Provider.Name}' returned {texts.Count} of {samples.Length} requested answers");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            answers.Fail(samples, $"LMM provider '{request.Provider.Name}' was cancelled (another provider answered first, or the generation deadline passed)");
        }
#pragma warning disable CA1031 // Any provider failure becomes failed samples of this call only.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            answers.Fail(samples, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static int IndexOf(IReadOnlyList<ProviderRequest> chain, ProviderRequest request)
    {
        for (var i = 0; i < chain.Count; i++)
            if (ReferenceEquals(chain[i], request))
                return i;
        return chain.Count;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
