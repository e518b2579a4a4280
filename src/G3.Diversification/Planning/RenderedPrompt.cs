using System.Xml;
using System.Xml.Linq;
using G3.Core.Ports;
using G3.Diversification.Generation;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Planning;

/// <summary>
/// A rendered chat prompt turned into the messages it sends, as Semantic Kernel's chat prompt parser reads it:
/// <c>&lt;message role="..."&gt;</c> elements holding <c>&lt;text&gt;</c> and <c>&lt;image&gt;</c> parts (or plain text). The
/// image slots get the provider's photos in order, so an estimate counts the very images the call sends.
/// </summary>
internal static class RenderedPrompt
{
    public static IReadOnlyList<ChatMessage> ToMessages(string rendered, IReadOnlyList<QueryImage> photos)
    {
        var next = 0;
        DataContent Photo()
        {
            var photo = photos[Math.Min(next++, photos.Count - 1)];
            return new DataContent(photo.Bytes, ImageMediaType.Sniff(photo.Bytes.Span, photo.MediaType));
        }
        try
        {
            var root = XElement.Parse("<root>" + rendered + "</root>", LoadOptions.PreserveWhitespace);
            var messages = root.Elements("message").Select(m => new ChatMessage(
                new ChatRole((string?)m.Attribute("role") ?? "user"),
                m.HasElements
                    ? [.. m.Elements().Select<XElement, AIContent?>(e => e.Name.LocalName switch
                    {
                        "text" => new TextContent(e.Value),
                        "image" => Photo(),
                        _ => null,
                    }).OfType<AIContent>()]
                    : [new TextContent(m.Value)])).ToList();
            if (messages.Count > 0)
                return messages;
            return [new ChatMessage(ChatRole.User, [new TextContent(root.Value), .. root.Descendants("image").Select(_ => Photo())])];
        }
        catch (XmlException)
        {
            // Not markup: Semantic Kernel sends such a prompt as one user message of plain text.
            return [new ChatMessage(ChatRole.User, rendered)];
        }
    }
}
