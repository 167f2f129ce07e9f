/*
 * The review queue (flagged intakes waiting for review, most urgent first) and the reviewed list (with the
 * decision, who made it and when), a page at a time.
 */
import { $, el, warn } from "./dom.js";
import { api, refusal } from "./api.js";
import { appendSummaries, summaryTable } from "./summary.js";

const PAGE_SIZE = 25;
const LISTS = {
  pending: [
    "Intakes waiting for review, most urgent first",
    ["severity", "patient", "appointment", "received", "flags"],
  ],
  reviewed: ["Reviewed intakes, latest decision first", ["patient", "severity", "decision", "decidedBy", "decidedAt"]],
};

let status = "pending";
let nextCursor = null;
let table = null;
let latest = 0;

export async function loadQueue(more = false) {
  const params = new URLSearchParams({ status, limit: String(PAGE_SIZE) });
  if (more && nextCursor) {
    params.set("cursor", nextCursor);
  }
  const ticket = ++latest;
  const { response, data } = await api(`/reviews?${params}`);
  if (ticket !== latest) {
    return; // the list was switched or refreshed since: this answer is stale
  }
  if (!response.ok) {
    warn(refusal(response, data));
    return;
  }
  const [caption, columns] = LISTS[status];
  const items = data.items || [];
  if (more && table) {
    appendSummaries(table, columns, items);
  } else {
    table = summaryTable(caption, columns, items);
    $("queue-list").replaceChildren(items.length ? table : el("p", {}, "Nothing here right now."));
  }
  nextCursor = data.next_cursor || null;
  $("queue-more").hidden = !nextCursor;
}

export function clearQueue() {
  nextCursor = null;
  table = null;
  $("queue-list").replaceChildren();
}

export function wireQueue(attempt) {
  for (const radio of document.querySelectorAll('input[name="queue-status"]')) {
    radio.addEventListener("change", () => {
      status = radio.value;
      attempt(() => loadQueue());
    });
  }
  $("refresh-queue").addEventListener("click", () => attempt(() => loadQueue()));
  $("queue-more").addEventListener("click", () => attempt(() => loadQueue(true)));
}
