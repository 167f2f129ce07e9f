/*
 * For clinic admins only (the `clinic_admins` group; the API refuses everyone else with 403, and practitioners do
 * not see this part): an intake's audit trail, and its erasure on the patient's request, with a required reason
 * and a confirmation step.
 */
import { $, el, fieldError, say, warn } from "./dom.js";
import { api, refusal } from "./api.js";
import { dateTime, humanize } from "./format.js";
import { isAdmin } from "./session.js";

const MAX_REASON = 500;
const MAX_AUDIT_PAGES = 20;

let intakeId = null;
let afterErasure = () => {};

function auditTable(items) {
  const columns = [
    ["When", (item) => dateTime(item.at)],
    ["Action", (item) => humanize(item.action)],
    ["Who", (item) => `${item.actor_name || "—"} (${item.actor_sub})`],
    ["Outcome", (item) => humanize(item.outcome || "—")],
  ];
  return el(
    "table",
    { class: "intakes audit" },
    el("caption", {}, "Who read or changed this intake, oldest first"),
    el("thead", {}, el("tr", {}, columns.map(([heading]) => el("th", { scope: "col" }, heading)))),
    el(
      "tbody",
      {},
      items.map((item) =>
        el("tr", {}, columns.map(([heading, cell]) => el("td", { "data-label": heading }, cell(item)))),
      ),
    ),
  );
}

/** Reads the whole trail, up to MAX_AUDIT_PAGES pages of 100 (and says so when there is more). */
async function showAudit() {
  const items = [];
  let cursor = null;
  let pages = 0;
  do {
    const params = new URLSearchParams({ limit: "100", ...(cursor ? { cursor } : {}) });
    const { response, data } = await api(`/intakes/${encodeURIComponent(intakeId)}/audit?${params}`);
    if (!response.ok) {
      warn(refusal(response, data));
      return;
    }
    items.push(...(data.items || []));
    cursor = data.next_cursor || null;
    pages += 1;
  } while (cursor && pages < MAX_AUDIT_PAGES);
  $("audit-trail").replaceChildren(
    items.length ? auditTable(items) : el("p", {}, "No access recorded."),
    cursor ? el("p", {}, `Showing the first ${items.length} entries; the trail holds more.`) : "",
  );
}

function reasonProblem(reason) {
  if (!reason) {
    return "Give the reason for the erasure (for example the patient's written request).";
  }
  return [...reason].length > MAX_REASON ? `Keep the reason to ${MAX_REASON} characters or fewer.` : "";
}

function askToConfirm(event) {
  event.preventDefault();
  warn();
  const reason = $("erase-reason").value.trim();
  const problem = reasonProblem(reason);
  fieldError($("erase-reason"), "erase-reason-error", problem);
  if (problem) {
    $("erase-reason").focus();
    return;
  }
  $("erase-confirm-text").textContent =
    `Erase the answers and screening of “${$("detail-title").textContent}” for good? This cannot be undone.`;
  $("erase-confirm").hidden = false;
  $("erase-cancel").focus();
}

async function erase() {
  const reason = $("erase-reason").value.trim();
  const { response, data } = await api(`/intakes/${encodeURIComponent(intakeId)}`, {
    method: "DELETE",
    body: JSON.stringify({ reason }),
  });
  $("erase-confirm").hidden = true;
  if (response.status === 422 && Array.isArray(data.errors)) {
    fieldError($("erase-reason"), "erase-reason-error", data.errors.map((error) => error.message).join(" "));
    $("erase-reason").focus();
    return;
  }
  if (!response.ok && response.status !== 410) {
    warn(refusal(response, data));
    return;
  }
  await afterErasure(intakeId);
  say("The intake was erased. A record of the erasure stays.");
}

/** Shows the admin part for admins only, for this intake; `onErased(id)` reloads the erased intake. */
export function prepareAdmin(record, onErased) {
  intakeId = record.id;
  afterErasure = onErased;
  $("admin").hidden = !isAdmin();
  $("audit-trail").replaceChildren();
  $("erase-form").reset();
  $("erase-form").hidden = record.status === "erased";
  $("erase-confirm").hidden = true;
  fieldError($("erase-reason"), "erase-reason-error", "");
}

export function wireAdmin(attempt) {
  $("audit-show").addEventListener("click", () => attempt(showAudit));
  $("erase-form").addEventListener("submit", askToConfirm);
  $("erase-confirm-button").addEventListener("click", () => attempt(erase));
  $("erase-cancel").addEventListener("click", () => {
    $("erase-confirm").hidden = true;
    $("erase-start").focus();
  });
}
