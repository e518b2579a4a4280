// The chat: photos in, streamed progress and answers out, follow-ups on the latest photos, the map kept
// in step. Each question with photos starts its own sub-conversation (the service places every image of
// the latest user message together, as one place, and answers text-only follow-ups from that cached result).

import { streamChat, describeError, apiKey, readiness, ApiError } from "./api.js";
import { WorldMap, variantColour } from "./map.js";
import { sceneOf, legendOf, placeName, coords, confidenceWords, rationale, fmt, promptLabel } from "./answer.js";

const $ = (id) => document.getElementById(id);
const ACCEPTED = ["image/jpeg", "image/png", "image/webp"];
// Photos of one place per question: the service's limit for one query (/v1/geolocate and the chat).
const MAX_PHOTOS = 8;

const ui = {
  thread: $("thread"), intro: $("intro"), form: $("composer"), photo: $("composer-photo"), url: $("composer-url"),
  text: $("composer-text"), send: $("composer-send"), error: $("composer-error"), dropzone: $("dropzone"),
  pending: $("pending"),
  truthLat: $("truth-lat"), truthLon: $("truth-lon"), status: $("service-status"), caption: $("map-caption"), legend: $("legend"),
  keyButton: $("key-button"), keyDialog: $("key-dialog"), keyInput: $("key-input"), keyClear: $("key-clear"), keyWhy: $("key-why"),
};

let pending = [];            // [{ dataUrl, name }] the chosen photos (one place), kept until they are answered
let current = null;          // the latest photo's conversation: { messages, result, scene, card }
let busy = false;
let shown = null;            // the conversation whose result the map shows

const mapFallback = $("map-fallback");
const map = new WorldMap($("map"), $("tooltip"), (message) => {
  mapFallback.textContent = message;
  mapFallback.hidden = false;
});

function node(tag, cls, text) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  if (text != null) n.textContent = text;
  return n;
}

// --- service status and API key ------------------------------------------------------------------

async function watchReadiness() {
  const r = await readiness();
  if (r.ready) {
    ui.status.textContent = `Ready · ${r.model || "g3"}`;
    ui.status.className = "status ok";
    return;
  }
  ui.status.textContent = r.error ? "Could not start" : `Starting (${r.status})…`;
  ui.status.title = r.error || "";
  ui.status.className = r.error ? "status bad" : "status wait";
  if (!r.error) setTimeout(watchReadiness, 2000);
}

function openKeyDialog(reason) {
  ui.keyWhy.textContent = reason || "If this service asks for an API key, enter it here. It is kept in this tab's session storage only and sent as a Bearer header, never in a URL.";
  ui.keyInput.value = apiKey.get();
  ui.keyDialog.showModal();
  ui.keyInput.focus();
}

ui.keyButton.addEventListener("click", () => openKeyDialog());
ui.keyDialog.addEventListener("close", () => {
  if (ui.keyDialog.returnValue === "save") apiKey.set(ui.keyInput.value.trim());
  ui.keyButton.textContent = apiKey.get() ? "API key ✓" : "API key";
});
ui.keyClear.addEventListener("click", () => {
  apiKey.set("");
  ui.keyInput.value = "";
  ui.keyDialog.close("cleared");
});

// --- choosing a photo ----------------------------------------------------------------------------

function composerError(message) {
  ui.error.textContent = message || "";
  ui.error.hidden = !message;
}

/** Adds photos to the chosen ones (replace: start afresh), up to MAX_PHOTOS; files that are not images are refused by name. */
async function choosePhotos(files, replace) {
  composerError("");
  const list = [...(files || [])];
  if (!list.length) return;
  const notPhotos = list.filter((f) => f.type && !f.type.startsWith("image/"));
  if (notPhotos.length) {
    composerError(`“${notPhotos[0].name}” is not a photo: choose JPEG, PNG or WebP images.`);
    return;
  }
  const room = MAX_PHOTOS - (replace ? 0 : pending.length);
  let read;
  try {
    read = await Promise.all(list.slice(0, Math.max(0, room)).map(readPhoto));
  } catch {
    composerError("That file could not be read.");
    return;
  }
  pending = replace ? read : pending.concat(read);
  if (list.length > room)
    composerError(`At most ${MAX_PHOTOS} photos of one place per question: ${list.length - Math.max(0, room)} not added.`);
  renderPending();
}

function readPhoto(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ dataUrl: reader.result, name: file.name || "pasted photo" });
    reader.onerror = () => reject(reader.error);
    // A type outside the three the service reads is still sent: the service's answer (415) says why.
    reader.readAsDataURL(file.type && ACCEPTED.includes(file.type) ? file : new Blob([file], { type: file.type || "image/jpeg" }));
  });
}

/** The chosen photos as removable thumbnails; with several, the service places them together as one place. */
function renderPending() {
  ui.pending.replaceChildren();
  pending.forEach((photo, i) => {
    const item = node("li", "pending-item");
    const img = node("img");
    img.alt = `Chosen photo: ${photo.name}`;
    // A file that is not a picture the browser can draw gets a neutral tile instead of a broken image.
    img.addEventListener("error", () => item.classList.add("no-preview"));
    img.src = photo.dataUrl;
    const remove = node("button", "ghost small pending-remove", "Remove");
    remove.type = "button";
    remove.setAttribute("aria-label", `Remove the chosen photo ${photo.name}`);
    remove.addEventListener("click", () => {
      pending.splice(i, 1);
      renderPending();
      ui.photo.focus();
    });
    item.append(img, node("span", "pending-name", photo.name), remove);
    ui.pending.appendChild(item);
  });
  const any = pending.length > 0;
  ui.pending.hidden = !any;
  ui.pending.dataset.count = String(pending.length);
  ui.dropzone.classList.toggle("has-photo", any);
  if (any) ui.url.value = "";
  if (!busy) ui.send.textContent = any || !(current && current.result) ? "Locate" : "Ask";
}

function clearPending() {
  pending = [];
  ui.photo.value = "";
  renderPending();
}

// The picker's choice replaces the chosen photos (as a file input does); drops and pastes add to them.
ui.photo.addEventListener("change", () => choosePhotos(ui.photo.files, true));
for (const type of ["dragenter", "dragover"]) {
  ui.form.addEventListener(type, (e) => {
    e.preventDefault();
    ui.dropzone.classList.add("over");
  });
}
for (const type of ["dragleave", "drop"]) ui.form.addEventListener(type, () => ui.dropzone.classList.remove("over"));
ui.form.addEventListener("drop", (e) => {
  e.preventDefault();
  const files = [...(e.dataTransfer?.files || [])];
  if (files.length) return choosePhotos(files, false);
  const url = e.dataTransfer?.getData("text/uri-list") || e.dataTransfer?.getData("text/plain");
  if (url && /^https?:\/\//i.test(url.trim())) ui.url.value = url.trim();
});
document.addEventListener("paste", (e) => {
  const files = [...(e.clipboardData?.files || [])].filter((f) => f.type.startsWith("image/"));
  if (files.length) {
    e.preventDefault();
    choosePhotos(files, false);
    return;
  }
  const text = e.clipboardData?.getData("text/plain")?.trim();
  if (text && /^https?:\/\/\S+$/i.test(text) && document.activeElement !== ui.url && document.activeElement !== ui.text) {
    e.preventDefault();
    ui.url.value = text;
    clearPending();
  }
});
ui.url.addEventListener("input", () => {
  if (ui.url.value.trim()) clearPending();
});

function readTruth() {
  const lat = ui.truthLat.value.trim(), lon = ui.truthLon.value.trim();
  if (!lat && !lon) return { ok: true, truth: null };
  const la = Number(lat), lo = Number(lon);
  if (!lat || !lon || !isFinite(la) || !isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180)
    return { ok: false, message: "The known location needs a latitude (−90…90) and a longitude (−180…180), as decimal degrees." };
  return { ok: true, truth: { lat: la, lon: lo } };
}

// --- sending -------------------------------------------------------------------------------------

ui.form.addEventListener("submit", (e) => {
  e.preventDefault();
  if (busy) return;
  composerError("");
  const question = ui.text.value.trim();
  const url = ui.url.value.trim();
  if (pending.length || url) {
    if (url && !/^https?:\/\/\S+$/i.test(url)) return composerError("The image URL must start with http:// or https://.");
    const t = readTruth();
    if (!t.ok) return composerError(t.message);
    const photos = pending.length ? pending.map((p) => ({ ...p })) : [{ url, name: url }];
    askAboutPhoto(photos, question || (photos.length > 1 ? "Where were these photos taken?" : "Where was this photo taken?"), t.truth);
  } else if (question && current && current.result) {
    askFollowUp(question);
  } else if (question) {
    composerError("Choose a photo first (or paste an image URL): follow-up questions are about the latest photo.");
    ui.photo.focus();
  } else {
    composerError("Choose a photo, paste an image URL, or type a follow-up question.");
  }
});

function userBubble(text, photos) {
  ui.intro.hidden = true;
  const li = node("li", "msg user");
  const many = (photos || []).length > 1;
  // Several photos of one place sit side by side in one row.
  const holder = many ? li.appendChild(node("div", "thumbs")) : li;
  for (const photo of photos || []) {
    if (photo.dataUrl) {
      const img = node("img", many ? "thumb several" : "thumb");
      img.alt = `Your photo: ${photo.name}`;
      img.addEventListener("error", () => img.replaceWith(node("p", "thumb broken", `${photo.name}: no preview (not an image this browser can show)`)));
      img.src = photo.dataUrl;
      holder.appendChild(img);
    } else {
      holder.appendChild(node("p", "url-chip", `Image URL: ${photo.url}`));
    }
  }
  li.appendChild(node("p", "text", text));
  ui.thread.appendChild(li);
  return li;
}

/** Brings a message into view: inside the thread where it scrolls on its own (desktop), else in the page (phone). */
function reveal(li) {
  const t = ui.thread;
  if (getComputedStyle(t).overflowY !== "auto") return li.scrollIntoView({ block: "nearest" });
  // The thread is the message's offset parent: show the message at the bottom, with what led to it above;
  // one taller than the thread shows from its top.
  const bottom = li.offsetTop + li.offsetHeight - t.clientHeight + 8;
  t.scrollTop = li.offsetHeight + 16 > t.clientHeight ? li.offsetTop - 8 : bottom;
}

function assistantBubble() {
  const li = node("li", "msg assistant");
  li.setAttribute("aria-busy", "true");
  ui.thread.appendChild(li);
  reveal(li);
  return li;
}

const STEPS = [
  ["encode", "Reading the photo"],
  ["retrieve", "Finding similar and dissimilar photos"],
  ["generate", "Asking the language model (K prompts × N samples)"],
  ["verify", "Verifying every candidate against the photo"],
];

function progressList(li) {
  const ol = node("ol", "steps");
  ol.setAttribute("aria-label", "Progress");
  const items = {};
  for (const [key, label] of STEPS) {
    const item = node("li", "step", null);
    item.dataset.stage = key;
    item.append(node("span", "step-label", label), node("span", "step-detail", ""));
    ol.appendChild(item);
    items[key] = item;
  }
  items.encode.classList.add("active");
  li.appendChild(ol);
  const set = (key, detail, done) => {
    const item = items[key];
    if (!item) return;
    if (detail != null) item.querySelector(".step-detail").textContent = detail;
    if (done) {
      item.classList.remove("active");
      item.classList.add("done");
      const next = item.nextElementSibling;
      if (next && !next.classList.contains("done")) next.classList.add("active");
    } else item.classList.add("active");
  };
  return {
    ol,
    onProgress(p) {
      if (p.event === "references") set("retrieve", `${p.similar} similar, ${p.dissimilar} dissimilar`, false);
      else if (p.event === "candidates") set("generate", `${p.arrived} of ${p.expected} answers`, false);
      else if (p.event === "stage") {
        const detail = items[p.stage]?.querySelector(".step-detail").textContent;
        set(p.stage, `${detail ? detail + " · " : ""}${Math.round(p.ms)} ms`, true);
      }
    },
    finish(result) {
      const lmm = (result.candidates || []).filter((c) => c.source === "lmm").length + (result.failed_candidates || []).length;
      if (lmm === 0) set("generate", "no language model configured: retrieval and verification only", true);
      for (const key of Object.keys(items)) set(key, null, true);
      ol.classList.add("complete");
    },
  };
}

function errorCard(li, error, retry) {
  const d = describeError(error);
  const box = node("div", "error-card");
  box.setAttribute("role", "alert");
  box.dataset.status = String(error.status);
  box.append(node("strong", "error-title", d.title));
  if (d.detail) box.append(node("p", "error-detail", d.detail));
  if (d.hint) box.append(node("p", "error-hint", d.hint));
  const actions = node("div", "error-actions");
  const again = node("button", "retry", "Retry");
  again.type = "button";
  again.addEventListener("click", () => {
    li.remove();
    retry();
  });
  actions.append(again);
  if (error.status === 401) {
    const key = node("button", "ghost", "Enter API key");
    key.type = "button";
    key.addEventListener("click", () => openKeyDialog("This service requires an API key for its /v1 API."));
    actions.append(key);
  }
  box.append(actions);
  li.appendChild(box);
  li.removeAttribute("aria-busy");
  reveal(li);
  again.focus({ preventScroll: true });
}

/** A failure of the page itself still gets a readable card; it is also reported, so it is never silent. */
function asApiError(error) {
  if (error instanceof ApiError) return error;
  window.reportError(error);
  return new ApiError(-1, `the page failed: ${error && error.message ? error.message : error}`);
}

function setBusy(value) {
  busy = value;
  ui.send.disabled = value;
  ui.send.textContent = value ? "Working…" : current && current.result && !pending.length ? "Ask" : "Locate";
}

/** One question about one place: every photo goes in the same user message, so the service places them together. */
async function askAboutPhoto(photos, question, truth) {
  const userMessage = {
    role: "user",
    content: [{ type: "text", text: question }, ...photos.map((p) => ({ type: "image_url", image_url: { url: p.dataUrl || p.url } }))],
  };
  const userLi = userBubble(question, photos);
  const li = assistantBubble();
  const progress = progressList(li);
  setBusy(true);
  try {
    const { text, result } = await streamChat([userMessage], { onProgress: (p) => progress.onProgress(p) });
    progress.finish(result);
    const convo = { messages: [userMessage, { role: "assistant", content: text }], result, truth, photos };
    convo.scene = sceneOf(result, truth);
    convo.card = answerCard(li, result, text, convo);
    reveal(li);
    current = convo;
    clearPending();
    ui.url.value = "";
    ui.text.value = "";
    // A known location belongs to the photo it was entered for.
    ui.truthLat.value = "";
    ui.truthLon.value = "";
    ui.truthLat.closest("details").open = false;
    ui.text.placeholder = "Ask a follow-up, e.g. “why not Spain?” or “which country else?”";
    showOnMap(convo);
  } catch (caught) {
    const error = asApiError(caught);
    userLi.classList.add("failed");
    progress.ol.remove();
    // The photos stay chosen in the composer, so Retry (or Locate) sends them again.
    errorCard(li, error, () => {
      userLi.remove();
      askAboutPhoto(photos, question, truth);
    });
    if (error.status === 401) openKeyDialog("This service requires an API key for its /v1 API.");
  } finally {
    li.removeAttribute("aria-busy");
    setBusy(false);
  }
}

async function askFollowUp(question) {
  const convo = current;
  const userMessage = { role: "user", content: question };
  userBubble(question, null);
  const li = assistantBubble();
  const p = node("p", "text streaming", "…");
  li.appendChild(p);
  setBusy(true);
  try {
    const { text } = await streamChat([...convo.messages, userMessage], { onText: (t) => (p.textContent = t) });
    p.textContent = text;
    p.classList.remove("streaming");
    li.classList.add("follow-up");
    reveal(li);
    convo.messages.push(userMessage, { role: "assistant", content: text });
    ui.text.value = "";
  } catch (caught) {
    const error = asApiError(caught);
    p.remove();
    errorCard(li, error, () => askFollowUp(question));
  } finally {
    li.removeAttribute("aria-busy");
    setBusy(false);
  }
}

// --- the answer ----------------------------------------------------------------------------------

function answerCard(li, result, text, convo) {
  const card = node("article", "answer");
  card.setAttribute("aria-label", `Answer: ${placeName(result)}`);
  const head = node("div", "answer-head");
  const place = node("h3", "answer-place", placeName(result));
  const country = result.place?.country && !placeName(result).includes(result.place.country) ? node("span", "answer-country", result.place.country) : null;
  head.append(place);
  if (country) head.append(country);
  card.append(head);

  card.append(node("p", "answer-coords", coords(result.latitude, result.longitude)));

  const conf = node("div", "confidence");
  const c = result.confidence;
  const label = node("span", "confidence-label", `Confidence: ${confidenceWords(c)}${typeof c === "number" ? ` (${c.toFixed(2)})` : ""}`);
  const meter = document.createElement("meter");
  meter.min = 0;
  meter.max = 1;
  meter.low = 0.4;
  meter.high = 0.7;
  meter.optimum = 1;
  meter.value = typeof c === "number" ? c : 0;
  meter.setAttribute("aria-label", "Confidence");
  conf.append(label, meter);
  if (result.agreement) {
    const a = result.agreement;
    conf.append(node("span", "agreement", `${a.within25_km ?? a.within_25km ?? "?"} of ${a.total} candidates within 25 km, ${a.within750_km ?? a.within_750km ?? "?"} within 750 km`));
  }
  card.append(conf);

  if (convo.scene.truth) {
    const km = convo.scene.truth.km;
    card.append(node("p", "truth-error", `Error against the known location (${coords(convo.truth.lat, convo.truth.lon)}): ${km.toFixed(1)} km`));
  }

  const why = rationale(result);
  if (why) {
    const block = node("blockquote", "rationale");
    block.append(node("p", null, why.text), node("footer", null, `— the language model, ${why.from}`));
    card.append(block);
  }
  if (result.degraded) card.append(node("p", "degraded", `The language model gave no usable answer, so this comes from similar photos alone (${result.degraded_reason || "no reason given"}).`));

  // The service's own wording adds the alternatives and notes; the lines the card already shows are left out.
  const extra = text.split("\n").filter((l) => l.trim() && !/^This photo was most likely taken|^Confidence:/.test(l));
  if (extra.length) card.append(node("p", "answer-text", extra.join("\n")));

  const t = result.timings_ms || {};
  card.append(node("p", "timings", `Encode ${Math.round(t.encode ?? 0)} ms · retrieve ${Math.round(t.retrieve ?? 0)} ms · LMM ${Math.round(t.generate ?? 0)} ms · verify ${Math.round(t.verify ?? 0)} ms · total ${Math.round(t.total ?? 0)} ms · model ${result.model}`));

  card.append(candidateTable(result, convo));

  const show = node("button", "ghost show-map", "Show on map");
  show.type = "button";
  show.addEventListener("click", () => showOnMap(convo));
  card.append(show);
  li.appendChild(card);
  return card;
}

function candidateTable(result, convo) {
  const details = node("details", "candidates");
  const all = result.candidates || [];
  const failed = result.failed_candidates || [];
  details.append(node("summary", null, `All ${all.length} candidates${failed.length ? ` (+${failed.length} unreadable answers)` : ""}`));
  const table = node("table");
  table.append(node("caption", "visually-hidden", "Candidates in the verifier's order (its probability, from the GPS score and the retrieval evidence); focus a row to find it on the map"));
  const head = node("tr");
  for (const h of ["#", "From", "Latitude", "Longitude", "Score", "Probability"]) {
    const th = node("th", null, h);
    th.scope = "col";
    head.append(th);
  }
  const thead = node("thead");
  thead.append(head);
  table.append(thead);
  const body = node("tbody");
  all.forEach((c, index) => {
    const tr = node("tr");
    tr.tabIndex = 0;
    const from = node("td");
    if (c.source === "lmm") {
      const dot = node("span", "dot");
      dot.dataset.colour = variantColour(c.variant);
      dot.setAttribute("aria-hidden", "true");
      from.append(dot);
    }
    from.append(document.createTextNode(promptLabel(c)));
    tr.append(node("td", null, String(index + 1)), from, node("td", null, fmt(c.latitude, 3)), node("td", null, fmt(c.longitude, 3)), node("td", null, fmt(c.score, 3)),
      node("td", null, fmt(c.probability, 3)));
    const on = () => {
      if (shown !== convo) showOnMap(convo);
      map.highlight(index);
    };
    tr.addEventListener("mouseenter", on);
    tr.addEventListener("focus", on);
    tr.addEventListener("mouseleave", () => map.highlight(null));
    tr.addEventListener("blur", () => map.highlight(null));
    body.append(tr);
  });
  table.append(body);
  details.append(table);
  // Colours cannot be inline styles under the page's CSP: paint the dots through the CSSOM instead.
  for (const dot of details.querySelectorAll(".dot")) dot.style.background = dot.dataset.colour;
  return details;
}

function showOnMap(convo) {
  shown = convo;
  for (const card of document.querySelectorAll(".answer.on-map")) card.classList.remove("on-map");
  convo.card.classList.add("on-map");
  map.show(convo.scene);
  const r = convo.result;
  ui.caption.textContent = `${placeName(r)} · ${convo.scene.candidates.length} candidates, ${convo.scene.similar.length} similar and ${convo.scene.dissimilar.length} dissimilar photos` +
    (convo.scene.truth ? ` · error ${convo.scene.truth.km.toFixed(1)} km` : "");
  ui.legend.replaceChildren();
  for (const item of legendOf(convo.scene, r)) {
    const li = node("li", `legend-${item.cls}`);
    const swatch = node("span", "swatch");
    swatch.setAttribute("aria-hidden", "true");
    if (item.colour) swatch.style.background = item.colour;
    li.append(swatch, document.createTextNode(item.label));
    ui.legend.append(li);
  }
}

// Buttons of the map.
$("zoom-in").addEventListener("click", () => map.zoomAt(1.5));
$("zoom-out").addEventListener("click", () => map.zoomAt(1 / 1.5));
$("zoom-fit").addEventListener("click", () => map.fit());
$("zoom-reset").addEventListener("click", () => map.reset());

watchReadiness();
