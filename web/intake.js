/*
 * The patient intake form (contract v1). The questions live in index.html as containers marked with
 * data-field (the contract's dotted path) and data-kind (how to read and check the answer); this script adds the
 * answer buttons, validates as the API does, builds the JSON body and shows the API's answer.
 *
 * Safety: no answer has a default, hidden detail questions are never sent, answers never go into the URL or any
 * browser storage, and one Idempotency-Key is sent per filled-in form so a retry or double click makes one intake.
 */
(function () {
  "use strict";
  const { apiUrl, el, readJson } = window.IntakeWeb;

  const identity = (value) => value;
  const CHOICES = {
    answer: { options: [["yes", "Yes"], ["no", "No"], ["unsure", "Not sure"]], parse: identity },
    pregnancy: {
      options: [["yes", "Yes"], ["no", "No"], ["unsure", "Not sure"], ["not_applicable", "Does not apply to me"]],
      parse: identity,
    },
    diabetes: {
      options: [
        ["no", "No"],
        ["controlled", "Yes, and it is well controlled"],
        ["uncontrolled", "Yes, and it is not well controlled"],
        ["unsure", "Not sure"],
      ],
      parse: identity,
    },
    agree: { options: [["agree", "Agree"], ["disagree", "Disagree"]], parse: (value) => value === "agree" },
    bothersomeness: {
      options: [
        ["not_at_all", "Not at all"],
        ["slightly", "Slightly"],
        ["moderately", "Moderately"],
        ["very_much", "Very much"],
        ["extremely", "Extremely"],
      ],
      parse: identity,
    },
    areas: {
      options: [
        ["lower_back", "Lower back"],
        ["upper_back", "Upper back"],
        ["neck", "Neck"],
        ["buttock", "Buttock"],
        ["left_leg", "Left leg"],
        ["right_leg", "Right leg"],
      ],
      parse: identity,
    },
    immune: {
      options: [
        ["chemotherapy", "Chemotherapy"],
        ["radiotherapy", "Radiotherapy"],
        ["hiv", "HIV"],
        ["organ_transplant", "An organ transplant"],
        ["long_term_steroids", "Steroid tablets taken for a long time, such as prednisolone"],
        ["immunosuppressant_or_biologic", "A medicine that suppresses the immune system, or a biologic"],
        ["no_spleen", "No spleen, or a spleen that does not work"],
        ["other", "Something else"],
      ],
      parse: identity,
    },
    implant: {
      options: [
        ["pacemaker", "Pacemaker"],
        ["defibrillator", "Defibrillator (ICD)"],
        ["spinal_cord_stimulator", "Spinal cord stimulator"],
        ["drug_pump", "Drug pump"],
        ["cochlear_implant", "Cochlear implant"],
        ["other", "Something else"],
      ],
      parse: identity,
    },
  };
  const MAX_MEDICATIONS = 50;
  const MAX_AGE_YEARS = 120;
  const ADULT_AGE_YEARS = 18;
  const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

  const form = document.getElementById("intake-form");
  const submitButton = document.getElementById("submit-button");
  const statusLine = document.getElementById("form-status");
  const summary = document.getElementById("error-summary");
  const medicationRows = document.getElementById("medication-rows");
  const addMedicationButton = document.getElementById("add-medication");
  const confirmation = document.getElementById("confirmation");
  const intro = document.getElementById("intro");

  let sending = false;
  /** The last body sent and its key: the same answers reuse the key, changed answers are a new submission. */
  let lastAttempt = null;

  const idFor = (path) => "f-" + path.replace(/[.[\]]+/g, "-").replace(/-$/, "");
  const isShown = (node) => !node.closest("[hidden]");
  const activeFields = () => [...form.querySelectorAll("[data-field]")].filter(isShown);
  const controlsOf = (container) => [...container.querySelectorAll("input, select, textarea")];
  const codePoints = (text) => [...text].length;
  const lowerFirst = (text) => text.charAt(0).toLowerCase() + text.slice(1);

  // ---- building the page ----

  function addChoices(container) {
    const choiceSet = CHOICES[container.dataset.choices];
    const type = container.dataset.kind === "multi" ? "checkbox" : "radio";
    const path = container.dataset.field;
    const list = el("div", { class: "choices" });
    for (const [value, text] of choiceSet.options) {
      const id = `${idFor(path)}-${value}`;
      list.append(
        el("div", { class: "choice" }, el("input", { type, id, name: path, value }), el("label", { for: id }, text)),
      );
    }
    container.append(list);
  }

  function addErrorSlot(container) {
    const slot = el("p", { class: "field-error", hidden: true });
    const firstControl = container.querySelector(".choices, input, select, textarea");
    container.insertBefore(slot, firstControl);
  }

  /** The question as the summary names it: data-label when the full label is long, else the label's text. */
  function labelText(container) {
    if (container.dataset.label) {
      return container.dataset.label;
    }
    const caption = container.querySelector(":scope > legend, :scope > label");
    const copy = caption.cloneNode(true);
    copy.querySelectorAll(".optional-tag").forEach((tag) => tag.remove());
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  // ---- medicines: repeatable rows whose field paths follow their position ----

  function renumberMedications() {
    const rows = [...medicationRows.children];
    rows.forEach((row, index) => {
      row.querySelectorAll(".row-number").forEach((number) => (number.textContent = String(index + 1)));
      for (const container of row.querySelectorAll("[data-part]")) {
        const path = `medications[${index}].${container.dataset.part}`;
        container.dataset.field = path;
        const input = container.querySelector("input");
        input.id = idFor(path);
        input.name = path;
        container.querySelector("label").htmlFor = input.id;
      }
    });
    const full = rows.length >= MAX_MEDICATIONS;
    addMedicationButton.hidden = full;
    document.getElementById("medication-limit").hidden = !full;
  }

  function addMedicationRow() {
    const row = document.getElementById("medication-row").content.firstElementChild.cloneNode(true);
    row.querySelectorAll("[data-part]").forEach(addErrorSlot);
    medicationRows.append(row);
    renumberMedications();
    return row;
  }

  function removeMedicationRow(row) {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumberMedications();
    (next ? next.querySelector("input") : addMedicationButton).focus();
  }

  const isEmptyMedication = (row) => controlsOf(row).every((input) => input.value.trim() === "");

  function dropEmptyMedicationRows() {
    [...medicationRows.children].filter(isEmptyMedication).forEach((row) => row.remove());
    renumberMedications();
  }

  // ---- questions shown only when relevant ----

  function checkedValues(path) {
    return [...form.querySelectorAll("input:checked")].filter((input) => input.name === path).map((i) => i.value);
  }

  function updateDetailQuestions() {
    for (const detail of form.querySelectorAll("[data-shown-when]")) {
      const [path, values] = detail.dataset.shownWhen.split("=");
      const wanted = values.split(",");
      detail.hidden = !checkedValues(path).some((value) => wanted.includes(value));
    }
  }

  /** {age: whole years until today, inFuture} for an ISO date, or null when it is not a real date. */
  function birthFacts(isoDate) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
    if (!match) {
      return null;
    }
    const [year, month, day] = match.slice(1).map(Number);
    const born = new Date(year, month - 1, day);
    if (born.getFullYear() !== year || born.getMonth() !== month - 1 || born.getDate() !== day) {
      return null;
    }
    const today = new Date();
    const hadBirthday = today.getMonth() > month - 1 || (today.getMonth() === month - 1 && today.getDate() >= day);
    return { age: today.getFullYear() - year - (hadBirthday ? 0 : 1), inFuture: born > today };
  }

  function updateGuardianQuestion() {
    const birth = birthFacts(document.getElementById("f-patient-date_of_birth").value);
    document.getElementById("guardian").hidden = !(birth && !birth.inFuture && birth.age < ADULT_AGE_YEARS);
  }

  // ---- reading answers ----

  /** A datetime-local value with the browser's UTC offset, as the contract wants ("2026-12-01T09:30:00-05:00"). */
  function withLocalOffset(value) {
    const local = new Date(value);
    if (!value || Number.isNaN(local.getTime())) {
      return undefined;
    }
    const offset = -local.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
    const seconds = value.length === 16 ? ":00" : "";
    return `${value}${seconds}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
  }

  function readValue(container) {
    const kind = container.dataset.kind;
    const path = container.dataset.field;
    if (kind === "choice") {
      const [value] = checkedValues(path);
      return value === undefined ? undefined : CHOICES[container.dataset.choices].parse(value);
    }
    if (kind === "multi") {
      const values = checkedValues(path);
      return values.length ? values : undefined;
    }
    const control = controlsOf(container)[0];
    if (kind === "consent") {
      return control.checked;
    }
    const text = control.value.trim();
    if (text === "") {
      return undefined;
    }
    if (kind === "int") {
      return /^\d+$/.test(text) ? Number(text) : text;
    }
    if (kind === "datetime") {
      return withLocalOffset(text);
    }
    if (kind === "lines") {
      const lines = text.split("\n").map((line) => line.trim()).filter(Boolean);
      return lines.length ? lines : undefined;
    }
    return text;
  }

  function setPath(target, path, value) {
    const keys = path.match(/[^.[\]]+/g);
    let node = target;
    keys.slice(0, -1).forEach((key, index) => {
      if (node[key] === undefined) {
        node[key] = /^\d+$/.test(keys[index + 1]) ? [] : {};
      }
      node = node[key];
    });
    node[keys[keys.length - 1]] = value;
  }

  function collectBody() {
    const body = { form_version: "1" };
    for (const container of activeFields()) {
      const value = readValue(container);
      if (value !== undefined) {
        setPath(body, container.dataset.field, value);
      }
    }
    return body;
  }

  // ---- checking answers as the API does ----

  function lengthProblem(text, max) {
    const used = codePoints(text);
    return used > max ? `Please use ${max} characters or fewer (you have used ${used}).` : null;
  }

  function birthDateProblem(text) {
    const birth = birthFacts(text);
    if (!birth) {
      return "Please enter a real date, like 12 April 1985.";
    }
    if (birth.inFuture) {
      return "Your date of birth cannot be in the future.";
    }
    return birth.age > MAX_AGE_YEARS ? "Please check the year of your date of birth." : null;
  }

  function intProblem(value, container) {
    const min = Number(container.dataset.min);
    const max = Number(container.dataset.max);
    if (!Number.isInteger(value) || value < min || value > max) {
      return `Please enter a whole number from ${min} to ${max}.`;
    }
    return null;
  }

  function linesProblem(lines, container) {
    const maxItems = Number(container.dataset.maxItems);
    if (lines.length > maxItems) {
      return `Please list ${maxItems} or fewer (you have listed ${lines.length}).`;
    }
    const max = Number(container.dataset.max);
    const tooLong = lines.findIndex((line) => codePoints(line) > max);
    return tooLong >= 0 ? `Line ${tooLong + 1} is too long: please use ${max} characters or fewer per line.` : null;
  }

  const MISSING = {
    choice: "Please choose an answer.",
    multi: "Please choose at least one.",
    consent: "Please tick this box to send the form.",
    birthdate: "Please enter your date of birth.",
    int: "Please enter a number.",
  };

  /** The problem with one answer, or null. `required` may be forced by a rule spanning several fields. */
  function fieldProblem(container, required) {
    const kind = container.dataset.kind;
    const value = readValue(container);
    if (value === undefined || (kind === "consent" && value === false)) {
      return required ? MISSING[kind] || "Please fill this in." : null;
    }
    switch (kind) {
      case "text":
        return lengthProblem(value, Number(container.dataset.max));
      case "email":
        return lengthProblem(value, Number(container.dataset.max)) ||
          (EMAIL.test(value) ? null : "Please enter an email address like name@example.com.");
      case "birthdate":
        return birthDateProblem(value);
      case "int":
        return intProblem(value, container);
      case "lines":
        return linesProblem(value, container);
      default:
        return null;
    }
  }

  /** Rules that span fields: a medicine needs a name; STarT Back is answered whole or not at all. */
  function crossFieldRequired(container) {
    const part = container.dataset.part;
    if (part === "name") {
      return !isEmptyMedication(container.closest(".medication-row"));
    }
    const group = container.closest("[data-all-or-none]");
    if (group) {
      return [...group.querySelectorAll("[data-field]")].some((field) => readValue(field) !== undefined);
    }
    return false;
  }

  function validate() {
    const problems = [];
    for (const container of activeFields()) {
      const required = container.hasAttribute("data-required") || crossFieldRequired(container);
      const message = fieldProblem(container, required);
      if (message) {
        problems.push({ container, message });
      }
    }
    return problems;
  }

  // ---- showing problems ----

  function markField(container, message) {
    const slot = container.querySelector(".field-error");
    slot.id = `${idFor(container.dataset.field)}-error`;
    slot.textContent = message;
    slot.hidden = false;
    container.classList.add("has-error");
    const described = container.tagName === "FIELDSET" ? [container] : controlsOf(container);
    for (const node of described) {
      const ids = (node.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== slot.id);
      node.setAttribute("aria-describedby", [...ids, slot.id].join(" "));
    }
    controlsOf(container).forEach((control) => control.setAttribute("aria-invalid", "true"));
  }

  function unmarkField(container) {
    const slot = container.querySelector(".field-error");
    if (!slot || slot.hidden) {
      return;
    }
    slot.hidden = true;
    slot.textContent = "";
    container.classList.remove("has-error");
    for (const node of [container, ...controlsOf(container)]) {
      const ids = (node.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== slot.id);
      if (ids.length) {
        node.setAttribute("aria-describedby", ids.join(" "));
      } else {
        node.removeAttribute("aria-describedby");
      }
      node.removeAttribute("aria-invalid");
    }
  }

  function clearProblems() {
    form.querySelectorAll("[data-field]").forEach(unmarkField);
    summary.hidden = true;
    document.getElementById("error-summary-list").replaceChildren();
    statusLine.textContent = "";
  }

  function focusControl(event, control) {
    event.preventDefault();
    control.focus();
    control.scrollIntoView({ block: "center" });
  }

  /** Shows the summary at the top (announced, focused) with a link to each field that has a problem. */
  function showSummary(title, message, problems) {
    document.getElementById("error-summary-title").textContent = title;
    document.getElementById("error-summary-message").textContent = message;
    const items = problems.map(({ container, message: problem }) => {
      if (!container) {
        return el("li", {}, problem);
      }
      markField(container, problem);
      const control = controlsOf(container)[0];
      const link = el("a", { href: `#${control.id}` }, `${labelText(container)} – ${lowerFirst(problem)}`);
      link.addEventListener("click", (event) => focusControl(event, control));
      return el("li", {}, link);
    });
    document.getElementById("error-summary-list").replaceChildren(...items);
    summary.hidden = false;
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }

  function showFieldProblems(problems) {
    const count = problems.length === 1 ? "1 answer needs" : `${problems.length} answers need`;
    showSummary("Please check your answers", `${count} your attention before the form can be sent.`, problems);
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

  function serverProblems(errors) {
    const byPath = new Map(activeFields().map((container) => [container.dataset.field, container]));
    return errors.map((error) => {
      const container = containerForPath(error.field, byPath);
      const message = String(error.message || "This answer was not accepted.");
      return container ? { container, message } : { container: null, message: `${error.field || "Form"}: ${message}` };
    });
  }

  // ---- sending ----

  function newIdempotencyKey() {
    if (typeof crypto.randomUUID === "function") {
      return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function setSending(on) {
    sending = on;
    submitButton.disabled = on;
    submitButton.textContent = on ? "Sending…" : "Send my answers";
    statusLine.textContent = on ? "Sending your answers…" : "";
  }

  function failureMessage(response, data) {
    if (response.status === 503) {
      const wait = Number(response.headers.get("Retry-After")) || 30;
      return `The clinic's system is busy. Please wait ${wait} seconds and press Send again.`;
    }
    if (response.status === 413) {
      return "Your answers are too long to send. Please shorten your notes or lists and try again.";
    }
    const detail = typeof data.message === "string" ? ` (${data.message})` : "";
    return `The clinic's system could not accept the form${detail}. Please try again, or call the clinic.`;
  }

  async function submit(event) {
    event.preventDefault();
    if (sending) {
      return;
    }
    clearProblems();
    dropEmptyMedicationRows();
    const problems = validate();
    if (problems.length) {
      showFieldProblems(problems);
      return;
    }
    const bodyText = JSON.stringify(collectBody());
    const key = lastAttempt && lastAttempt.bodyText === bodyText ? lastAttempt.key : newIdempotencyKey();
    lastAttempt = { bodyText, key };
    setSending(true);
    try {
      const response = await fetch(apiUrl("/intakes"), {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": key },
        body: bodyText,
        credentials: "omit",
        cache: "no-store",
      });
      const data = await readJson(response);
      setSending(false);
      if (response.ok && typeof data.id === "string") {
        showConfirmation(data);
      } else if (response.status === 422 && Array.isArray(data.errors) && data.errors.length) {
        showFieldProblems(serverProblems(data.errors));
      } else {
        showSummary("Your answers have not been sent yet", failureMessage(response, data), []);
      }
    } catch {
      setSending(false);
      showSummary(
        "Your answers have not been sent yet",
        "We could not reach the clinic's system. Check your internet connection and press Send again: your " +
          "answers are still here and will only be received once.",
        [],
      );
    }
  }

  function showConfirmation(data) {
    const advice = document.getElementById("patient-advice");
    const hasAdvice = typeof data.patient_advice === "string" && data.patient_advice.trim() !== "";
    document.getElementById("patient-advice-text").textContent = hasAdvice ? data.patient_advice : "";
    advice.hidden = !hasAdvice;
    document.getElementById("confirmation-reference").textContent = data.id;
    resetForm();
    form.hidden = true;
    intro.hidden = true;
    confirmation.hidden = false;
    confirmation.focus();
    confirmation.scrollIntoView({ block: "start" });
  }

  /** Empties every answer (the page may be on a shared computer) and starts a new submission. */
  function resetForm() {
    form.reset();
    clearProblems();
    medicationRows.replaceChildren();
    addMedicationRow();
    updateDetailQuestions();
    updateGuardianQuestion();
    lastAttempt = null;
  }

  function startAnotherForm() {
    document.getElementById("patient-advice-text").textContent = "";
    document.getElementById("confirmation-reference").textContent = "";
    confirmation.hidden = true;
    intro.hidden = false;
    form.hidden = false;
    document.getElementById("f-patient-given_name").focus();
  }

  /** Clears a field's error as soon as its answer is fixed, so the message never contradicts the screen. */
  function recheckField(event) {
    const container = event.target.closest("[data-field]");
    if (container && container.classList.contains("has-error")) {
      const required = container.hasAttribute("data-required") || crossFieldRequired(container);
      if (!fieldProblem(container, required)) {
        unmarkField(container);
      }
    }
  }

  function start() {
    form.querySelectorAll("[data-choices]").forEach(addChoices);
    form.querySelectorAll("[data-field]").forEach(addErrorSlot);
    addMedicationRow();
    form.addEventListener("change", (event) => {
      updateDetailQuestions();
      recheckField(event);
    });
    form.addEventListener("input", recheckField);
    document.getElementById("f-patient-date_of_birth").addEventListener("input", updateGuardianQuestion);
    document.getElementById("f-patient-date_of_birth").addEventListener("change", updateGuardianQuestion);
    addMedicationButton.addEventListener("click", () => addMedicationRow().querySelector("input").focus());
    medicationRows.addEventListener("click", (event) => {
      const remove = event.target.closest(".remove-medication");
      if (remove) {
        removeMedicationRow(remove.closest(".medication-row"));
      }
    });
    form.addEventListener("submit", submit);
    document.getElementById("new-form").addEventListener("click", startAnotherForm);
  }

  start();
})();
