using System.Text;

namespace G3.Retrieval.Mp16;

/// <summary>One CSV record: the physical line it starts on (1-based), its fields, or why it is unreadable.</summary>
internal sealed record CsvRow(long Line, string[] Fields, string? Error = null);

/// <summary>
/// Streams RFC 4180 records from a TextReader, a buffer at a time: fields separated by commas,
/// records by LF, CRLF or CR; a quoted field may hold commas, line breaks and doubled quotes ("").
/// Lenient where the RFC is strict but the intent is clear (a stray quote inside an unquoted field,
/// text after a closing quote is kept as written). Blank lines are skipped. An opening quote that is
/// never closed yields a row with <see cref="CsvRow.Error"/> and ends the stream.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    private readonly char[] _buffer = new char[1 << 16];
    private int _position;
    private int _length;
    private bool _endOfInput;
    private long _line = 1;
    private bool _previousWasCr;

    public async ValueTask<CsvRow?> ReadAsync(CancellationToken cancellationToken)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var quoteSeen = false;   // inside quotes, the previous char was a quote (closing, or the first of "")
        var started = false;
        var atFieldStart = true; // nothing of the current field consumed yet: a quote here opens a quoted field
        long startLine = 0;

        while (true)
        {
            if (_position == _length && !await FillAsync(cancellationToken))
            {
                if (!started) return null;
                if (inQuotes && !quoteSeen)
                    return new CsvRow(startLine, [], "a quoted field is never closed (missing \")");
                fields.Add(field.ToString());
                return new CsvRow(startLine, [.. fields]);
            }

            var c = _buffer[_position++];
            var isBreak = c is '\n' or '\r';
            var continuesCrLf = c == '\n' && _previousWasCr;
            _previousWasCr = c == '\r';
            if (isBreak && !continuesCrLf) _line++;

            if (!started)
            {
                if (isBreak) continue; // blank line, or the LF of a CRLF that ended the previous record
                started = true;
                startLine = _line;
            }

            if (inQuotes)
            {
                if (quoteSeen)
                {
                    quoteSeen = false;
                    if (c == '"') { field.Append('"'); continue; }     // "" → "
                    inQuotes = false;                                  // the quote closed the field
                }
                else if (c == '"') { quoteSeen = true; continue; }
                else { field.Append(c); continue; }
            }

            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                atFieldStart = true;
                continue;
            }
            var opensQuotes = c == '"' && atFieldStart;
            atFieldStart = false;
            if (opensQuotes)
            {
                inQuotes = true;
            }
            else if (isBreak)
            {
                if (continuesCrLf) continue;
                fields.Add(field.ToString());
                return new CsvRow(startLine, [.. fields]);
            }
            else
            {
                field.Append(c);
            }
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_endOfInput) return false;
        _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
        _position = 0;
        if (_length == 0) _endOfInput = true;
        return _length > 0;
    }
}
