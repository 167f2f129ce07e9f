/*
 * The form's date rules, in one place: today in the clinic's time zone, the birth-date checks (as the API makes
 * them), who counts as a minor, and the appointment's time with the clinic's UTC offset.
 */

export const ADULT_AGE_YEARS = 18;
export const MAX_AGE_YEARS = 120;
const DAY_MS = 24 * 60 * 60 * 1000;
const APPOINTMENT_YEARS_AHEAD = 2;

/** The calendar date in `timeZone` at `now`, as {year, month, day} (month 1–12). */
export function todayIn(timeZone, now = new Date()) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "numeric", day: "numeric" })
    .formatToParts(now);
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  return { year: part("year"), month: part("month"), day: part("day") };
}

/** {year, month, day} for an ISO date that exists on the calendar, else null. */
export function parseIsoDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
  if (!match) {
    return null;
  }
  const [year, month, day] = match.slice(1).map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day
    ? { year, month, day }
    : null;
}

const compare = (a, b) => a.year - b.year || a.month - b.month || a.day - b.day;

/** Whole years from `born` to `today`. */
export function ageOn(born, today) {
  const hadBirthday = today.month > born.month || (today.month === born.month && today.day >= born.day);
  return today.year - born.year - (hadBirthday ? 0 : 1);
}

/** The message key of what is wrong with a date of birth, or null. */
export function birthDateProblem(text, today) {
  const born = parseIsoDate(text);
  if (!born) {
    return "error.date_invalid";
  }
  if (compare(born, today) > 0) {
    return "error.date_future";
  }
  return ageOn(born, today) > MAX_AGE_YEARS ? "error.date_too_old" : null;
}

/** True when the date of birth is valid and the patient is under 18 on `today`. */
export function isMinor(text, today) {
  const born = parseIsoDate(text);
  return Boolean(born) && birthDateProblem(text, today) === null && ageOn(born, today) < ADULT_AGE_YEARS;
}

/** A date shown the way the clinic writes dates (clinic.json date_format). */
export function formatDate({ year, month, day }, format) {
  const pad = (n, width) => String(n).padStart(width, "0");
  return format.replace("YYYY", pad(year, 4)).replace("MM", pad(month, 2)).replace("DD", pad(day, 2));
}

/** Minutes `timeZone` is ahead of UTC at the instant `epochMs`. */
function offsetMinutes(timeZone, epochMs) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", second: "numeric",
  }).formatToParts(new Date(epochMs));
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return Math.round((wall - Math.floor(epochMs / 1000) * 1000) / 60000);
}

/** The instant of a datetime-local value read as wall-clock time in `timeZone`, with that zone's offset. */
export function zonedDateTime(value, timeZone) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || "");
  if (!match) {
    return null;
  }
  const [year, month, day, hour, minute, second = 0] = match.slice(1).map((n) => Number(n || 0));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  let offset = offsetMinutes(timeZone, wall);
  offset = offsetMinutes(timeZone, wall - offset * 60000);
  const sign = offset >= 0 ? "+" : "-";
  const pad = (n) => String(Math.abs(n)).padStart(2, "0");
  const seconds = match[6] ? "" : ":00";
  return {
    epochMs: wall - offset * 60000,
    iso: `${value}${seconds}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`,
  };
}

/** The message key when an appointment lies outside what the API accepts (a day ago to 2 years ahead), or null. */
export function appointmentProblem(value, timeZone, now = Date.now()) {
  const when = zonedDateTime(value, timeZone);
  if (!when) {
    return "error.date_invalid";
  }
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + APPOINTMENT_YEARS_AHEAD);
  return when.epochMs < now - DAY_MS || when.epochMs > latest.getTime() ? "error.appointment_range" : null;
}
