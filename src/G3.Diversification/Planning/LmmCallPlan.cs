using G3.Diversification.Generation;
using G3.Diversification.Providers;
using G3.Diversification.Tokens;

namespace G3.Diversification.Planning;

/// <summary>
/// What one generation request would cost, found before any call: the samples the response cache already holds, the calls
/// still needed (as the provider would split them), and their estimated tokens and images.
/// </summary>
/// <param name="OutputTokenLimit">The completion limit times the samples asked for (an upper bound); null when a call sets no limit.</param>
public sealed record PlannedRequest(string Provider, string Model, int Samples, int CachedSamples, int Calls, long InputTokens, long? OutputTokenLimit, int Images);

/// <summary>
/// The LMM calls an experiment (or any batch of requests) still needs, recorded by generators in plan mode
/// (<see cref="LmmCandidateGenerator"/> with a plan asks no provider). Only the primary provider is planned: a fallback
/// answers only when it fails. With a read-write cache a sample planned once (by an earlier image or configuration of the
/// same plan) is counted once, as the run would store its answer and replay it.
/// </summary>
public sealed class LmmCallPlan(LmmOptions lmm)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _planned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenEstimator> _estimators = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<PlannedRequest> _requests = [];

    /// <summary>Every request planned so far.</summary>
    public IReadOnlyList<PlannedRequest> Requests { get { lock (_gate) return [.. _requests]; } }

    /// <summary>Removes and returns the requests planned since the last call (one configuration's, when configurations are planned one after another).</summary>
    public IReadOnlyList<PlannedRequest> Take()
    {
        lock (_gate)
        {
            var taken = _requests.ToList();
            _requests.Clear();
            return taken;
        }
    }

    /// <param name="missing">The samples the cache does not hold.</param>
    /// <param name="sharesAnswers">Whether the run would store answers for later requests (a read-write cache).</param>
    internal void Record(ProviderRequest primary, IReadOnlyList<int> samples, IReadOnlyList<int> missing, bool sharesAnswers)
    {
        var estimator = Estimator(primary.Provider.Name);
        lock (_gate)
        {
            var toAsk = sharesAnswers ? missing.Where(i => _planned.Add(primary.Key(i).Hash())).ToList() : [.. missing];
            var calls = primary.Calls(toAsk).ToList();
            var messages = calls.Count == 0 ? [] : primary.PreviewMessages();
            long input = 0;
            long? output = 0;
            var images = 0;
            foreach (var call in calls)
            {
                var tokens = estimator.Estimate(messages, primary.PreviewOptions(call.Length));
                input += tokens.Input;
                output += tokens.OutputLimit;
                images += tokens.Images;
            }
            _requests.Add(new PlannedRequest(primary.Provider.Name, primary.Provider.Model, samples.Count, samples.Count - toAsk.Count, calls.Count, input, output, images));
        }
    }

    private TokenEstimator Estimator(string provider)
    {
        lock (_gate)
        {
            if (!_estimators.TryGetValue(provider, out var estimator))
            {
                var options = lmm.Providers.FirstOrDefault(p => p.Key.Equals(provider, StringComparison.OrdinalIgnoreCase)).Value
                    ?? throw new ArgumentException($"the plan has no configuration for LMM provider '{provider}'", nameof(provider));
                _estimators[provider] = estimator = new TokenEstimator(options);
            }
            return estimator;
        }
    }
}
