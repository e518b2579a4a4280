using System.Runtime.InteropServices;

namespace G3.Synthetic.Tests;

/// <summary>A fact that needs the geography data (scripts/bootstrap.sh) and libturbojpeg.</summary>
internal sealed class FactRequiringWorldAttribute : FactAttribute
{
    public FactRequiringWorldAttribute()
    {
        if (!File.Exists(TestPaths.InRepo(".deps", "geodata", "cities.pbf")))
            Skip = "needs the geography data in .deps/geodata: run scripts/bootstrap.sh";
        else if (!NativeLibrary.TryLoad("libturbojpeg.so.0", out _))
            Skip = "needs libturbojpeg.so.0 (Debian libturbojpeg0): run scripts/bootstrap.sh";
    }
}
