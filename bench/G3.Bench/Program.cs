using BenchmarkDotNet.Running;

// Runs the suites named on the command line, e.g.
//   dotnet run -c Release --project bench/G3.Bench -- --filter '*GreatCircle*'
// `store-vs-faiss` is the embedded store's side-by-side runner (bench/store-vs-faiss.sh), not a BenchmarkDotNet suite.
if (args.Length > 0 && args[0] == "store-vs-faiss")
    return await G3.Bench.EmbeddedStoreComparison.RunAsync(args[1..]);
// `ann` is the .NET half of bench/ann.sh: exact scan against the USearch HNSW index.
if (args.Length > 0 && args[0] == "ann")
    return await G3.Bench.AnnBench.RunAsync(args[1..]);
// `store-scan` measures the store's scan against the memory-bandwidth floor at each worker count (bench/store-scan.sh).
if (args.Length > 0 && args[0] == "store-scan")
    return await G3.Bench.StoreScanBench.RunAsync(args[1..]);
// `half-widening` times the float16 scan kernels one by one against the floor (bench/README.md, store scan).
if (args.Length > 0 && args[0] == "half-widening")
    return G3.Bench.HalfWideningBench.Run(args[1..]);
// `load` drives a running service with concurrent clients (bench/README.md, "Service under load").
if (args.Length > 0 && args[0] == "load")
    return await G3.Bench.LoadTest.RunAsync(args[1..]);
// `lmm-faults` sends 200 requests through a primary with injected faults and hangs and a healthy fallback.
if (args.Length > 0 && args[0] == "lmm-faults")
    return await G3.Bench.LmmFaultBench.RunAsync(args[1..]);
// `replica-cache` runs three service replicas with a shared Redis L2, then with per-replica disk caches (bench/README.md).
if (args.Length > 0 && args[0] == "replica-cache")
    return await G3.Bench.ReplicaCacheBench.RunAsync(args[1..]);
// `fanout` measures the LMM stage's fan-out overhead against a fixed-latency provider stub.
if (args.Length > 0 && args[0] == "fanout")
    return await G3.Bench.FanOutComparison.RunAsync(args[1..]);
// `rate-limit` runs calls through a provider's pipeline against a stub that refuses calls past 120 a minute (bench/rate-limit.sh).
if (args.Length > 0 && args[0] == "rate-limit")
    return await G3.Bench.RateLimitBench.RunAsync(args[1..]);

BenchmarkSwitcher.FromAssembly(typeof(G3.Bench.GreatCircleBenchmarks).Assembly).Run(args);
return 0;
