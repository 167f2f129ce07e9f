/*
 * Finding a patient by family name and date of birth: POST /patients/search (the name goes in the body, so it
 * stays out of URLs and access logs), answered with their intakes, newest first.
 */
import { $, el, fieldError, warn } from "./dom.js";
import { api, refusal } from "./api.js";
import { appendSummaries, summaryTable } from "./summary.js";

const COLUMNS = ["received", "appointment", "patient", "status", "severity", "decision"];
const FIELDS = {
  family_name: ["search-family-name", "search-family-name-error"],
  date_of_birth: ["search-date-of-birth", "search-date-of-birth-error"],
};

let query = null;
let nextCursor = null;
let table = null;

function showFieldErrors(errors) {
  let first = null;
  for (const [name, [fieldId, errorId]] of Object.entries(FIELDS)) {
    const error = errors.find((item) => String(item.field || "").split(".").pop() === name);
    fieldError($(fieldId), errorId, error ? error.message : "");
    first = first || (error ? $(fieldId) : null);
  }
  return first;
}

function localProblems(familyName, dateOfBirth) {
  const errors = [];
  if (!familyName) {
    errors.push({ field: "family_name", message: "Enter the family name." });
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) {
    errors.push({ field: "date_of_birth", message: "Enter the date of birth." });
  }
  return errors;
}

async function search(more) {
  const body = { ...query, ...(more && nextCursor ? { cursor: nextCursor } : {}) };
  const { response, data } = await api("/patients/search", { method: "POST", body: JSON.stringify(body) });
  if (response.status === 422 && Array.isArray(data.errors)) {
    const first = showFieldErrors(data.errors);
    warn(refusal(response, data));
    (first || $("search-family-name")).focus();
    return;
  }
  if (!response.ok) {
    warn(refusal(response, data));
    return;
  }
  const items = data.items || [];
  if (more && table) {
    appendSummaries(table, COLUMNS, items);
  } else {
    table = summaryTable("Intakes of this patient, newest first", COLUMNS, items);
    const found = items.length ? table : el("p", {}, "No intakes with this family name and date of birth.");
    found.tabIndex = -1; // the keyboard lands on the answer, one Tab from its first intake
    $("search-results").replaceChildren(found);
    found.focus();
  }
  nextCursor = data.next_cursor || null;
  $("search-more").hidden = !nextCursor;
}

export function clearSearch() {
  query = null;
  nextCursor = null;
  table = null;
  $("search-results").replaceChildren();
  $("search-more").hidden = true;
  $("search-form").reset();
  showFieldErrors([]);
}

export function wireSearch(attempt) {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    warn();
    const familyName = $("search-family-name").value.trim();
    const dateOfBirth = $("search-date-of-birth").value;
    const problems = localProblems(familyName, dateOfBirth);
    const first = showFieldErrors(problems);
    if (first) {
      first.focus();
      return;
    }
    query = { family_name: familyName, date_of_birth: dateOfBirth };
    attempt(() => search(false));
  });
  $("search-more").addEventListener("click", () => attempt(() => search(true)));
}
