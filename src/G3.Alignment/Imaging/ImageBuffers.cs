using System.Buffers;

namespace G3.Alignment.Imaging;

/// <summary>
/// The pool for decoders' scratch buffers (RGBA before compositing, CMYK before conversion): rented
/// for one decode and returned at once, so a stream of large images reuses memory instead of leaving
/// hundreds of megabytes of garbage on the large-object heap. Two arrays per size are kept at most.
/// </summary>
internal static class ImageBuffers
{
    public static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 1 << 30, maxArraysPerBucket: 2);
}
