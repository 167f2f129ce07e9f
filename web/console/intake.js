/*
 * One intake: at a glance (highest severity beside age, phone and email), the flags that put it in the queue apart
 * from the ones for information only, the decisions so far, the same patient's other intakes, and the answers.
 */
import { $, el, warn } from "./dom.js";
import { api, refusal } from "./api.js";
import { DECISIONS, STATUS_TEXT, calendarDate, dateTime, humanize, severityBadge } from "./format.js";
import { citedPaths, flagCard } from "./flags.js";
import { answersView } from "./answers.js";
import { prepareDecision } from "./decision.js";
import { prepareAdmin } from "./admin.js";
import { summaryTable } from "./summary.js";

const OTHER_COLUMNS = ["received", "appointment", "patient", "status", "severity", "samePatient"];

export function patientName(record) {
  const patient = (record.answers && record.answers.patient) || {};
  const name = record.patient_name || [patient.given_name, patient.family_name].filter(Boolean).join(" ");
  return name || `Intake ${record.id}`;
}

function glance(record) {
  const patient = (record.answers && record.answers.patient) || {};
  const screening = record.screening || {};
  const appointment = (record.answers && record.answers.appointment) || {};
  const pairs = [
    ["Highest severity", severityBadge(record.highest_severity ?? screening.highest_severity), "severity"],
    ["Age", Number.isInteger(record.age) ? `${record.age}` : "—", "age"],
    ["Phone", record.phone || patient.phone || "—", "phone"],
    ["Email", record.email || patient.email || "—", "email"],
    ["Date of birth", calendarDate(patient.date_of_birth), "dob"],
    ["Appointment", dateTime(record.appointment_starts_at || appointment.starts_at), "appointment"],
    ["Status", STATUS_TEXT[record.status] || humanize(record.status), "status"],
    ["Received", dateTime(record.received_at), "received"],
    ["Reference", record.id, "reference"],
  ];
  return pairs.map(([term, value, key]) =>
    el("div", { class: `glance-item glance-${key}` }, el("dt", {}, term), el("dd", {}, value)),
  );
}

function historyItem(entry) {
  return el(
    "li",
    {},
    el("strong", {}, DECISIONS[entry.decision] || humanize(entry.decision)),
    ` by ${entry.by_name || entry.by}, `,
    dateTime(entry.at),
    entry.note ? el("p", { class: "history-note" }, entry.note) : null,
  );
}

function showFlags(record) {
  const screening = record.screening || {};
  const flags = screening.flags || [];
  const queueing = flags.filter((flag) => flag.severity !== "info");
  const info = flags.filter((flag) => flag.severity === "info");
  $("detail-flags").replaceChildren(
    ...(queueing.length
      ? queueing.map((flag) => flagCard(flag, record.answers))
      : [el("li", {}, "None: nothing in this form needs a practitioner's review.")]),
  );
  $("detail-info").hidden = info.length === 0;
  $("detail-info-flags").replaceChildren(...info.map((flag) => flagCard(flag, record.answers)));
  $("detail-advice").hidden = !screening.patient_advice;
  $("detail-advice-text").textContent = screening.patient_advice || "";
  const startBack = screening.start_back;
  $("detail-start-back").hidden = !startBack;
  $("detail-start-back").textContent = startBack
    ? `STarT Back: ${startBack.risk} risk (total ${startBack.total}/9, psychosocial ${startBack.psychosocial}/5).`
    : "";
  return flags;
}

function showOthers(record) {
  const others = record.other_intakes || [];
  $("detail-others").hidden = others.length === 0;
  $("detail-others-list").replaceChildren(
    others.length ? summaryTable("Same family name and date of birth, newest first", OTHER_COLUMNS, others) : "",
  );
}

export function clearIntake() {
  for (const id of ["detail-glance", "detail-flags", "detail-info-flags", "detail-history", "detail-answers"]) {
    $(id).replaceChildren();
  }
  $("detail-others-list").replaceChildren();
  $("audit-trail").replaceChildren();
  for (const id of ["detail-title", "detail-advice-text", "detail-start-back"]) {
    $(id).textContent = "";
  }
}

export function renderIntake(record) {
  clearIntake();
  $("detail-erased").hidden = true;
  $("detail-body").hidden = false;
  $("print-intake").hidden = false;
  $("detail-title").textContent = patientName(record);
  $("detail-glance").replaceChildren(...glance(record));
  const flags = showFlags(record);
  const history = record.history || [];
  $("detail-history").replaceChildren(...history.map(historyItem));
  $("detail-no-history").hidden = history.length > 0;
  showOthers(record);
  $("detail-answers").replaceChildren(...answersView(record.answers, citedPaths(flags)));
  prepareDecision(record, renderIntake);
  prepareAdmin(record, openIntake);
}

function renderErased(id, data) {
  clearIntake();
  $("detail-title").textContent = `Intake ${id}`;
  $("detail-body").hidden = true;
  $("print-intake").hidden = true;
  $("detail-erased").hidden = false;
  $("detail-erased").replaceChildren(
    "This intake was erased on ",
    dateTime(data.erased_at),
    ". Only that record stays.",
  );
  prepareAdmin({ id, status: "erased" }, openIntake);
}

/** Loads and shows one intake; false when there is nothing to show. */
export async function openIntake(id) {
  const { response, data } = await api(`/intakes/${encodeURIComponent(id)}`);
  if (response.status === 410) {
    renderErased(id, data);
    return true;
  }
  if (!response.ok) {
    warn(response.status === 404 ? "That intake no longer exists." : refusal(response, data));
    return false;
  }
  renderIntake(data);
  return true;
}
