// Turns the service's result (the "g3" object) into what the page shows: the answer card, the map's
// scene with each marker's provenance, and the distance to a known true point.

import { variantColour } from "./map.js";

export const fmt = (x, digits = 4) => (typeof x === "number" ? x.toFixed(digits) : "–");

export function coords(lat, lon) {
  return `${Math.abs(lat).toFixed(4)}° ${lat >= 0 ? "N" : "S"}, ${Math.abs(lon).toFixed(4)}° ${lon >= 0 ? "E" : "W"}`;
}

/** Great-circle distance in km (haversine on a 6371 km sphere, as the service measures errors). */
export function distanceKm(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The place as one line: the reverse-geocoded description, an ocean, or nothing known. */
export function placeName(result) {
  const p = result.place;
  if (p && p.description) return p.description;
  if (p && p.ocean) return p.ocean;
  return "An unnamed place";
}

export function confidenceWords(c) {
  if (typeof c !== "number") return "not estimated";
  return c >= 0.7 ? "high" : c >= 0.4 ? "moderate" : "low";
}

function promptLabel(c) {
  if (c.source !== "lmm") return `retrieved photo #${(c.retrieval_rank ?? 0) + 1}${c.reference_id ? ` (${c.reference_id})` : ""}`;
  const refs = c.reference_count ? `${c.reference_count} references` : "zero-shot";
  return `prompt K=${(c.variant ?? 0) + 1} (${refs}), sample n=${(c.sample ?? 0) + 1}`;
}

function clip(text, n = 180) {
  if (!text) return "";
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > n ? t.slice(0, n - 1) + "…" : t;
}

/**
 * The language model's own words about the chosen point, when it gave any: a "reason"-like field of its
 * JSON answer, or the prose around the JSON. The chosen candidate's text if it came from the model,
 * else the best-scored model candidate's.
 */
export function rationale(result) {
  const lmm = [result.best, ...(result.candidates || [])].filter((c) => c && c.source === "lmm" && c.raw_text);
  const c = lmm[0];
  if (!c) return null;
  const raw = c.raw_text.trim();
  const start = raw.indexOf("{"), end = raw.lastIndexOf("}");
  let text = raw;
  if (start >= 0 && end > start) {
    try {
      const obj = JSON.parse(raw.slice(start, end + 1));
      for (const key of ["rationale", "reason", "reasoning", "explanation", "clues", "evidence"]) {
        if (typeof obj[key] === "string" && obj[key].trim()) return { text: obj[key].trim(), from: promptLabel(c) };
      }
    } catch {
      // Not JSON after all: keep the prose as it is.
    }
    text = (raw.slice(0, start) + " " + raw.slice(end + 1)).trim();
  }
  text = text.replace(/```(json)?/g, "").trim();
  return text.length >= 12 ? { text, from: promptLabel(c) } : null;
}

/** Marker radius from the verifier score, scaled between the weakest and strongest candidate. */
function radii(candidates) {
  const scores = candidates.map((c) => c.score).filter((s) => typeof s === "number");
  const lo = Math.min(...scores), hi = Math.max(...scores);
  return (s) => (typeof s !== "number" || !isFinite(lo) || hi - lo < 1e-9 ? 6 : 3.5 + 7 * ((s - lo) / (hi - lo)));
}

/** The map's scene for one result: every point with the lines its tooltip shows. */
export function sceneOf(result, truth) {
  const radius = radii(result.candidates || []);
  const candidates = (result.candidates || [])
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => typeof c.latitude === "number" && typeof c.longitude === "number")
    .map(({ c, index }) => ({
      index,
      lat: c.latitude,
      lon: c.longitude,
      source: c.source,
      variant: c.variant,
      score: c.score,
      radius: radius(c.score),
      tip: [
        c.source === "lmm" ? `LMM candidate · ${promptLabel(c)}` : `Retrieved candidate · ${promptLabel(c)}`,
        `${coords(c.latitude, c.longitude)} · verifier score ${fmt(c.score, 3)} · probability ${fmt(c.probability, 3)} · rank ${(c.rank ?? 0) + 1}`,
        ...(c.raw_text ? [`raw answer: ${clip(c.raw_text)}`] : []),
      ],
    }));
  const ref = (kind) => (r) => ({
    lat: r.latitude,
    lon: r.longitude,
    tip: [`${kind} photo ${r.id}`, `${coords(r.latitude, r.longitude)} · similarity ${fmt(r.similarity, 3)}`, ...(r.place ? [r.place] : [])],
  });
  const best = result.best || {};
  const scene = {
    best: {
      lat: result.latitude,
      lon: result.longitude,
      tip: [`Answer · ${placeName(result)}`, coords(result.latitude, result.longitude), `chosen: ${promptLabel(best)} · score ${fmt(best.score, 3)}`],
    },
    candidates,
    similar: (result.references?.similar || []).map(ref("Similar")),
    dissimilar: (result.references?.dissimilar || []).map(ref("Dissimilar")),
    truth: null,
    variants: [...new Set(candidates.filter((c) => c.source === "lmm").map((c) => c.variant ?? 0))].sort((a, b) => a - b),
  };
  if (truth) {
    const km = distanceKm(truth, scene.best);
    scene.truth = { ...truth, km, tip: ["True location", coords(truth.lat, truth.lon), `error of the answer: ${km.toFixed(1)} km`] };
  }
  return scene;
}

/** Legend entries for a scene (the prompt variants present, then the other kinds). */
export function legendOf(scene, result) {
  const items = [{ cls: "best", label: "Answer" }];
  for (const v of scene?.variants || []) {
    const c = (result?.candidates || []).find((x) => x.source === "lmm" && (x.variant ?? 0) === v);
    const refs = c && c.reference_count ? `${c.reference_count} refs` : "zero-shot";
    items.push({ cls: "lmm", colour: variantColour(v), label: `LMM prompt K=${v + 1} (${refs})` });
  }
  items.push({ cls: "retrieval", label: "Retrieved candidate" });
  items.push({ cls: "similar", label: "Similar photo" });
  items.push({ cls: "dissimilar", label: "Dissimilar photo" });
  if (scene?.truth) items.push({ cls: "truth", label: "True location" });
  items.push({ cls: "note", label: "Size = verifier score" });
  return items;
}

export { promptLabel };
