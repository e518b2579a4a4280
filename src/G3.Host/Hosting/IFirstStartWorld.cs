using G3.Host.Composition;

namespace G3.Host.Hosting;

/// <summary>Reference photos in MP16-Pro's layout: the metadata CSV, and the folder whose files its IMG_IDs name.</summary>
public sealed record ReferencePhotos(string Metadata, string Images);

/// <summary>
/// Port: the world the first start builds an empty embedded store from (<see cref="FirstStart"/>). The service
/// library generates no photos itself, so it does not depend on the synthetic-world generator; the executable
/// registers an implementation (g3 registers the synthetic MP16-Pro world). A host without one builds nothing
/// on first start, and loading then reports the missing store.
/// </summary>
public interface IFirstStartWorld
{
    /// <summary>What it provides, for the log and /readyz, e.g. "the synthetic MP16-Pro world".</summary>
    string Name { get; }

    /// <summary>The reference photos already in <paramref name="directory"/>, or null when it holds none yet.</summary>
    ReferencePhotos? Find(string directory);

    /// <summary>Generates the world into <paramref name="directory"/> as <paramref name="settings"/> ask, reporting photos done of total.</summary>
    Task<ReferencePhotos> GenerateAsync(string directory, FirstStartSettings settings, IProgress<(int Done, int Total)> progress, CancellationToken cancellationToken);
}
