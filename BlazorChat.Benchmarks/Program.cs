using BenchmarkDotNet.Running;
using BlazorChat.Benchmarks;

// Pick what to run with --filter; see docs/router-benchmarks.md for the command and the figures.
BenchmarkSwitcher.FromAssembly(typeof(SendBenchmarks).Assembly).Run(args);
