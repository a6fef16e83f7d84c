/** Forms of the pages that send transactions: a submit that cannot run twice at once, labelled fields. */

import { h } from "./dom";

/**
 * A form whose submit runs `action` with the button disabled meanwhile; an
 * error it throws (the node unreachable, say) is shown in the form.
 */
export function form(id: string, title: string, button: string, fields: HTMLElement[], action: () => Promise<void>): HTMLElement {
  const submit = h("button", { type: "submit" }, button);
  const problem = h("p", { class: "error" });
  const element = h("form", { id, class: "card" }, h("h3", {}, title), ...fields, submit, problem);
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    problem.textContent = "";
    try {
      await action();
    } catch (error) {
      problem.textContent = (error as Error).message;
    } finally {
      submit.disabled = false;
    }
  });
  return element;
}

/** A labelled field. */
export function label(text: string, field: HTMLElement): HTMLElement {
  return h("label", {}, h("span", {}, text), field);
}

/** A wide text field with `id` and a `placeholder` saying what goes in. */
export function textField(id: string, placeholder: string): HTMLInputElement {
  return h("input", { id, placeholder, size: 40 });
}
