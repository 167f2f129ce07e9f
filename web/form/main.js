/*
 * The patient intake form (contract 1.1): in the patient's language, with the clinic's details stamped into the
 * page by `make configure`, answers kept in this tab until sent, and a submission that never hangs.
 *
 * Safety: no answer has a default, hidden questions are never sent, answers never go into the URL or localStorage,
 * and one Idempotency-Key per version of the answers makes a retry or a double click one intake.
 */
import { FORM_VERSION } from "../contract.js";
import { formatDate, isMinor, todayIn } from "./dates.js";
import { clearDraft, hasAnswers, IDLE_MS, loadDraft, restoreValues, saveDraft } from "./draft.js";
import { clearProblems, redrawSummary, showFieldProblems, showSummary, unmarkField } from "./errors.js";
import { activeFields, buildField, collectAnswers, fieldProblem, updateDetailQuestions } from "./fields.js";
import { applyTexts, loadCatalogs, preferredLocale, translator } from "./i18n.js";
import {
  addMedicationRow,
  dropEmptyMedicationRows,
  MAX_MEDICATIONS,
  removeMedicationRow,
  setMedicationRowCount,
} from "./medications.js";
import { updateProgress } from "./progress.js";
import { attemptFor, refusal, sendIntake, SUBMIT_TIMEOUT_S } from "./submit.js";

const { el } = window.IntakeWeb;
const byId = (id) => document.getElementById(id);
const EXAMPLE_BIRTH_DATE = { year: 1985, month: 4, day: 12 };

const form = byId("intake-form");
const clinic = JSON.parse(byId("clinic-settings").textContent);
const context = {
  timeZone: clinic.time_zone,
  today: () => todayIn(clinic.time_zone),
  exampleDate: formatDate(EXAMPLE_BIRTH_DATE, clinic.date_format),
};
const state = { catalogs: null, locale: clinic.languages[0], t: null, sending: false, attempt: null, idleTimer: null };

// ---- language ----

function setLanguage(locale) {
  state.locale = locale;
  const defaults = {
    clinic: clinic.name,
    phone: clinic.phone,
    email: clinic.email,
    address: clinic.address,
    emergency: clinic.emergency_number,
    version: clinic.privacy_notice.version,
    retention: clinic.retention[locale],
    example: context.exampleDate,
    max_medications: MAX_MEDICATIONS,
  };
  state.t = translator(state.catalogs.get(locale), defaults);
  document.documentElement.lang = locale;
  document.title = state.t("ui.doc_title");
  applyTexts(document.body, state.t);
  byId("confirmation-contact").textContent = state.t("ui.confirm.contact");
  byId("submit-button").textContent = state.t(state.sending ? "ui.sending" : "ui.send");
  for (const button of byId("language-switch").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.lang === locale));
  }
  redrawSummary(state.t);
  updateProgress(form, context, state.t);
}

function buildLanguageSwitch() {
  const group = byId("language-switch");
  if (clinic.languages.length < 2) {
    return;
  }
  for (const code of clinic.languages) {
    const name = state.catalogs.get(code)["language.name"];
    const button = el("button", { type: "button", class: "language-button", lang: code }, name);
    button.addEventListener("click", () => {
      setLanguage(code);
      remember();
    });
    group.append(button);
  }
  group.hidden = false;
}

// ---- keeping the answers ----

function remember() {
  saveDraft(form, {
    locale: state.locale,
    medications: byId("medication-rows").children.length,
    attempt: state.attempt,
  });
}

function restartIdleTimer() {
  clearTimeout(state.idleTimer);
  state.idleTimer = setTimeout(() => {
    clearEverything();
    byId("draft-status").textContent = state.t("ui.draft.expired");
  }, IDLE_MS);
}

function refresh() {
  updateDetailQuestions(form);
  byId("guardian").hidden = !isMinor(byId("f-patient-date_of_birth").value, context.today());
  updateProgress(form, context, state.t);
}

/** Empties every answer and the stored copy (the page may be on a shared tablet). */
function clearEverything() {
  form.reset();
  clearProblems(form);
  clearDraft();
  setMedicationRowCount(0);
  applyTexts(byId("medication-rows"), state.t);
  state.attempt = null;
  byId("form-status").textContent = "";
  byId("draft-status").textContent = "";
  refresh();
}

// ---- sending ----

function setSending(on) {
  state.sending = on;
  const button = byId("submit-button");
  button.disabled = on;
  byId("retry-button").disabled = on;
  button.textContent = state.t(on ? "ui.sending" : "ui.send");
  byId("form-status").textContent = on ? state.t("ui.sending_status") : "";
}

/** The container for an API field path, trying shorter paths ("allergies[2]" → "allergies") until one fits. */
function containerForPath(path, byPath) {
  let current = String(path || "");
  while (current && !byPath.has(current)) {
    const shorter = current.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    current = shorter === current ? "" : shorter;
  }
  return current ? byPath.get(current) : null;
}

/** The API's field errors at their fields; its (English) message is shown as is only on the English form. */
function serverProblems(errors) {
  const byPath = new Map(activeFields(form).map((container) => [container.dataset.field, container]));
  return errors.map((error) => {
    const container = containerForPath(error.field, byPath);
    const own = state.locale === "en" && typeof error.message === "string" ? error.message : null;
    const text = own || state.t("error.server");
    return container ? { container, text } : { container: null, text: `${error.field || "form"}: ${text}` };
  });
}

function buildBody() {
  const body = { form_version: FORM_VERSION, locale: state.locale };
  collectAnswers(form, context, body);
  body.consent = { ...body.consent, privacy_notice_version: clinic.privacy_notice.version };
  return body;
}

async function submit(event) {
  if (event) {
    event.preventDefault();
  }
  if (state.sending) {
    return;
  }
  clearProblems(form);
  dropEmptyMedicationRows();
  const problems = [];
  for (const container of activeFields(form)) {
    const found = fieldProblem(container, context);
    if (found) {
      problems.push({ container, ...found });
    }
  }
  if (problems.length) {
    showFieldProblems(state.t, problems);
    return;
  }
  state.attempt = attemptFor(JSON.stringify(buildBody()), state.attempt);
  remember();
  setSending(true);
  const { outcome, response, data } = await sendIntake(state.attempt);
  setSending(false);
  const notSent = "ui.not_sent.title";
  if (outcome === "sent") {
    showConfirmation(data);
  } else if (outcome === "fields") {
    showFieldProblems(state.t, serverProblems(data.errors));
  } else if (outcome === "refused") {
    showSummary(state.t, { titleKey: notSent, ...refusal(response) });
  } else if (outcome === "timeout") {
    const params = { seconds: SUBMIT_TIMEOUT_S };
    showSummary(state.t, { titleKey: notSent, messageKey: "ui.not_sent.timeout", params, retry: true });
  } else {
    showSummary(state.t, { titleKey: notSent, messageKey: "ui.not_sent.offline" });
  }
}

function showConfirmation(data) {
  const advice = byId("patient-advice");
  const hasAdvice = typeof data.patient_advice === "string" && data.patient_advice.trim() !== "";
  byId("patient-advice-text").textContent = hasAdvice ? data.patient_advice : "";
  advice.hidden = !hasAdvice;
  byId("confirmation-reference").textContent = data.id;
  byId("confirmation-clinic").textContent = clinic.name;
  clearEverything();
  form.hidden = true;
  byId("intro").hidden = true;
  const confirmation = byId("confirmation");
  confirmation.hidden = false;
  confirmation.focus();
  confirmation.scrollIntoView({ block: "start" });
}

function startAnotherForm() {
  byId("patient-advice-text").textContent = "";
  byId("confirmation-reference").textContent = "";
  byId("confirmation").hidden = true;
  byId("intro").hidden = false;
  form.hidden = false;
  byId("f-patient-given_name").focus();
}

/** Clears a field's error as soon as its answer is fixed, so the message never contradicts the screen. */
function recheckField(target) {
  const container = target.closest("[data-field]");
  if (container && container.classList.contains("has-error") && !fieldProblem(container, context)) {
    unmarkField(container);
  }
}

function onAnswer(event) {
  refresh();
  recheckField(event.target);
  remember();
  restartIdleTimer();
}

function wire() {
  form.addEventListener("input", onAnswer);
  form.addEventListener("change", onAnswer);
  form.addEventListener("submit", submit);
  byId("retry-button").addEventListener("click", () => submit(null));
  byId("add-medication").addEventListener("click", () => {
    const row = addMedicationRow();
    applyTexts(byId("medication-rows"), state.t);
    remember();
    row.querySelector("input").focus();
  });
  byId("medication-rows").addEventListener("click", (event) => {
    const remove = event.target.closest(".remove-medication");
    if (remove) {
      removeMedicationRow(remove.closest(".medication-row"));
      applyTexts(byId("medication-rows"), state.t);
      refresh();
      remember();
    }
  });
  byId("new-form").addEventListener("click", startAnotherForm);
  byId("start-again").addEventListener("click", () => {
    clearEverything();
    byId("draft-status").textContent = state.t("ui.draft.cleared");
    byId("f-patient-given_name").focus();
  });
  window.addEventListener("beforeunload", (event) => {
    if (!form.hidden && hasAnswers(form)) {
      event.preventDefault();
      event.returnValue = state.t("ui.leave_warning");
    }
  });
}

async function start() {
  try {
    state.catalogs = await loadCatalogs(clinic.languages);
  } catch {
    byId("form-unavailable").hidden = false;
    return;
  }
  form.querySelectorAll("[data-field]").forEach(buildField);
  byId("privacy-notice-link").href = clinic.privacy_notice.url;
  const { draft, expired } = loadDraft();
  const saved = draft && clinic.languages.includes(draft.locale) ? draft.locale : null;
  state.locale = saved || preferredLocale(clinic.languages, navigator.languages);
  setMedicationRowCount(draft ? draft.medications : 0);
  if (draft) {
    restoreValues(form, draft.values);
    state.attempt = draft.attempt || null;
  }
  buildLanguageSwitch();
  setLanguage(state.locale);
  refresh();
  if (draft || expired) {
    byId("draft-status").textContent = state.t(draft ? "ui.draft.restored" : "ui.draft.expired");
  }
  wire();
  restartIdleTimer();
  byId("app").hidden = false;
}

start().catch((error) => {
  byId("form-unavailable").hidden = false; // the clinic's phone rather than a blank page
  throw error;
});
