using System.Globalization;
using System.Text;
using G3.Core.Pipeline;
using G3.Core.Usage;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Geography;

namespace G3.Host.Conversations;

/// <summary>
/// Answers a text-only follow-up about the conversation's latest photo: by the configured LMM with
/// the G3 result as context when there is one (the <see cref="FollowUpPrompt"/> Semantic Kernel prompt function),
/// otherwise (or if the LMM fails or answers nothing) from the result alone.
/// </summary>
internal static class FollowUpResponder
{
    /// <param name="calls">Receives the LMM call, with the tokens it reported, when one is made.</param>
    public static async Task<string> AnswerAsync(string question, GeolocationResult result, ILmmProvider? lmm, ReverseGeocoder? geocoder, LmmCallLog? calls,
        CancellationToken ct)
    {
        if (lmm is null || lmm.Info.Kind == LmmProviderKinds.None)
            return AnswerWriter.FollowUp(question, result, geocoder);
        try
        {
            var text = await FollowUpPrompt.AskAsync(lmm, Context(result, geocoder), question, calls, ct);
            return text ?? AnswerWriter.FollowUp(question, result, geocoder);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A provider failure must not fail the conversation: answer from the result itself.
            return AnswerWriter.FollowUp(question, result, geocoder);
        }
    }

    private static string Context(GeolocationResult r, ReverseGeocoder? geocoder)
    {
        var sb = new StringBuilder();
        sb.AppendLine("You answer questions about where a photo was taken. A geolocation system (G3) analysed the photo; its result:");
        sb.AppendLine(AnswerWriter.Answer(r, geocoder));
        sb.AppendLine("Top candidates (source, latitude, longitude, verifier score):");
        foreach (var c in r.Ranked.Take(8))
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- {c.Candidate.Source}: {c.Candidate.Point?.Latitude:0.0000}, {c.Candidate.Point?.Longitude:0.0000}, score {c.Score:0.000}"));
        sb.Append("Answer briefly, based on this result; say when something cannot be known from it.");
        return sb.ToString();
    }
}
