using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace G3.GpuCheck;

/// <summary>
/// One measured (or unmeasurable) figure. <see cref="Value"/> is null when it could not be measured, and
/// <see cref="Note"/> then says why (e.g. "CUDA provider unavailable: …").
/// </summary>
internal sealed record Row(string Model, string Measure, string Provider, string Precision, int? Batch, double? Value, string Unit, string? Note = null);

/// <summary>Every row of one run, printed as one Markdown table and written as one JSON file.</summary>
internal sealed class Report
{
    private readonly List<Row> _rows = [];

    public IReadOnlyList<Row> Rows => _rows;

    public void Add(Row row) => _rows.Add(row);

    public void PrintTable(TextWriter writer)
    {
        writer.WriteLine("| model | measure | provider | precision | batch | value |");
        writer.WriteLine("|---|---|---|---|---:|---|");
        foreach (var r in _rows)
            writer.WriteLine($"| {r.Model} | {Escape(r.Measure)} | {r.Provider} | {r.Precision} | {r.Batch?.ToString(CultureInfo.InvariantCulture) ?? ""} | {Escape(Cell(r))} |");
    }

    public void WriteJson(string path, JsonObject header)
    {
        var rows = new JsonArray();
        foreach (var r in _rows)
            rows.Add(new JsonObject
            {
                ["model"] = r.Model,
                ["measure"] = r.Measure,
                ["provider"] = r.Provider,
                ["precision"] = r.Precision,
                ["batch"] = r.Batch,
                ["value"] = r.Value,
                ["unit"] = r.Unit,
                ["note"] = r.Note,
            });
        header["rows"] = rows;
        File.WriteAllText(path, header.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>"max |CPU − CUDA|" must not split a Markdown cell.</summary>
    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Cell(Row r) => r.Value switch
    {
        null => r.Note ?? "not measured",
        double v when r.Unit == "images/s" => v.ToString("F1", CultureInfo.InvariantCulture) + " images/s",
        double v when r.Unit == "max abs diff" => v.ToString("E2", CultureInfo.InvariantCulture),
        double v => v.ToString(CultureInfo.InvariantCulture) + (r.Unit.Length > 0 ? " " + r.Unit : "") + (r.Note is null ? "" : $" ({r.Note})"),
    };
}
