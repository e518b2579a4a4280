using G3.Core.Options;
using G3.Host.Composition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace G3.Host.Tests;

/// <summary>
/// A mistyped key in any of the project's configuration sections stops the start, naming the key, whether it came from
/// the command line or from an environment variable; a mistyped section name in an environment variable too.
/// </summary>
public class ConfigurationSectionTypoTests
{
    public static TheoryData<string> Sections() => [.. ConfigurationSchema.Sections.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_section_the_options_bind_is_in_the_schema()
    {
        // The options classes the composition registers (each with its validator) are exactly the schema's, so the
        // theories below cover every section the service reads.
        var registered = new ServiceCollection().AddG3Options(new ConfigurationBuilder().Build())
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(Microsoft.Extensions.Options.IValidateOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0].Name).Order(StringComparer.Ordinal).ToList();
        var schema = ConfigurationSchema.Sections.Values.SelectMany(t => t).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(schema, registered);
        Assert.Contains("Requests", ConfigurationSchema.Sections.Keys);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void A_typo_on_the_command_line_is_refused_at_start_with_its_name(string section)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine([$"--{section}:Bogus=1"]).Build();
        var refused = Assert.Throws<G3OptionsException>(() => ValidateAtStart(configuration));
        Assert.Contains($"'{section}:Bogus'", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void A_typo_in_an_environment_variable_is_refused_at_start_with_its_name(string section)
    {
        // The real environment provider, under a prefix no other test uses, so parallel tests see nothing of it.
        var prefix = $"G3TEST{Guid.NewGuid():N}_";
        var variable = $"{prefix}{section}__Bogus";
        Environment.SetEnvironmentVariable(variable, "1");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            var refused = Assert.Throws<G3OptionsException>(() => ValidateAtStart(configuration));
            Assert.Contains($"'{section}:Bogus'", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_mistyped_section_in_an_environment_variable_is_named_with_the_nearest_section()
    {
        var shipped = new ConfigurationBuilder().Build();
        var typos = ConfigurationSchema.UnknownEnvironmentSections(["G3_Pipline__Selector", "G3_Pipeline__Selector", "G3_GEODATA"], shipped);
        var typo = Assert.Single(typos);
        Assert.Contains("'Pipline'", typo, StringComparison.Ordinal);
        Assert.Contains("G3_Pipeline__Selector", typo, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_settings_pass_the_same_check()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        ValidateAtStart(configuration);
    }

    /// <summary>What the host does at start (ValidateOnStart over every registered options class).</summary>
    private static void ValidateAtStart(IConfiguration configuration)
    {
        using var services = new ServiceCollection().AddG3Options(configuration).BuildServiceProvider();
        G3Settings.ValidateAll(services);
    }
}
