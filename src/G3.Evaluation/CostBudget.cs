namespace G3.Evaluation;

/// <summary>Where a run stopped at its cost cap: what the run folder's results cost, the cap, and the pairs left for a rerun.</summary>
public sealed record BudgetStop(decimal Spent, decimal MaxCost, int PairsLeft)
{
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"stopped at the cost cap: {Spent:0.######} spent of {MaxCost:0.######}, {PairsLeft} image × configuration pairs left; a rerun with a higher --max-cost (or none) resumes");
}

/// <summary>
/// A run's cost cap (--max-cost, or the experiment's maxCost), covering every result in the run folder, earlier runs
/// included. Before each image starts, its cost is taken to be the costliest image of its configuration so far (else of
/// any configuration; 0 before the first), and the image does not start when that, the images in flight and the cost so far
/// would pass the cap. A finished image whose cost is unknown (no price, no reported tokens) stops the run too, since
/// the cap could no longer be kept.
/// </summary>
internal sealed class CostBudget
{
    private readonly decimal _cap;
    private readonly Dictionary<string, decimal> _costliest = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private decimal _spent;
    private decimal _reserved;
    private bool _unmeasured;

    public CostBudget(decimal cap, IEnumerable<EvalRecord> existing)
    {
        _cap = cap;
        foreach (var r in existing) Add(r.Configuration, r.Usage?.Cost);
    }

    public bool Stopped { get; private set; }

    public decimal Spent { get { lock (_gate) return _spent; } }

    /// <summary>Reserves the expected cost of one image of <paramref name="configuration"/>; false (and stopped) when it would pass the cap.</summary>
    public bool TryReserve(string configuration, out decimal reservation)
    {
        lock (_gate)
        {
            reservation = _costliest.TryGetValue(configuration, out var own) ? own : _costliest.Values.DefaultIfEmpty(0m).Max();
            if (Stopped || _unmeasured || _spent + _reserved + reservation > _cap)
            {
                Stopped = true;
                return false;
            }
            _reserved += reservation;
            return true;
        }
    }

    /// <summary>Replaces an image's reservation by what it cost (null: unknown).</summary>
    public void Settle(string configuration, decimal reservation, decimal? cost)
    {
        lock (_gate)
        {
            _reserved -= reservation;
            Add(configuration, cost);
        }
    }

    private void Add(string configuration, decimal? cost)
    {
        if (cost is not { } known)
        {
            _unmeasured = true;
            return;
        }
        _spent += known;
        _costliest[configuration] = Math.Max(known, _costliest.GetValueOrDefault(configuration));
    }
}
