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
