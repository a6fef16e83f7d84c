/** A tiny DOM builder: text always goes in as text, never as HTML. */

/** Attributes: strings are set as attributes, functions as `on<event>` listeners. */
type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;
/** A child: a node, or text. */
type Child = Node | string | number | null | undefined | false;

/** Builds element `tag` with `attrs` and `children`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== undefined && value !== false) element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A table with `headers` and `rows` (`id`, `class`), or `empty` as a paragraph when there are no rows. */
export function table(headers: string[], rows: Child[][], empty: string, id?: string, kind?: string): HTMLElement {
  if (rows.length === 0) return h("p", { class: kind ? `empty ${kind}` : "empty", id }, empty);
  return h(
    "table",
    { id, class: kind },
    h("thead", {}, h("tr", {}, ...headers.map((header) => h("th", {}, header)))),
    h("tbody", {}, ...rows.map((row) => h("tr", {}, ...row.map((cell) => h("td", {}, cell))))),
  );
}
