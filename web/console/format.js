/*
 * How the console writes things: times in the clinic's time zone (learnt from the API), dates in the clinic's
 * locale, answers readable, and each question as the patient saw it (web/i18n/en.json when it exists, else a
 * readable form of the field's name). Never a raw field path.
 */
import { el } from "./dom.js";

const localeMeta = document.querySelector('meta[name="clinic-locale"]');
const LOCALE = (localeMeta && localeMeta.content.trim()) || undefined;

let timeZone;
let formats = makeFormats();

function makeFormats() {
  const zone = timeZone ? { timeZone } : {};
  return {
    dateTime: new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short", ...zone }),
    time: new Intl.DateTimeFormat(LOCALE, { timeStyle: "short", ...zone }),
    longDate: new Intl.DateTimeFormat(LOCALE, { dateStyle: "full", timeZone: "UTC" }),
    date: new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone: "UTC" }),
  };
}

/** The clinic's IANA time zone, from a day list; every time shown afterwards uses it. */
export function useClinicTimeZone(zone) {
  if (zone && zone !== timeZone) {
    try {
      new Intl.DateTimeFormat(undefined, { timeZone: zone });
      timeZone = zone;
      formats = makeFormats();
    } catch {
      // An unknown zone keeps the previous one: a wrong hour is better than no console.
    }
  }
}

function parsed(iso) {
  const value = iso ? new Date(iso) : null;
  return value && !Number.isNaN(value.getTime()) ? value : null;
}

/** A <time> for an ISO timestamp, date and time in the clinic's zone; "—" when there is none. */
export function dateTime(iso) {
  const value = parsed(iso);
  return value ? el("time", { datetime: iso }, formats.dateTime.format(value)) : "—";
}

/** Only the clock time (the day list, where the date is the heading). */
export function clockTime(iso) {
  const value = parsed(iso);
  return value ? el("time", { datetime: iso }, formats.time.format(value)) : "—";
}

/** A calendar date (YYYY-MM-DD, such as a date of birth or a day), written in the clinic's format. */
export function calendarDate(day, long = false) {
  const value = /^\d{4}-\d{2}-\d{2}$/.test(day || "") ? new Date(`${day}T00:00:00Z`) : null;
  if (!value || Number.isNaN(value.getTime())) {
    return day ? String(day) : "—";
  }
  return el("time", { datetime: day }, (long ? formats.longDate : formats.date).format(value));
}

export function humanize(key) {
  const words = String(key).replace(/^red_flag_/, "red flag: ").replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const SEVERITIES = ["critical", "warning", "info"];

export function severityBadge(severity) {
  const level = SEVERITIES.includes(severity) ? severity : "none";
  return el("span", { class: `badge badge-${level}` }, level === "none" ? "No flags" : severity);
}

export const DECISIONS = {
  cleared: "Cleared: treat as planned",
  treat_with_modifications: "Treat with modifications",
  refer_to_doctor: "Refer to a doctor",
  declined: "Declined: not treating",
};

export const STATUS_TEXT = {
  needs_review: "Waiting for review",
  reviewed: "Reviewed",
  clear: "Clear (no flags)",
  erased: "Erased",
};

/** An answer as text; enum-like answers ("unsure", "lower_back") are made readable, free text is left as typed. */
export function formatValue(value, readable = true) {
  if (value === true) {
    return "Yes";
  }
  if (value === false) {
    return "No";
  }
  if (value === null || value === undefined || value === "") {
    return "—";
  }
  if (Array.isArray(value)) {
    return value.map((item) => formatValue(item, readable)).join(", ") || "—";
  }
  if (typeof value === "object") {
    return Object.values(value).map((item) => formatValue(item, false)).join(" — ") || "—";
  }
  return readable && /^[a-z]+(_[a-z]+)*$/.test(String(value)) ? humanize(value) : String(value);
}

/** An answer for the page: dates and times in the clinic's format, everything else as formatValue writes it. */
export function answerNode(value, readable = true) {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return calendarDate(value);
  }
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && parsed(value)) {
    return dateTime(value);
  }
  return formatValue(value, readable);
}

// ---- questions and answers by path ----

/** "medications[3].name" → ["medications", 3, "name"]; null for anything else. */
export function pathParts(path) {
  if (typeof path !== "string" || !/^[a-z_]\w*(\[\d+\]|\.[a-z_]\w*)*$/i.test(path)) {
    return null;
  }
  return [...path.matchAll(/([a-z_]\w*)|\[(\d+)\]/gi)].map((m) => (m[2] === undefined ? m[1] : Number(m[2])));
}

/** The stored answer at an evidence path, or undefined when the path names nothing. */
export function answerAt(answers, path) {
  const parts = pathParts(path);
  if (!parts) {
    return undefined;
  }
  let node = answers;
  for (const part of parts) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) {
      return undefined;
    }
    node = node[part];
  }
  return node;
}

let labels = {};

/** Loads the form's English questions once; without the file the console falls back to readable field names. */
export async function loadQuestionLabels() {
  try {
    const response = await fetch(new URL("../i18n/en.json", import.meta.url), { credentials: "omit" });
    const data = response.ok ? await response.json() : {};
    labels = data && typeof data === "object" ? data : {};
  } catch {
    labels = {};
  }
}

function label(key) {
  if (typeof labels[key] === "string") {
    return labels[key];
  }
  let node = labels;
  for (const part of key.split(".")) {
    node = node && typeof node === "object" ? node[part] : undefined;
  }
  return typeof node === "string" ? node : null;
}

/** The question as the patient saw it, for a path such as "safety.blood_thinners" or "medications[3].name". */
export function questionOf(path) {
  const parts = pathParts(path);
  if (!parts) {
    return "An answer";
  }
  const names = parts.filter((part) => typeof part === "string");
  const found = label(`q.${names.join(".")}`);
  const index = parts.find((part) => typeof part === "number");
  const item = index === undefined ? "" : `${names[0] === "medications" ? "Medicine" : "Item"} ${index + 1}`;
  if (found && found.includes("{n}")) {
    return found.replace("{n}", String(index === undefined ? "" : index + 1)); // the form's own numbering
  }
  if (found) {
    return item ? `${found} (${item.toLowerCase()})` : found;
  }
  const last = humanize(names[names.length - 1]);
  return item ? `${item}: ${last.toLowerCase()}` : last;
}
