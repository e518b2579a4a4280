using G3.Geography;
using G3.Host.Composition;
using G3.Host.Hosting;
using G3.Synthetic;

namespace G3.Cli;

/// <summary>
/// g3's first-start world: the synthetic MP16-Pro world (<see cref="SyntheticWorldGenerator"/>), which the
/// service indexes into its embedded default when that store does not exist yet. It lives in the executable so
/// that the service library does not depend on the generator.
/// </summary>
internal sealed class SyntheticFirstStartWorld : IFirstStartWorld
{
    public string Name => "the synthetic MP16-Pro world";

    public ReferencePhotos? Find(string directory) =>
        File.Exists(SyntheticWorldLayout.DatabaseMetadata(directory)) ? Photos(directory) : null;

    public async Task<ReferencePhotos> GenerateAsync(string directory, FirstStartSettings settings, IProgress<(int Done, int Total)> progress, CancellationToken cancellationToken)
    {
        var options = new SyntheticWorldOptions { Seed = settings.Seed, DatabaseCount = settings.DatabaseCount, QueryCount = settings.QueryCount };
        // Loading the geography data and rendering are CPU work: off the caller's thread (the host's start).
        await Task.Run(() => new SyntheticWorldGenerator(ReverseGeocoder.Load()).Generate(directory, options, progress, cancellationToken), cancellationToken);
        return Photos(directory);
    }

    private static ReferencePhotos Photos(string directory) =>
        new(SyntheticWorldLayout.DatabaseMetadata(directory), SyntheticWorldLayout.DatabaseImages(directory));
}
