/*
 * Everything the patient answered, one block per section, each answer under its question. Answers a flag cites,
 * and yes / unsure / uncontrolled safety answers, stand out.
 */
import { el } from "./dom.js";
import { answerNode, formatValue, humanize, pathParts, questionOf } from "./format.js";
import { CHOICE_SECTIONS } from "./flags.js";

const ATTENTION_ANSWERS = new Set(["yes", "unsure", "uncontrolled"]);

function fieldList(path, fields, cited) {
  const readable = CHOICE_SECTIONS.has(path.split(/[.[]/)[0]);
  const items = Object.entries(fields).flatMap(([key, answer]) => {
    const at = `${path}.${key}`;
    const attention = cited.has(at) || (readable && ATTENTION_ANSWERS.has(answer));
    return [
      el("dt", {}, pathParts(at) ? questionOf(at) : humanize(key)), // a clinic's custom key may be any text
      el("dd", attention ? { class: "answer-attention" } : {}, answerNode(answer, readable)),
    ];
  });
  return el("dl", { class: "answers" }, items);
}

/** Whether a flag cites any part of one list item (a medicine's name or dose, say). */
const isCited = (section, index, item, cited) =>
  item !== null &&
  typeof item === "object" &&
  Object.keys(item).some((key) => cited.has(`${section}[${index}].${key}`));

function listItems(section, items, cited) {
  return el(
    "ol",
    { class: "answer-items" },
    items.map((item, index) =>
      el("li", isCited(section, index, item, cited) ? { class: "answer-attention" } : {}, formatValue(item, false)),
    ),
  );
}

export function answersView(answers, cited) {
  if (!answers) {
    return [el("p", {}, "No answers are stored for this intake.")];
  }
  return Object.entries(answers)
    .filter(([section, value]) => section !== "form_version" && formatValue(value) !== "—")
    .map(([section, value]) => {
      let body;
      if (Array.isArray(value)) {
        body = listItems(section, value, cited);
      } else if (value && typeof value === "object") {
        body = fieldList(section, value, cited);
      } else {
        body = el("p", {}, formatValue(value, false));
      }
      return el("section", { class: "answer-section" }, el("h4", {}, humanize(section)), body);
    });
}
