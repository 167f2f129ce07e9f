/*
 * No lost answers: while the form is open its answers live in this tab's sessionStorage (never localStorage), so a
 * reload keeps them. They are removed when the form is sent, on "Start again", and after 30 idle minutes, so the
 * next patient on a shared tablet never sees them.
 */

const KEY = "intake-form-draft";
export const IDLE_MS = 30 * 60 * 1000;

/** Every answer control's state by name: checked values for radios and checkboxes, else the text. */
function controlValues(form) {
  const values = {};
  for (const control of form.querySelectorAll("input[name], select[name], textarea[name]")) {
    if (control.type === "radio" || control.type === "checkbox") {
      if (control.checked) {
        (values[control.name] ||= []).push(control.value);
      }
    } else if (control.value !== "") {
      values[control.name] = control.value;
    }
  }
  return values;
}

export const hasAnswers = (form) => Object.keys(controlValues(form)).length > 0;

/** Saves the form; `extra` holds what else a reload needs (language, medicine rows, the last submission's key). */
export function saveDraft(form, extra) {
  const values = controlValues(form);
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ savedAt: Date.now(), values, ...extra }));
  } catch {
    // Storage full or disabled (private mode): the form still works, a reload would lose the answers.
  }
}

export function clearDraft() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing was stored
  }
}

/** The saved draft: {draft} when there is a fresh one, {expired: true} when it was older than 30 minutes. */
export function loadDraft() {
  let draft;
  try {
    draft = JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch {
    draft = null;
  }
  if (!draft || typeof draft.savedAt !== "number" || typeof draft.values !== "object") {
    clearDraft();
    return {};
  }
  if (Date.now() - draft.savedAt > IDLE_MS) {
    clearDraft();
    return { expired: true };
  }
  return { draft };
}

/** Puts saved answers back into the form's controls (the medicine rows must exist already). */
export function restoreValues(form, values) {
  for (const control of form.querySelectorAll("input[name], select[name], textarea[name]")) {
    const saved = values[control.name];
    if (saved === undefined) {
      continue;
    }
    if (control.type === "radio" || control.type === "checkbox") {
      control.checked = Array.isArray(saved) && saved.includes(control.value);
    } else if (typeof saved === "string") {
      control.value = saved;
    }
  }
}
