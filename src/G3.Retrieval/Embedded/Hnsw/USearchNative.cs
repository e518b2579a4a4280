using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>
/// The few calls of the package's bundled native library (libusearch_c) that its C# binding does not expose:
/// reserving capacity (without which concurrent inserts are refused), the insert/search thread counts, and
/// the search beam of an index opened from a file. The binding keeps its native handle in a private field;
/// it is read once here, and a binding without that field fails loudly rather than silently building on one thread.
/// </summary>
internal static partial class USearchNative
{
    private const string Library = "libusearch_c";

    private static readonly FieldInfo? HandleField =
        typeof(USearchIndex).GetField("_index", BindingFlags.Instance | BindingFlags.NonPublic);

    public static void Reserve(USearchIndex index, long capacity)
    {
        usearch_reserve(Handle(index), (nuint)capacity, out var error);
        Check(error, "reserve capacity");
    }

    public static void SetThreads(USearchIndex index, int add, int search)
    {
        var handle = Handle(index);
        usearch_change_threads_add(handle, (nuint)add, out var error);
        Check(error, "set its insert threads");
        usearch_change_threads_search(handle, (nuint)search, out error);
        Check(error, "set its search threads");
    }

    public static void SetExpansion(USearchIndex index, int add, int search)
    {
        var handle = Handle(index);
        usearch_change_expansion_add(handle, (nuint)add, out var error);
        Check(error, "set expansion_add");
        usearch_change_expansion_search(handle, (nuint)search, out error);
        Check(error, "set expansion_search");
    }

    private static IntPtr Handle(USearchIndex index)
    {
        if (HandleField?.GetValue(index) is not IntPtr handle || handle == IntPtr.Zero)
            throw new ReferenceStoreException(
                "this version of the USearch binding keeps no native handle in '_index'; the HNSW index needs Cloud.Unum.USearch 2.26.6 (Directory.Packages.props)");
        return handle;
    }

    private static void Check(IntPtr error, string what)
    {
        if (error != IntPtr.Zero)
            throw new ReferenceStoreException($"USearch could not {what}: {Marshal.PtrToStringAnsi(error)}");
    }

    [LibraryImport(Library)]
    private static partial void usearch_reserve(IntPtr index, nuint capacity, out IntPtr error);

    [LibraryImport(Library)]
    private static partial void usearch_change_threads_add(IntPtr index, nuint threads, out IntPtr error);

    [LibraryImport(Library)]
    private static partial void usearch_change_threads_search(IntPtr index, nuint threads, out IntPtr error);

    [LibraryImport(Library)]
    private static partial void usearch_change_expansion_add(IntPtr index, nuint expansion, out IntPtr error);

    [LibraryImport(Library)]
    private static partial void usearch_change_expansion_search(IntPtr index, nuint expansion, out IntPtr error);
}
