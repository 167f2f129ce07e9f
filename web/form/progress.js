/* Progress by section: a section is done when every question it requires is answered acceptably. */
import { activeFields, fieldProblem, isRequired } from "./fields.js";

const { el } = window.IntakeWeb;

function sectionState(section, context) {
  const required = activeFields(section).filter((container) => isRequired(container, context));
  if (!required.length) {
    return "optional";
  }
  return required.every((container) => !fieldProblem(container, context)) ? "done" : "todo";
}

export function updateProgress(form, context, t) {
  const sections = [...form.querySelectorAll("[data-section]")];
  const states = sections.map((section) => sectionState(section, context));
  const counted = states.filter((state) => state !== "optional");
  document.getElementById("progress-count").textContent = t("ui.progress.count", {
    done: counted.filter((state) => state === "done").length,
    total: counted.length,
  });
  const stateKeys = { done: "ui.progress.done", todo: "ui.progress.todo", optional: "ui.progress.optional" };
  const items = sections.map((section, index) =>
    el(
      "li",
      { class: `progress-${states[index]}` },
      el("a", { href: `#${section.id}` }, section.querySelector("h2").textContent),
      " ",
      el("span", { class: "progress-state" }, `(${t(stateKeys[states[index]])})`),
    ),
  );
  document.getElementById("progress-list").replaceChildren(...items);
}
