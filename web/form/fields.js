/*
 * The questions: each container marked data-field (the contract path) and data-kind (how the answer is read).
 * Choices, limits and which answers are required come from the generated contract (web/contract.js); this module
 * adds the answer controls, reads answers as the contract wants them, and checks them as the API does.
 */
import { FIELDS } from "../contract.js";
import { appointmentProblem, birthDateProblem, zonedDateTime } from "./dates.js";

const { el } = window.IntakeWeb;

/** STarT Back items are booleans in the contract; the patient agrees or disagrees. */
const AGREE = [
  { value: "agree", parsed: true, key: "option.agree" },
  { value: "disagree", parsed: false, key: "option.disagree" },
];
const MISSING = {
  choice: "error.missing.choice",
  agree: "error.missing.choice",
  multi: "error.missing.multi",
  consent: "error.missing.consent",
  birthdate: "error.missing.birthdate",
  int: "error.missing.int",
};

export const idFor = (path) => "f-" + path.replace(/[.[\]]+/g, "-").replace(/-$/, "");
/** The contract's spec of a field; list positions are generic ("medications[2].name" → "medications[].name"). */
export const specOf = (container) => FIELDS[container.dataset.field.replace(/\[\d+\]/g, "[]")];
/** Not hidden inside the form (the form itself may be hidden, behind the confirmation or before start). */
const isShown = (node) => {
  const hidden = node.closest("[hidden]");
  return !hidden || hidden.contains(node.closest("form"));
};
export const controlsOf = (container) => [...container.querySelectorAll("input, select, textarea")];
const codePoints = (text) => [...text].length;
const parentPath = (path) => path.replace(/(\.[^.[\]]+)$/, "");

export function activeFields(form) {
  return [...form.querySelectorAll("[data-field]")].filter(isShown);
}

function optionsOf(container) {
  const spec = specOf(container);
  const kind = container.dataset.kind;
  if (kind === "agree") {
    return AGREE;
  }
  const values = kind === "multi" ? spec.items.enum : spec.enum;
  return values.map((value) => ({ value, parsed: value, key: `option.${value}` }));
}

/** Whether the page marks the question "optional": the contract does not require it and no form rule does. */
export function isOptional(container) {
  return specOf(container).required === null && !container.hasAttribute("data-required-for-minors");
}

/** Adds the answer controls, the "optional" tag and an (empty) error slot to one question. */
export function buildField(container) {
  const kind = container.dataset.kind;
  const path = container.dataset.field;
  if (kind === "choice" || kind === "multi" || kind === "agree") {
    const type = kind === "multi" ? "checkbox" : "radio";
    const list = el("div", { class: "choices" });
    for (const option of optionsOf(container)) {
      const id = `${idFor(path)}-${option.value}`;
      list.append(
        el(
          "div",
          { class: "choice" },
          el("input", { type, id, name: path, value: option.value }),
          el("label", { for: id, "data-i18n": option.key }),
        ),
      );
    }
    container.append(list);
  } else if (kind === "select") {
    const select = container.querySelector("select");
    select.append(el("option", { value: "", "data-i18n": "ui.choose" }));
    optionsOf(container).forEach((option) => select.append(el("option", { value: option.value, "data-i18n": option.key })));
  }
  if (isOptional(container)) {
    const caption = container.querySelector(":scope > legend, :scope > label");
    caption.append(" ", el("span", { class: "optional-tag", "data-i18n": "ui.optional" }));
  }
  const slot = el("p", { class: "field-error", hidden: true });
  container.insertBefore(slot, container.querySelector(".choices, input, select, textarea"));
}

function checkedValues(form, path) {
  return [...form.querySelectorAll("input:checked")].filter((input) => input.name === path).map((i) => i.value);
}

/** Shows detail questions only when their trigger answer is given (hidden ones are never sent or checked). */
export function updateDetailQuestions(form) {
  for (const detail of form.querySelectorAll("[data-shown-when]")) {
    const [path, values] = detail.dataset.shownWhen.split("=");
    const wanted = values.split(",");
    detail.hidden = !checkedValues(form, path).some((value) => wanted.includes(value));
  }
}

/** The answer as the contract wants it, or undefined when there is none. */
export function readValue(container, context) {
  const kind = container.dataset.kind;
  const path = container.dataset.field;
  const form = container.closest("form");
  if (kind === "choice" || kind === "agree") {
    const [value] = checkedValues(form, path);
    const option = optionsOf(container).find((o) => o.value === value);
    return option ? option.parsed : undefined;
  }
  if (kind === "multi") {
    const values = checkedValues(form, path);
    return values.length ? values : undefined;
  }
  const control = controlsOf(container)[0];
  if (kind === "consent") {
    return control.checked;
  }
  const text = control.value.trim();
  if (text === "") {
    return undefined;
  }
  if (kind === "int") {
    return /^\d+$/.test(text) ? Number(text) : text;
  }
  if (kind === "datetime") {
    const zoned = zonedDateTime(text, context.timeZone);
    return zoned ? zoned.iso : text;
  }
  if (kind === "lines") {
    const lines = text.split("\n").map((line) => line.trim()).filter(Boolean);
    return lines.length ? lines : undefined;
  }
  return text;
}

const problem = (key, params = {}) => ({ key, params });

function lengthProblem(text, max) {
  const used = codePoints(text);
  return max !== undefined && used > max ? problem("error.too_long", { max, used }) : null;
}

function kindProblem(container, value, context) {
  const spec = specOf(container);
  switch (container.dataset.kind) {
    case "text":
      return lengthProblem(value, spec.maxLength);
    case "email":
      return lengthProblem(value, spec.maxLength) ||
        (spec.pattern && !new RegExp(spec.pattern).test(value) ? problem("error.email") : null);
    case "birthdate": {
      const key = birthDateProblem(value, context.today());
      return key ? problem(key, { example: context.exampleDate }) : null;
    }
    case "datetime": {
      const key = appointmentProblem(controlsOf(container)[0].value, context.timeZone);
      return key ? problem(key, { example: context.exampleDate }) : null;
    }
    case "int":
      return !Number.isInteger(value) || value < spec.minimum || value > spec.maximum
        ? problem("error.int_range", { min: spec.minimum, max: spec.maximum })
        : null;
    case "multi":
      return spec.maxItems !== undefined && value.length > spec.maxItems
        ? problem("error.too_many", { max: spec.maxItems, count: value.length })
        : null;
    case "lines": {
      if (value.length > spec.maxItems) {
        return problem("error.too_many", { max: spec.maxItems, count: value.length });
      }
      const max = spec.items.maxLength;
      const tooLong = value.findIndex((line) => codePoints(line) > max);
      return tooLong >= 0 ? problem("error.line_too_long", { line: tooLong + 1, max }) : null;
    }
    default:
      return null;
  }
}

/** Required now: by the contract, by a sibling answer ("with_siblings"), or (guardian) because shown for a minor. */
export function isRequired(container, context) {
  const required = specOf(container).required;
  if (required === "always" || container.hasAttribute("data-required-for-minors")) {
    return true;
  }
  if (required !== "with_siblings") {
    return false;
  }
  const parent = parentPath(container.dataset.field);
  return activeFields(container.closest("form")).some(
    (other) => other !== container && parentPath(other.dataset.field) === parent && readValue(other, context) !== undefined,
  );
}

/** The problem with one answer ({key, params}), or null. */
export function fieldProblem(container, context) {
  const kind = container.dataset.kind;
  const value = readValue(container, context);
  if (value === undefined || (kind === "consent" && value === false)) {
    return isRequired(container, context) ? problem(MISSING[kind] || "error.missing.text") : null;
  }
  return kindProblem(container, value, context);
}

export function validate(form, context) {
  return activeFields(form)
    .map((container) => ({ container, ...fieldProblem(container, context) }))
    .filter((found) => found.key);
}

function setPath(target, path, value) {
  const keys = path.match(/[^.[\]]+/g);
  let node = target;
  keys.slice(0, -1).forEach((key, index) => {
    if (node[key] === undefined) {
      node[key] = /^\d+$/.test(keys[index + 1]) ? [] : {};
    }
    node = node[key];
  });
  node[keys[keys.length - 1]] = value;
}

/** The answers of every question on screen, placed at their contract paths. */
export function collectAnswers(form, context, body) {
  for (const container of activeFields(form)) {
    const value = readValue(container, context);
    if (value !== undefined) {
      setPath(body, container.dataset.field, value);
    }
  }
  return body;
}
