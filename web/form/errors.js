/*
 * Showing problems: a message at each field (tied to it with aria-describedby) and a summary at the top that is
 * announced, focused, and links to each field. The summary is kept as keys, so it can be redrawn in a new language.
 */
import { controlsOf, idFor } from "./fields.js";

const { el } = window.IntakeWeb;
const summary = () => document.getElementById("error-summary");
const lowerFirst = (text) => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);

let shown = null;

function setDescribedBy(node, add, remove) {
  const ids = (node.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== remove);
  if (add) {
    ids.push(add);
  }
  if (ids.length) {
    node.setAttribute("aria-describedby", ids.join(" "));
  } else {
    node.removeAttribute("aria-describedby");
  }
}

function markField(container, message, t) {
  const slot = container.querySelector(".field-error");
  slot.id = `${idFor(container.dataset.field)}-error`;
  slot.replaceChildren(el("span", { class: "error-prefix" }, t("ui.error_prefix")), " ", el("span", {}, message));
  slot.hidden = false;
  container.classList.add("has-error");
  for (const node of container.tagName === "FIELDSET" ? [container] : controlsOf(container)) {
    setDescribedBy(node, slot.id, slot.id);
  }
  controlsOf(container).forEach((control) => control.setAttribute("aria-invalid", "true"));
}

export function unmarkField(container) {
  const slot = container.querySelector(".field-error");
  if (!slot || slot.hidden) {
    return;
  }
  slot.hidden = true;
  slot.textContent = "";
  container.classList.remove("has-error");
  for (const node of [container, ...controlsOf(container)]) {
    setDescribedBy(node, null, slot.id);
    node.removeAttribute("aria-invalid");
  }
}

export function clearProblems(form) {
  form.querySelectorAll("[data-field]").forEach(unmarkField);
  summary().hidden = true;
  document.getElementById("error-summary-list").replaceChildren();
  document.getElementById("retry-button").hidden = true;
  shown = null;
}

/** The question as the summary names it: its short name when the full label is long, else the label. */
function labelText(container, t) {
  const short = container.dataset.i18nShort;
  if (short) {
    return t(short);
  }
  const caption = container.querySelector(":scope > legend, :scope > label");
  const copy = caption.cloneNode(true);
  copy.querySelectorAll(".optional-tag").forEach((tag) => tag.remove());
  return copy.textContent.replace(/\s+/g, " ").trim();
}

function draw(t) {
  const { titleKey, messageKey, params, problems, retry } = shown;
  document.getElementById("error-summary-title").textContent = t(titleKey);
  document.getElementById("error-summary-message").textContent = t(messageKey, params);
  const items = problems.map((found) => {
    const message = found.text || t(found.key, found.params);
    if (!found.container) {
      return el("li", {}, message);
    }
    markField(found.container, message, t);
    const control = controlsOf(found.container)[0];
    const link = el("a", { href: `#${control.id}` }, `${labelText(found.container, t)} – ${lowerFirst(message)}`);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      control.focus();
      control.scrollIntoView({ block: "center" });
    });
    return el("li", {}, link);
  });
  document.getElementById("error-summary-list").replaceChildren(...items);
  document.getElementById("retry-button").hidden = !retry;
}

/** Shows the summary (announced, focused). problems: [{container?, key, params} or {container?, text}]. */
export function showSummary(t, { titleKey, messageKey, params = {}, problems = [], retry = false }) {
  shown = { titleKey, messageKey, params, problems, retry };
  draw(t);
  const box = summary();
  box.hidden = false;
  box.focus();
  box.scrollIntoView({ block: "start" });
}

export function showFieldProblems(t, problems) {
  const many = problems.length !== 1;
  showSummary(t, {
    titleKey: "ui.summary.title",
    messageKey: many ? "ui.summary.many" : "ui.summary.one",
    params: { count: problems.length },
    problems,
  });
}

/** Redraws what is shown in the language just chosen, without moving focus. */
export function redrawSummary(t) {
  if (shown) {
    draw(t);
  }
}
