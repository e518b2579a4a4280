namespace G3.Host.Contracts;

/// <summary>A request the API refuses, naming the field at fault (OpenAI's "param"); answered in the error shape.</summary>
internal sealed class ApiRequestException(string message, string? param, int status = StatusCodes.Status400BadRequest, string? code = "invalid_request")
    : Exception(message)
{
    public string? Param { get; } = param;
    public int Status { get; } = status;
    public string? Code { get; } = code;
}
