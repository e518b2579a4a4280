// The world map: Natural Earth countries (world-atlas TopoJSON) drawn with d3-geo into an SVG, with
// zoom and pan by wheel, drag, pinch, buttons and keys. Markers keep their pixel size at every zoom,
// so they are drawn in screen space from the projection and the current transform.

const SVG = "http://www.w3.org/2000/svg";
const WORLD_URL = "/vendor/world-atlas@2.0.2/countries-50m.json";
const MIN_ZOOM = 1;
const MAX_ZOOM = 48;

/** One colour per prompt variant (K), in order; repeats past eight. */
export const VARIANT_COLOURS = ["#d9480f", "#1c7ed6", "#2b8a3e", "#ae3ec9", "#e8590c", "#0b7285", "#c2255c", "#5c940d"];
export const variantColour = (v) => VARIANT_COLOURS[((v ?? 0) % VARIANT_COLOURS.length + VARIANT_COLOURS.length) % VARIANT_COLOURS.length];

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

export class WorldMap {
  constructor(container, tooltip, onFailure) {
    this.container = container;
    this.tooltip = tooltip;
    this.scene = null;
    this.transform = { k: 1, x: 0, y: 0 };
    this.pointers = new Map();
    this.svg = el("svg", { class: "map-svg", role: "img", "aria-label": "World map with the answer and its candidates" }, container);
    this.base = el("g", { class: "base" }, this.svg);
    this.overlay = el("g", { class: "overlay" }, this.svg);
    if (!window.d3 || !window.d3.geoPath || !window.topojson) {
      onFailure("The map libraries are missing on this host (run scripts/bootstrap.sh); answers still show below.");
      return;
    }
    this.projection = d3.geoNaturalEarth1();
    this.path = d3.geoPath(this.projection);
    this.bindInput();
    new ResizeObserver(() => this.resize()).observe(container);
    fetch(WORLD_URL)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status}`))))
      .then((world) => {
        this.countries = topojson.feature(world, world.objects.countries);
        this.borders = topojson.mesh(world, world.objects.countries, (a, b) => a !== b);
        this.resize();
      })
      .catch(() => onFailure("The world map data could not be loaded from this host (run scripts/bootstrap.sh)."));
  }

  /** Lays the world out for the container's current size and redraws. */
  resize() {
    const w = Math.max(200, this.container.clientWidth);
    const h = Math.max(150, this.container.clientHeight);
    if (w === this.w && h === this.h && this.drawn) return;
    this.w = w;
    this.h = h;
    this.svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    this.projection.fitExtent([[8, 8], [w - 8, h - 8]], { type: "Sphere" });
    this.drawBase();
    this.apply();
  }

  drawBase() {
    if (!this.countries) return;
    this.base.replaceChildren();
    el("path", { class: "sphere", d: this.path({ type: "Sphere" }) }, this.base);
    el("path", { class: "graticule", d: this.path(d3.geoGraticule10()) }, this.base);
    const land = el("g", { class: "countries" }, this.base);
    for (const f of this.countries.features) {
      const p = el("path", { class: "country", d: this.path(f) }, land);
      if (f.properties && f.properties.name) el("title", {}, p).textContent = f.properties.name;
    }
    el("path", { class: "borders", d: this.path(this.borders) }, this.base);
    this.drawn = true;
  }

  // --- zoom and pan -------------------------------------------------------------------------

  apply() {
    const { k, x, y } = this.transform;
    this.base.setAttribute("transform", `translate(${x},${y}) scale(${k})`);
    this.drawMarkers();
  }

  /** Keeps the world on screen: at least part of it stays inside the view. */
  clamp() {
    const t = this.transform;
    t.k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, t.k));
    const minX = this.w - this.w * t.k, minY = this.h - this.h * t.k;
    t.x = Math.min(0, Math.max(minX, t.x));
    t.y = Math.min(0, Math.max(minY, t.y));
  }

  zoomAt(factor, cx = this.w / 2, cy = this.h / 2) {
    const t = this.transform;
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, t.k * factor));
    t.x = cx - ((cx - t.x) * k) / t.k;
    t.y = cy - ((cy - t.y) * k) / t.k;
    t.k = k;
    this.clamp();
    this.apply();
  }

  panBy(dx, dy) {
    this.transform.x += dx;
    this.transform.y += dy;
    this.clamp();
    this.apply();
  }

  reset() {
    this.transform = { k: 1, x: 0, y: 0 };
    this.apply();
  }

  /** Zooms to hold the answer, its candidates and the true point, with a margin. */
  fit() {
    if (!this.scene || !this.projection) return this.reset();
    const pts = [this.scene.best, this.scene.truth, ...this.scene.candidates].filter(Boolean).map((p) => this.projection([p.lon, p.lat]));
    if (pts.length === 0) return this.reset();
    const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const k = Math.min(12, Math.max(MIN_ZOOM, 0.7 * Math.min(this.w / Math.max(x1 - x0, 1), this.h / Math.max(y1 - y0, 1))));
    this.transform = { k, x: this.w / 2 - k * (x0 + x1) / 2, y: this.h / 2 - k * (y0 + y1) / 2 };
    this.clamp();
    this.apply();
  }

  bindInput() {
    const c = this.container;
    c.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = this.svg.getBoundingClientRect();
      this.zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    c.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      c.setPointerCapture(e.pointerId);
      this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
      c.classList.add("dragging");
    });
    c.addEventListener("pointermove", (e) => {
      const last = this.pointers.get(e.pointerId);
      if (!last) return;
      if (this.pointers.size === 2) {
        // Pinch: zoom by the change of distance between the two fingers, about their midpoint.
        const [a, b] = [...this.pointers.values()];
        const other = a === last ? b : a;
        const before = Math.hypot(last.x - other.x, last.y - other.y);
        const after = Math.hypot(e.clientX - other.x, e.clientY - other.y);
        const r = this.svg.getBoundingClientRect();
        if (before > 0) this.zoomAt(after / before, (e.clientX + other.x) / 2 - r.left, (e.clientY + other.y) / 2 - r.top);
      } else {
        this.panBy(e.clientX - last.x, e.clientY - last.y);
      }
      this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    });
    const end = (e) => {
      this.pointers.delete(e.pointerId);
      if (this.pointers.size === 0) c.classList.remove("dragging");
    };
    c.addEventListener("pointerup", end);
    c.addEventListener("pointercancel", end);
    c.addEventListener("keydown", (e) => {
      const step = 60;
      const actions = {
        ArrowLeft: () => this.panBy(step, 0), ArrowRight: () => this.panBy(-step, 0),
        ArrowUp: () => this.panBy(0, step), ArrowDown: () => this.panBy(0, -step),
        "+": () => this.zoomAt(1.5), "=": () => this.zoomAt(1.5), "-": () => this.zoomAt(1 / 1.5), "0": () => this.reset(),
      };
      if (actions[e.key]) {
        e.preventDefault();
        actions[e.key]();
      }
    });
  }

  // --- markers ------------------------------------------------------------------------------

  /** scene: { best, truth, candidates[], similar[], dissimilar[] }, each point { lat, lon, ... }. */
  show(scene) {
    this.scene = scene;
    this.fit();
  }

  screen(p) {
    const [px, py] = this.projection([p.lon, p.lat]);
    const { k, x, y } = this.transform;
    return [px * k + x, py * k + y];
  }

  drawMarkers() {
    this.overlay.replaceChildren();
    const s = this.scene;
    if (!s || !this.projection) return;
    const layer = (cls) => el("g", { class: cls }, this.overlay);

    const far = layer("layer-dissimilar");
    for (const r of s.dissimilar) {
      const [x, y] = this.screen(r);
      this.hover(el("path", { class: "marker dissimilar", "data-kind": "dissimilar", d: `M${x},${y - 5}L${x + 5},${y}L${x},${y + 5}L${x - 5},${y}Z` }, far), r);
    }
    const near = layer("layer-similar");
    for (const r of s.similar) {
      const [x, y] = this.screen(r);
      this.hover(el("rect", { class: "marker similar", "data-kind": "similar", x: x - 4, y: y - 4, width: 8, height: 8, rx: 1.5 }, near), r);
    }
    if (s.truth) {
      const line = { type: "LineString", coordinates: [[s.truth.lon, s.truth.lat], [s.best.lon, s.best.lat]] };
      const { k, x, y } = this.transform;
      el("path", { class: "error-line", d: this.path(line), transform: `translate(${x},${y}) scale(${k})` }, layer("layer-error"));
    }
    const cands = layer("layer-candidates");
    // Lowest score first, so the strongest candidates lie on top.
    const ordered = [...s.candidates].sort((a, b) => (a.score ?? -1) - (b.score ?? -1));
    for (const c of ordered) {
      const [x, y] = this.screen(c);
      const attrs = { class: `marker candidate ${c.source}`, "data-kind": "candidate", "data-index": c.index, cx: x, cy: y, r: c.radius };
      if (c.source === "lmm") attrs.fill = variantColour(c.variant);
      this.hover(el("circle", attrs, cands), c);
    }
    if (s.truth) {
      const [x, y] = this.screen(s.truth);
      const g = el("g", { class: "marker truth", "data-kind": "truth", transform: `translate(${x},${y})` }, layer("layer-truth"));
      el("path", { d: "M0,0V-22", class: "flag-pole" }, g);
      el("path", { d: "M0,-22L14,-17L0,-12Z", class: "flag" }, g);
      el("circle", { r: 3, class: "flag-foot" }, g);
      this.hover(g, s.truth);
    }
    const [bx, by] = this.screen(s.best);
    const pin = el("g", { class: "marker best", "data-kind": "best", transform: `translate(${bx},${by})` }, layer("layer-best"));
    el("path", { d: "M0,0C-2,-7 -11,-12 -11,-20A11,11 0 1 1 11,-20C11,-12 2,-7 0,0Z", class: "pin" }, pin);
    el("circle", { cy: -20, r: 4.5, class: "pin-dot" }, pin);
    this.hover(pin, s.best);
  }

  hover(node, item) {
    node.addEventListener("pointerenter", (e) => this.showTip(item.tip, e.clientX, e.clientY));
    node.addEventListener("pointermove", (e) => this.showTip(item.tip, e.clientX, e.clientY));
    node.addEventListener("pointerleave", () => this.hideTip());
  }

  /** Highlights one candidate (from the answer's table) and shows its provenance beside it. */
  highlight(index) {
    for (const n of this.overlay.querySelectorAll(".hot")) n.classList.remove("hot");
    if (index == null || !this.scene) return this.hideTip();
    const node = this.overlay.querySelector(`[data-index="${index}"]`);
    const c = this.scene.candidates.find((x) => x.index === index);
    if (!node || !c) return;
    node.classList.add("hot");
    node.parentNode.appendChild(node);
    const r = this.svg.getBoundingClientRect();
    const [x, y] = this.screen(c);
    this.showTip(c.tip, r.left + x, r.top + y);
  }

  showTip(lines, clientX, clientY) {
    if (!lines) return;
    const t = this.tooltip;
    t.replaceChildren();
    lines.forEach((line, i) => {
      const p = document.createElement(i === 0 ? "strong" : "span");
      p.textContent = line;
      t.appendChild(p);
    });
    t.hidden = false;
    const box = t.parentNode.getBoundingClientRect();
    const left = Math.min(clientX - box.left + 14, box.width - t.offsetWidth - 6);
    const top = clientY - box.top + 14 + t.offsetHeight > box.height ? clientY - box.top - t.offsetHeight - 10 : clientY - box.top + 14;
    t.style.left = `${Math.max(6, left)}px`;
    t.style.top = `${Math.max(6, top)}px`;
  }

  hideTip() {
    this.tooltip.hidden = true;
  }
}
