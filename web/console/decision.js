/*
 * Recording a decision, with the same protections the API enforces (its 422s name the rule, and their messages
 * are shown next to the field): on an intake with critical flags, "cleared" and "treat with modifications" need a
 * note and a tick naming each critical flag (sent as `confirmed_critical`, their rule ids); "treat with
 * modifications" always needs a note; after "refer to a doctor", any new decision needs a note saying what
 * changed. The write is guarded by expected_version, so a colleague's decision is never overwritten.
 */
import { $, el, fieldError, say, warn } from "./dom.js";
import { api, refusal } from "./api.js";
import { DECISIONS, dateTime } from "./format.js";

const MAX_NOTE = 2000;
const NEEDS_CONFIRMATION = new Set(["cleared", "treat_with_modifications"]);
const form = $("decision-form");

let intake = null;
let afterDecision = () => {};

const criticalFlags = () => ((intake && intake.screening && intake.screening.flags) || []).filter(
  (flag) => flag.severity === "critical",
);

function lastDecision() {
  const history = (intake && intake.history) || [];
  return history.length ? history[history.length - 1] : null;
}

const chosen = () => (form.querySelector('input[name="decision"]:checked') || {}).value;

/** Which protections apply to the decision chosen now. */
function requirements(decision) {
  const afterReferral = (lastDecision() || {}).decision === "refer_to_doctor";
  const confirm = NEEDS_CONFIRMATION.has(decision) && criticalFlags().length > 0;
  return {
    confirm,
    note: confirm || decision === "treat_with_modifications" || (afterReferral && Boolean(decision)),
    afterReferral,
  };
}

/** Shows or hides the critical-flag ticks and marks the note required, as the chosen decision needs. */
function reflectChoice() {
  const needs = requirements(chosen());
  $("confirm-field").hidden = !needs.confirm;
  $("decision-note-tag").textContent = needs.note ? "required" : "optional";
  $("decision-note-tag").className = needs.note ? "required-tag" : "optional-tag";
  $("decision-note").required = needs.note;
  $("decision-note").setAttribute("aria-required", String(needs.note));
}

function clearErrors() {
  fieldError($("decision-field"), "decision-error", "");
  fieldError($("confirm-field"), "confirm-error", "");
  fieldError($("decision-note"), "decision-note-error", "");
}

/** Fills the form for this intake (after a render); `onRecorded(record)` re-renders with the API's answer. */
export function prepareDecision(record, onRecorded) {
  intake = record;
  afterDecision = onRecorded;
  form.reset();
  clearErrors();
  $("expected-version").value = String(record.version);
  const critical = criticalFlags();
  $("confirm-choices").replaceChildren(
    ...critical.map((flag, index) =>
      el(
        "div",
        { class: "choice" },
        el("input", { type: "checkbox", id: `confirm-${index}`, name: "confirmed_critical", value: flag.rule_id }),
        el("label", { for: `confirm-${index}` }, `I have dealt with: ${flag.title}`),
      ),
    ),
  );
  const history = record.history || [];
  $("decision-title").textContent = history.length ? "Record another decision" : "Record a decision";
  $("decision-after-referral").hidden = !requirements("cleared").afterReferral;
  form.hidden = record.status === "clear" || record.status === "erased";
  reflectChoice();
}

function problems(decision, note, confirmed) {
  const found = [];
  const needs = requirements(decision);
  if (!decision) {
    found.push(["decision", "Choose a decision."]);
  }
  if (needs.confirm && confirmed.length !== criticalFlags().length) {
    found.push(["confirmed_critical", "Tick each critical flag to confirm you have dealt with it."]);
  }
  if (needs.note && !note) {
    const why = needs.afterReferral
      ? "Say in the note what changed since the referral (for example the doctor's clearance)."
      : decision === "treat_with_modifications"
        ? "Say in the note which modifications you will make."
        : "Say in the note how you dealt with the critical flags.";
    found.push(["note", why]);
  }
  if ([...note].length > MAX_NOTE) {
    found.push(["note", `Keep the note to ${MAX_NOTE} characters or fewer (it has ${[...note].length}).`]);
  }
  return found;
}

const TARGETS = {
  decision: ["decision-field", "decision-error", "decision-cleared"],
  confirmed_critical: ["confirm-field", "confirm-error", "confirm-0"],
  note: ["decision-note", "decision-note-error", "decision-note"],
};

/** Shows [field, message] pairs next to their fields (unknown fields beside the decision) and focuses the first. */
function showProblems(found) {
  const messages = {};
  for (const [field, message] of found) {
    const key = TARGETS[field] ? field : "decision";
    messages[key] = messages[key] ? `${messages[key]} ${message}` : message;
  }
  for (const [field, [fieldId, errorId]] of Object.entries(TARGETS)) {
    fieldError($(fieldId), errorId, messages[field] || "");
  }
  warn(`The decision was not recorded: ${Object.values(messages).join(" ")}`);
  const first = Object.keys(TARGETS).find((field) => messages[field]);
  ($(TARGETS[first][2]) || $(TARGETS[first][0])).focus();
}

/** What the colleague whose decision won the race decided, for the 409 message. */
function conflictMessage(record) {
  const history = record.history || [];
  const latest = history[history.length - 1];
  if (!latest) {
    return ["Someone else changed this intake while you were reading it. It has been reloaded: check it again."];
  }
  const note = latest.note ? ` Their note: “${latest.note}”.` : "";
  const decision = DECISIONS[latest.decision] || latest.decision;
  return [
    `Another practitioner (${latest.by_name || latest.by}) recorded “${decision}” at `,
    dateTime(latest.at),
    `, before your decision was saved.${note} The intake has been reloaded: your decision was not recorded.`,
  ];
}

async function submit() {
  if (!intake || $("decision-submit").disabled) {
    return;
  }
  clearErrors();
  warn();
  const decision = chosen();
  const note = $("decision-note").value.trim();
  const confirmed = [...form.querySelectorAll('input[name="confirmed_critical"]:checked')].map((box) => box.value);
  const found = problems(decision, note, confirmed);
  if (found.length) {
    showProblems(found);
    return;
  }
  const body = { decision, note, expected_version: Number($("expected-version").value) };
  if (requirements(decision).confirm) {
    body.confirmed_critical = confirmed;
  }
  $("decision-submit").disabled = true;
  try {
    const { response, data } = await api(`/intakes/${encodeURIComponent(intake.id)}/review`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    if (response.ok) {
      afterDecision(data);
      say(`Decision recorded: ${DECISIONS[decision]}.`);
      $("detail-title").focus();
    } else if (response.status === 409 && data.current) {
      afterDecision(data.current);
      warn(conflictMessage(data.current));
    } else if (response.status === 422 && Array.isArray(data.errors) && data.errors.length) {
      showProblems(data.errors.map((error) => [String(error.field || "").split(".").pop(), error.message]));
    } else {
      warn(refusal(response, data));
    }
  } finally {
    $("decision-submit").disabled = false;
  }
}

export function wireDecision(attempt) {
  form.addEventListener("change", (event) => {
    if (event.target.name === "decision") {
      reflectChoice();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    attempt(submit);
  });
}
