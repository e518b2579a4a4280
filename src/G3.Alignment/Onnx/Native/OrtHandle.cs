using System.Runtime.InteropServices;

namespace G3.Alignment.Onnx.Native;

/// <summary>
/// Owns one ORT object (env, session options, session, memory info, value, run options, type info)
/// and releases it with the matching <c>Release*</c> function exactly once, even when the owner is
/// never disposed. Reference counting (DangerousAddRef) keeps a session alive while a run uses it.
/// </summary>
internal sealed unsafe class OrtHandle : SafeHandle
{
    private readonly delegate* unmanaged<nint, void> _release;

    public OrtHandle(nint handle, delegate* unmanaged<nint, void> release) : base(0, ownsHandle: true)
    {
        _release = release;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        _release(handle);
        return true;
    }
}

/// <summary>Native UTF-8, NUL-terminated copies of tensor names, kept for a session's lifetime for every Run.</summary>
internal sealed unsafe class NativeNameTable : SafeHandle
{
    private readonly int _count;

    public NativeNameTable(IReadOnlyList<string> names) : base(0, ownsHandle: true)
    {
        _count = names.Count;
        var table = (nint*)NativeMemory.AllocZeroed((nuint)Math.Max(1, names.Count), (nuint)sizeof(nint));
        SetHandle((nint)table);
        for (var i = 0; i < names.Count; i++)
            table[i] = Marshal.StringToCoTaskMemUTF8(names[i]);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The C string for name <paramref name="index"/>; valid while this table is alive.</summary>
    public nint this[int index] => ((nint*)handle)[index];

    protected override bool ReleaseHandle()
    {
        var table = (nint*)handle;
        for (var i = 0; i < _count; i++)
            Marshal.FreeCoTaskMem(table[i]);
        NativeMemory.Free(table);
        return true;
    }
}
