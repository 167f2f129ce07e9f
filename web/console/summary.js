/*
 * Lists of intakes (the day list, the queue, a patient's intakes, the same patient's other intakes) as one kind of
 * table, each column chosen per list. Every cell carries its column's label, so on a phone, where the rows stack,
 * each value keeps its label instead of squeezing a table.
 */
import { el } from "./dom.js";
import { DECISIONS, STATUS_TEXT, clockTime, dateTime, humanize, severityBadge } from "./format.js";

let opener = () => {};

/** What clicking a patient's name does (main.js opens the intake). */
export function onOpen(handler) {
  opener = handler;
}

function decisionText(item) {
  const decision = item.decision;
  return decision ? DECISIONS[decision.decision] || humanize(decision.decision) : "—";
}

/** The columns a list can show: [heading, cell content for one intake summary]. */
const COLUMNS = {
  time: [
    "Appointment",
    (item) => (item.appointment_starts_at ? clockTime(item.appointment_starts_at) : "No time given"),
  ],
  appointment: ["Appointment", (item) => dateTime(item.appointment_starts_at)],
  received: ["Received", (item) => dateTime(item.received_at)],
  patient: [
    "Patient",
    (item) =>
      el(
        "button",
        { type: "button", class: "button-link", onclick: () => opener(item.id) },
        item.patient_name || "Name not given",
      ),
  ],
  status: ["Status", (item) => STATUS_TEXT[item.status] || humanize(item.status)],
  severity: ["Highest severity", (item) => severityBadge(item.highest_severity)],
  flags: ["Flags", (item) => (item.categories || []).map(humanize).join(", ") || "—"],
  decision: ["Decision", decisionText],
  decidedBy: ["By", (item) => (item.decision && item.decision.by_name) || "—"],
  decidedAt: ["When", (item) => (item.decision ? dateTime(item.decision.at) : "—")],
  samePatient: ["Same patient", (item) => (item.same_patient ? "Yes (same given name)" : "Not confirmed")],
};

/** A table of intake summaries with the named columns; `caption` names the list for screen readers. */
export function summaryTable(caption, columnNames, items) {
  const columns = columnNames.map((name) => COLUMNS[name]);
  return el(
    "table",
    { class: "intakes" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, columns.map(([heading]) => el("th", { scope: "col" }, heading)))),
    el("tbody", {}, items.map((item) => summaryRow(item, columns))),
  );
}

/** Adds a further page of intakes to a table summaryTable made with the same columns. */
export function appendSummaries(table, columnNames, items) {
  const columns = columnNames.map((name) => COLUMNS[name]);
  table.tBodies[0].append(...items.map((item) => summaryRow(item, columns)));
}

function summaryRow(item, columns) {
  return el(
    "tr",
    { "data-intake-id": item.id },
    columns.map(([heading, cell]) => el("td", { "data-label": heading }, cell(item))),
  );
}
