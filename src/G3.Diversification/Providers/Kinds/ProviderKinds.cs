namespace G3.Diversification.Providers.Kinds;

/// <summary>The provider kinds this build knows, by <see cref="ILmmProviderKind.Name"/>: the one list to extend.</summary>
public static class ProviderKinds
{
    private static readonly ILmmProviderKind[] s_all = [new OpenAIKind(), new AzureOpenAIKind(), new OllamaKind(), new OpenAICompatibleKind()];

    /// <summary>Every kind that has a chat client (not "none").</summary>
    public static IReadOnlyList<ILmmProviderKind> All => s_all;

    /// <summary>The kind named <paramref name="name"/>, or null ("none" and unknown names).</summary>
    public static ILmmProviderKind? Find(string name) => Array.Find(s_all, k => k.Name == name);

    public static ILmmProviderKind Get(string name) =>
        Find(name) ?? throw new ArgumentException($"Provider kind '{name}' has no chat client.", nameof(name));
}
