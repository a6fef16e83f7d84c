/** A split bar: how a whole divides among named parts (an operator's allocations), drawn in SVG. */

/** One part of the whole, as a fraction of it (0 to 1). */
export interface Part {
  /** What the part is. */
  label: string;
  /** Its fraction of the whole. */
  fraction: number;
}

/** Colours of the parts, in order; the unallocated rest is grey. */
const COLOURS = ["#1f5eff", "#e8590c", "#0ca678", "#ae3ec9", "#f59f00", "#1098ad"];
const SVG = "http://www.w3.org/2000/svg";

/** A bar `width` wide split into `parts` and the rest (`restLabel`), with a legend. */
export function splitBar(parts: Part[], restLabel: string, width = 560): HTMLElement {
  const height = 22;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("role", "img");
  const rest = Math.max(0, 1 - parts.reduce((sum, p) => sum + p.fraction, 0));
  const all = [...parts.map((p, i) => ({ ...p, colour: COLOURS[i % COLOURS.length] })), { label: restLabel, fraction: rest, colour: "#d9dee8" }];
  svg.setAttribute("aria-label", all.map((p) => `${p.label} ${(p.fraction * 100).toFixed(1)} %`).join(", "));
  const legend = document.createElement("div");
  legend.className = "legend";
  let x = 0;
  for (const part of all) {
    const rect = document.createElementNS(SVG, "rect");
    const w = part.fraction * width;
    rect.setAttribute("x", String(x));
    rect.setAttribute("width", String(w));
    rect.setAttribute("height", String(height));
    rect.setAttribute("fill", part.colour);
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${part.label}: ${(part.fraction * 100).toFixed(2)} %`;
    rect.append(title);
    svg.append(rect);
    x += w;
    const key = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = part.colour;
    key.append(swatch, `${part.label} ${(part.fraction * 100).toFixed(1)} %`);
    legend.append(key);
  }
  const figure = document.createElement("figure");
  figure.className = "split";
  figure.append(svg, legend);
  return figure;
}

/** One line of a chart: a label and its points (x by block, y in tokens). */
export interface Line {
  /** What it measures. */
  label: string;
  /** Its points, by x. */
  points: [number, number][];
}

/** A moment on the x axis worth naming (a slash, a deposit, a chapter of the story). */
export interface Marker {
  /** Where, in the lines' x unit (a block number). */
  x: number;
  /** A short kind (`slash`, `deposit`, ...), also the marker's class. */
  kind: string;
  /** What happened. */
  text: string;
}

/** Lines over time in SVG, `width` × `height`, with vertical markers, the x range (named `xLabel`) and a legend. */
export function lineChart(lines: Line[], markers: Marker[], xLabel = "block", width = 640, height = 220): HTMLElement {
  const pad = { left: 56, right: 12, top: 10, bottom: 24 };
  const xs = [...lines.flatMap((l) => l.points.map(([x]) => x)), ...markers.map((m) => m.x)];
  const ys = lines.flatMap((l) => l.points.map(([, y]) => y));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const y1 = Math.max(...ys, 0) * 1.08 || 1;
  const sx = (x: number) => pad.left + (x1 > x0 ? ((x - x0) / (x1 - x0)) * (width - pad.left - pad.right) : (width - pad.left - pad.right) / 2);
  const sy = (y: number) => height - pad.bottom - (y / y1) * (height - pad.top - pad.bottom);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", lines.map((l) => `${l.label}: ${l.points.length} points`).join(", "));
  const add = (tag: string, attrs: Record<string, string | number>, title?: string) => {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (title) {
      const t = document.createElementNS(SVG, "title");
      t.textContent = title;
      el.append(t);
    }
    svg.append(el);
    return el;
  };
  for (const tick of [0, 0.5, 1]) {
    const y = sy(y1 * tick);
    add("line", { x1: pad.left, x2: width - pad.right, y1: y, y2: y, stroke: "#e3e7ef" });
    add("text", { x: pad.left - 6, y: y + 4, "text-anchor": "end", "font-size": 10, fill: "#6b7385" }).textContent = (y1 * tick).toPrecision(3);
  }
  add("text", { x: pad.left, y: height - 6, "font-size": 10, fill: "#6b7385" }).textContent = `${xLabel} ${x0}`;
  add("text", { x: width - pad.right, y: height - 6, "text-anchor": "end", "font-size": 10, fill: "#6b7385" }).textContent = `${xLabel} ${x1}`;
  for (const m of markers) {
    add("line", { x1: sx(m.x), x2: sx(m.x), y1: pad.top, y2: height - pad.bottom, class: `marker ${m.kind}`, stroke: m.kind === "slash" ? "#e03131" : "#adb5bd", "stroke-dasharray": "3 3" }, `${m.kind}: ${m.text}`);
  }
  const legend = document.createElement("div");
  legend.className = "legend";
  lines.forEach((line, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const d = line.points.map(([x, y], j) => `${j ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
    add("path", { d, fill: "none", stroke: colour, "stroke-width": 2, class: "series" }, line.label);
    for (const [x, y] of line.points) add("circle", { cx: sx(x), cy: sy(y), r: 2.5, fill: colour }, `${line.label}: ${y}`);
    const key = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = colour;
    key.append(swatch, line.label);
    legend.append(key);
  });
  const figure = document.createElement("figure");
  figure.className = "split";
  figure.append(svg, legend);
  return figure;
}
