/*
 * The day list: every intake of one clinic-local day by appointment time, with counts at the top (forms in,
 * waiting for review, critical, reviewed), a date picker, and the day as a CSV file. The console opens on today.
 */
import { $, el, say, warn } from "./dom.js";
import { api, download, refusal } from "./api.js";
import { calendarDate, useClinicTimeZone } from "./format.js";
import { appendSummaries, summaryTable } from "./summary.js";

const COLUMNS = ["time", "patient", "status", "severity", "decision"];
const COUNTS = [
  ["forms_in", "Forms in"],
  ["waiting_for_review", "Waiting for review"],
  ["critical", "Critical"],
  ["reviewed", "Reviewed"],
];

let shownDate = null;
let nextCursor = null;
let table = null;
let latest = 0;

/** The day list shown last ("today" until one was loaded), for returning to it. */
export const currentDay = () => shownDate || "today";

function counts(totals) {
  return COUNTS.map(([key, label]) =>
    el("div", { class: "count", "data-count": key }, el("dt", {}, label), el("dd", {}, String(totals[key] ?? 0))),
  );
}

/** Shows one day ("today" or YYYY-MM-DD); false when the API refused it or a later request overtook it. */
export async function loadDay(date, more = false) {
  const params = new URLSearchParams({ limit: "100" });
  if (more && nextCursor) {
    params.set("cursor", nextCursor);
  }
  const ticket = ++latest;
  const { response, data } = await api(`/days/${encodeURIComponent(date)}?${params}`);
  if (ticket !== latest) {
    return false; // a later choice of day is on its way: this answer is stale
  }
  if (!response.ok) {
    warn(refusal(response, data));
    return false;
  }
  useClinicTimeZone(data.time_zone);
  shownDate = data.date;
  $("day-date").value = data.date;
  $("day-title").replaceChildren(data.date === data.today ? "Today, " : "", calendarDate(data.date, true));
  const items = data.items || [];
  if (more && table) {
    appendSummaries(table, COLUMNS, items);
  } else {
    table = summaryTable("Intakes of this day by appointment time", COLUMNS, items);
    $("day-list").replaceChildren(items.length ? table : el("p", {}, "No intakes for this day yet."));
    $("day-counts").replaceChildren(...counts(data.counts || {}));
  }
  nextCursor = data.next_cursor || null;
  $("day-more").hidden = !nextCursor;
  return true;
}

/** Saves the shown day as CSV through a Blob: the token goes in a header, never in a link. */
async function exportDay() {
  const date = shownDate;
  const { response, blob } = await download(`/days/${encodeURIComponent(date)}/export.csv`);
  if (!response.ok) {
    warn(refusal(response, {}));
    return;
  }
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: `intakes-${date}.csv`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  say(`The intakes of ${date} were downloaded as a CSV file.`);
}

export function clearDay() {
  shownDate = null;
  nextCursor = null;
  table = null;
  $("day-list").replaceChildren();
  $("day-counts").replaceChildren();
}

export function wireDay(attempt) {
  $("day-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const date = $("day-date").value;
    if (/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      warn();
      attempt(() => loadDay(date));
    } else {
      warn("Choose a day to show.");
      $("day-date").focus();
    }
  });
  $("day-today").addEventListener("click", () => attempt(() => loadDay("today")));
  $("day-export").addEventListener("click", () => attempt(exportDay));
  $("day-more").addEventListener("click", () => attempt(() => loadDay(shownDate, true)));
}
