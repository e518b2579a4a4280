// The service's public API, as any third-party client would call it: POST /v1/chat/completions with
// stream: true, server-sent events in OpenAI's chunk format, and the result in the extra "g3" field.

const KEY_ITEM = "g3.apiKey";

/** The API key lives in this tab's session storage only; it is sent as a header, never in a URL. */
export const apiKey = {
  get: () => sessionStorage.getItem(KEY_ITEM) || "",
  set: (value) => (value ? sessionStorage.setItem(KEY_ITEM, value) : sessionStorage.removeItem(KEY_ITEM)),
};

/** An API failure, carrying the HTTP status and the service's own message (OpenAI's error shape). */
export class ApiError extends Error {
  constructor(status, message, code, retryAfter) {
    super(message);
    this.status = status;
    this.code = code || null;
    this.retryAfter = retryAfter || null;
  }
}

/** Headline and advice a person can act on, for each status the service answers with. */
export function describeError(error) {
  const detail = error.message || "";
  switch (error.status) {
    case 400: return { title: "The service could not read this request", detail, hint: "Check the photo or the URL and try again." };
    case 401: return { title: "This service needs an API key", detail, hint: "Enter your key with the API key button, then retry." };
    case 404: return { title: "That model is not available here", detail, hint: "" };
    case 413: return { title: "This photo is too large", detail, hint: "Try a smaller or resized photo (JPEG, PNG or WebP)." };
    case 415: return { title: "This file is not a photo the service can read", detail, hint: "Send a JPEG, PNG or WebP image." };
    case 422: return { title: "No location could be found for this photo", detail, hint: "Try another photo." };
    case 429: return { title: "Too many requests right now", detail, hint: error.retryAfter ? `Retry in ${error.retryAfter} s.` : "Wait a moment and retry." };
    case 503: return { title: "The service is not ready", detail, hint: "It may still be starting; retry shortly." };
    case 504: return { title: "The service took too long", detail, hint: "Retry; the language model may be slow right now." };
    case -1: return { title: "Something went wrong in this page", detail, hint: "Reload the page and retry." };
    case 0: return { title: "The service could not be reached", detail, hint: "Check that it is running, then retry." };
    default: return { title: `The service answered with an error (${error.status})`, detail, hint: "Retry, or see the service log." };
  }
}

async function errorFrom(response) {
  let message = response.statusText || "request failed";
  let code = null;
  try {
    const body = await response.json();
    if (body && body.error) {
      message = body.error.message || message;
      code = body.error.code || null;
    }
  } catch {
    // A proxy or the server's own limits may answer without the JSON error body.
  }
  return new ApiError(response.status, message, code, response.headers.get("Retry-After"));
}

/**
 * Sends one chat turn and streams it back; see streamOnce. A streamed answer has sent its 200 before the
 * photo is even decoded, so a failure there (too large, not an image) arrives as an error event; the
 * service puts in it the status the plain answer would have had (413, 415, 422...). From a service whose
 * event lacks it, the turn is asked again without streaming when nothing had progressed yet, which fails
 * just as fast and says which status it is, so the person reads why.
 */
export async function streamChat(messages, options = {}) {
  let progressed = false;
  const onProgress = (p) => {
    progressed = true;
    if (options.onProgress) options.onProgress(p);
  };
  try {
    return await streamOnce(messages, { ...options, onProgress });
  } catch (e) {
    if (!(e instanceof ApiError) || !e.inStream || progressed) throw e;
    const answer = await ask(messages, options);
    // The failure did not repeat: take this answer.
    return answer;
  }
}

function headersFor(accept) {
  const headers = { "Content-Type": "application/json", Accept: accept };
  const key = apiKey.get();
  if (key) headers.Authorization = `Bearer ${key}`;
  return headers;
}

/** One turn without streaming: { text, result }, or an ApiError with the status. */
async function ask(messages, { model = "g3", signal } = {}) {
  let response;
  try {
    response = await fetch("/v1/chat/completions", { method: "POST", headers: headersFor("application/json"), body: JSON.stringify({ model, messages }), signal });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "no answer from the service (" + e.message + ")");
  }
  if (!response.ok) throw await errorFrom(response);
  const body = await response.json();
  return { text: body.choices?.[0]?.message?.content || "", result: body.g3 };
}

/**
 * Sends one chat turn and streams it back. `messages` is the OpenAI conversation; `onProgress` gets each
 * progress object (event: references | candidates | stage), `onText` the answer text as it arrives.
 * Resolves with { text, result } where result is the full "g3" object of the final chunk.
 */
async function streamOnce(messages, { model = "g3", onProgress, onText, signal } = {}) {
  const headers = headersFor("text/event-stream");
  let response;
  try {
    response = await fetch("/v1/chat/completions", {
      method: "POST",
      headers,
      body: JSON.stringify({ model, messages, stream: true }),
      signal,
    });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "no answer from the service (" + e.message + ")");
  }
  if (!response.ok) throw await errorFrom(response);

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let text = "";
  let result = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    // Events are separated by a blank line; each holds one "data: ..." line.
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data: ")) continue;
        const data = line.slice(6);
        if (data === "[DONE]") return { text, result };
        const chunk = JSON.parse(data);
        if (chunk.error) {
          const failure = new ApiError(chunk.error.status || 500, chunk.error.message || "the service failed while answering", chunk.error.code);
          // Without a status in the event, the status is learnt by asking again (see streamChat).
          failure.inStream = !chunk.error.status;
          throw failure;
        }
        const choice = chunk.choices && chunk.choices[0];
        if (choice && choice.delta && typeof choice.delta.content === "string" && choice.delta.content.length > 0) {
          text += choice.delta.content;
          if (onText) onText(text);
        }
        if (chunk.g3) {
          if (choice && choice.finish_reason === "stop") result = chunk.g3;
          else if (onProgress) onProgress(chunk.g3);
        }
      }
    }
  }
  if (!result) throw new ApiError(500, "the answer stream ended early");
  return { text, result };
}

/** GET /readyz: { status, ready, model, error }. */
export async function readiness() {
  try {
    const r = await fetch("/readyz", { cache: "no-store" });
    return await r.json();
  } catch {
    return { status: "unreachable", ready: false };
  }
}
