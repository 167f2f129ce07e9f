/* Medicines: repeatable rows whose field paths follow their position (medications[0].name, …). */
import { FIELDS } from "../contract.js";
import { buildField, controlsOf, idFor } from "./fields.js";

export const MAX_MEDICATIONS = FIELDS.medications.maxItems;
const rowsList = () => document.getElementById("medication-rows");
const addButton = () => document.getElementById("add-medication");

export function renumberMedications() {
  const rows = [...rowsList().children];
  rows.forEach((row, index) => {
    const n = String(index + 1);
    for (const container of row.querySelectorAll("[data-part]")) {
      const path = `medications[${index}].${container.dataset.part}`;
      container.dataset.field = path;
      const input = container.querySelector("input");
      input.id = idFor(path);
      input.name = path;
      container.querySelector("label").htmlFor = input.id;
    }
    row.querySelectorAll("[data-i18n]").forEach((node) => (node.dataset.n = n));
  });
  const full = rows.length >= MAX_MEDICATIONS;
  addButton().hidden = full;
  document.getElementById("medication-limit").hidden = !full;
}

/** A new empty row (its texts are applied by the caller, in the current language). */
export function addMedicationRow() {
  const row = document.getElementById("medication-row").content.firstElementChild.cloneNode(true);
  for (const container of row.querySelectorAll("[data-part]")) {
    const part = container.dataset.part;
    container.dataset.field = `medications[0].${part}`;
    const label = container.querySelector("label");
    label.replaceChildren();
    const caption = document.createElement("span");
    caption.dataset.i18n = part === "name" ? "q.medications.name" : "q.medications.dose";
    label.append(caption);
    buildField(container);
  }
  row.querySelector(".remove-medication").dataset.i18n = "ui.remove_medication";
  rowsList().append(row);
  renumberMedications();
  return row;
}

export function removeMedicationRow(row) {
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  renumberMedications();
  (next ? next.querySelector("input") : addButton()).focus();
}

const isEmpty = (row) => controlsOf(row).every((input) => input.value.trim() === "");

export function dropEmptyMedicationRows() {
  [...rowsList().children].filter(isEmpty).forEach((row) => row.remove());
  renumberMedications();
}

export function setMedicationRowCount(count) {
  rowsList().replaceChildren();
  for (let i = 0; i < Math.max(1, Math.min(count, MAX_MEDICATIONS)); i += 1) {
    addMedicationRow();
  }
}
