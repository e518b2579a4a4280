using System.Reflection;
using System.Reflection.Emit;

namespace G3.Host.Tests;

/// <summary>
/// Which namespaces of an assembly use which, read from the compiled code: every type's base type, interfaces, fields,
/// properties, events, method signatures and locals, and each method body's IL (calls, field accesses, type tokens), so
/// a type used only inside a method counts as much as one in a signature. Compiler-made types (lambdas, async state
/// machines) are nested in the type whose code they hold, so they count in its namespace.
/// </summary>
internal static class NamespaceGraph
{
    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Each namespace under <paramref name="root"/> (named relative to it) and the others under it that its types use.</summary>
    public static Dictionary<string, List<string>> Of(Assembly assembly, string root)
    {
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            if (Name(type, root) is not { } from) continue;
            if (!edges.TryGetValue(from, out var uses)) edges[from] = uses = [];
            foreach (var used in Referenced(type).SelectMany(Expand))
                if (used.Assembly == assembly && Name(used, root) is { } to && to != from) uses.Add(to);
        }
        return edges.ToDictionary(e => e.Key, e => e.Value.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    /// <summary>"Apis -> Composition Contracts; Composition -> ; …": the graph in a failure message.</summary>
    public static string Describe(Dictionary<string, List<string>> graph) =>
        string.Join("; ", graph.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} -> {string.Join(" ", e.Value)}"));

    private static string? Name(Type type, string root) => type.Namespace switch
    {
        { } ns when ns == root => ns,
        { } ns when ns.StartsWith(root + ".", StringComparison.Ordinal) => ns[(root.Length + 1)..],
        _ => null,
    };

    private static IEnumerable<Type> Referenced(Type type)
    {
        if (type.BaseType is { } baseType) yield return baseType;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var f in type.GetFields(Declared)) yield return f.FieldType;
        foreach (var p in type.GetProperties(Declared)) yield return p.PropertyType;
        foreach (var e in type.GetEvents(Declared))
            if (e.EventHandlerType is { } handler) yield return handler;
        // Constructors with the Static flag include the type initializer, where static fields get their values.
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo m) yield return m.ReturnType;
            foreach (var p in method.GetParameters()) yield return p.ParameterType;
            if (method.GetMethodBody() is not { } body) continue;
            foreach (var local in body.LocalVariables) yield return local.LocalType;
            foreach (var used in InBody(method, body.GetILAsByteArray() ?? [])) yield return used;
        }
    }

    /// <summary>The types an IL body names: those of the methods it calls, the fields it touches, and its type tokens (new, is, as, typeof).</summary>
    private static IEnumerable<Type> InBody(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = OpCodesByValue[il[i] == 0xFE ? unchecked((short)(0xFE00 | il[i + 1])) : il[i]];
            i += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    if (member is Type named) yield return named;
                    else if (member?.DeclaringType is { } owner) yield return owner;
                    if (member is MethodInfo { IsGenericMethod: true } generic)
                        foreach (var argument in generic.GetGenericArguments()) yield return argument;
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                default:
                    i += OperandSize(code.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType type) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4, // branch targets, int32 and float32 constants, strings, signatures
    };

    /// <summary>A type and the types it is made of: an array's element, a generic type's definition and arguments.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!)) yield return inner;
            yield break;
        }
        if (type.IsGenericParameter) yield break;
        if (!type.IsGenericType)
        {
            yield return type;
            yield break;
        }
        yield return type.GetGenericTypeDefinition();
        foreach (var argument in type.GetGenericArguments())
            foreach (var inner in Expand(argument)) yield return inner;
    }
}
