using BenchmarkDotNet.Running;

// Runs the suites named on the command line, e.g.
//   dotnet run -c Release --project bench/G3.Bench -- --filter '*GreatCircle*'
BenchmarkSwitcher.FromAssembly(typeof(G3.Bench.GreatCircleBenchmarks).Assembly).Run(args);
