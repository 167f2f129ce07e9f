/*
 * The practitioner review console: sign in with a token, work through the pending queue (most urgent first), read
 * an intake's flags, answers and history, and record a decision guarded by expected_version.
 *
 * Only the sign-in token is stored (sessionStorage, this tab only); patient data lives in the page and is cleared
 * on sign-out. The token can come from a paste or from the Cognito hosted UI's redirect (#id_token=…), whose
 * fragment is removed from the address bar at once.
 */
(function () {
  "use strict";
  const { apiUrl, el, readJson, timeElement } = window.IntakeWeb;

  const TOKEN_KEY = "intake-review.token";
  const PAGE_SIZE = 25;
  const MAX_NOTE = 2000;
  const DECISIONS = {
    cleared: "Cleared: treat as planned",
    treat_with_modifications: "Treat with modifications",
    refer_to_doctor: "Refer to a doctor",
    declined: "Declined: not treating",
  };
  const STATUS_TEXT = { needs_review: "Waiting for review", reviewed: "Reviewed", clear: "Clear (no flags)" };
  const ATTENTION_ANSWERS = new Set(["yes", "unsure", "uncontrolled"]);
  /** Sections whose answers are choices (shown readable), unlike names, medicines and notes (shown as typed). */
  const CHOICE_SECTIONS = new Set(["back_pain", "safety", "red_flags", "start_back"]);

  const $ = (id) => document.getElementById(id);
  const signIn = $("sign-in");
  const queue = $("queue");
  const detail = $("detail");
  const decisionForm = $("decision-form");

  let queueStatus = "pending";
  let nextCursor = null;
  let current = null;

  /** Raised after the API refused the token: the console is already back at sign-in, so callers just stop. */
  class SignedOut extends Error {}

  const humanize = (key) => {
    const words = String(key).replace(/^red_flag_/, "red flag: ").replace(/_/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  };

  // ---- messages ----

  function say(message) {
    $("console-status").textContent = message;
    $("console-status").hidden = !message;
  }

  function warn(...content) {
    $("console-alert").replaceChildren(...content);
    $("console-alert").hidden = content.length === 0;
  }

  // ---- the token ----

  /** The token's claims, for display and expiry only: the API verifies the signature, not this page. */
  function claimsOf(token) {
    try {
      const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const claims = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "=")));
      return claims && typeof claims === "object" ? claims : null;
    } catch {
      return null;
    }
  }

  const isExpired = (claims) => typeof claims.exp === "number" && claims.exp * 1000 <= Date.now();

  /** The intake an alert's link names (/review#intake=<id>), opened once the practitioner is signed in. */
  let linkedIntake = null;

  /** Takes the id_token the hosted UI put in the URL fragment (and an alert's intake id), then removes the fragment
   * from the address bar. */
  function tokenFromRedirect() {
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    const token = fragment.get("id_token");
    const intake = fragment.get("intake");
    if (intake && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(intake)) {
      linkedIntake = intake;
    }
    if (window.location.hash) {
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    return token;
  }

  function useToken(token) {
    const claims = claimsOf(token);
    if (!claims) {
      signOut("That does not look like a sign-in token. Paste the whole token and try again.");
      return false;
    }
    if (isExpired(claims)) {
      signOut("That sign-in token has expired. Get a new one and sign in again.");
      return false;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $("account-name").textContent = `Signed in as ${claims.email || claims["cognito:username"] || claims.sub || "?"}`;
    $("account").hidden = false;
    signIn.hidden = true;
    return true;
  }

  /** Forgets the token and every patient detail on the page. */
  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    current = null;
    nextCursor = null;
    $("queue-rows").replaceChildren();
    clearDetail();
    queue.hidden = true;
    detail.hidden = true;
    $("account").hidden = true;
    $("account-name").textContent = "";
    $("token").value = "";
    signIn.hidden = false;
    say("");
    warn(...(message ? [message] : []));
    $("token").focus();
  }

  // ---- talking to the API ----

  async function api(path, options = {}) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) {
      signOut("Please sign in.");
      throw new SignedOut();
    }
    const headers = { Authorization: `Bearer ${token}`, ...(options.body ? { "Content-Type": "application/json" } : {}) };
    const response = await fetch(apiUrl(path), { ...options, headers, credentials: "omit", cache: "no-store" });
    if (response.status === 401) {
      signOut("Your sign-in has expired or was not accepted. Please sign in again.");
      throw new SignedOut();
    }
    return { response, data: await readJson(response) };
  }

  function refusal(response, data) {
    if (response.status === 403) {
      return "Your account is not in the practitioners group, so it cannot see intakes. Ask the clinic's administrator.";
    }
    const detailText = typeof data.message === "string" ? `: ${data.message}` : "";
    return `The request failed (${response.status}${detailText}). Please try again.`;
  }

  /** Runs an API action, turning network failures and refusals into a visible, announced message. */
  async function attempt(action) {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof SignedOut)) {
        warn("Could not reach the screening service. Check the connection and try again.");
      }
    }
  }

  // ---- the queue ----

  function severityBadge(severity) {
    const level = ["critical", "warning", "info"].includes(severity) ? severity : "none";
    return el("span", { class: `badge badge-${level}` }, level === "none" ? "No flags" : severity);
  }

  function queueRow(item) {
    const open = el(
      "button",
      { type: "button", class: "button-link", onclick: () => attempt(() => openIntake(item.id)) },
      item.patient_name || "Name not given",
    );
    return el(
      "tr",
      { "data-intake-id": item.id },
      el("td", {}, severityBadge(item.highest_severity)),
      el("td", {}, open),
      el("td", {}, timeElement(item.appointment_starts_at)),
      el("td", {}, timeElement(item.received_at)),
      el("td", {}, (item.categories || []).map(humanize).join(", ") || "—"),
    );
  }

  async function loadQueue(more) {
    const params = new URLSearchParams({ status: queueStatus, limit: String(PAGE_SIZE) });
    if (more && nextCursor) {
      params.set("cursor", nextCursor);
    }
    const { response, data } = await api(`/reviews?${params}`);
    if (!response.ok) {
      warn(refusal(response, data));
      return;
    }
    const rows = (data.items || []).map(queueRow);
    if (more) {
      $("queue-rows").append(...rows);
    } else {
      $("queue-rows").replaceChildren(...rows);
    }
    nextCursor = data.next_cursor || null;
    $("load-more").hidden = !nextCursor;
    $("queue-empty").hidden = $("queue-rows").children.length > 0;
    $("queue-caption").textContent =
      queueStatus === "pending" ? "Intakes waiting for review, most urgent first" : "Reviewed intakes";
  }

  async function showQueue() {
    clearDetail();
    detail.hidden = true;
    queue.hidden = false;
    await loadQueue(false);
  }

  // ---- one intake ----

  function clearDetail() {
    for (const id of ["detail-facts", "detail-flags", "detail-history", "detail-answers"]) {
      $(id).replaceChildren();
    }
    for (const id of ["detail-title", "detail-advice-text", "detail-start-back"]) {
      $(id).textContent = "";
    }
    decisionForm.reset();
    clearDecisionErrors();
  }

  function patientName(record) {
    const patient = (record.answers && record.answers.patient) || {};
    const name = [patient.given_name, patient.family_name].filter(Boolean).join(" ");
    return name || `Intake ${record.id}`;
  }

  function facts(record) {
    const screening = record.screening || {};
    const appointment = (record.answers && record.answers.appointment) || {};
    const pairs = [
      ["Status", STATUS_TEXT[record.status] || record.status],
      ["Highest severity", severityBadge(screening.highest_severity)],
      ["Received", timeElement(record.received_at)],
      ["Appointment", timeElement(appointment.starts_at)],
      ["Reference", record.id],
      ["Rules catalog", screening.catalog_version || "—"],
    ];
    return pairs.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]);
  }

  function evidenceItem(evidence) {
    const parts = [el("code", {}, evidence.field), `: ${formatValue(evidence.value)}`];
    if (evidence.matched_drug) {
      parts.push(` (matched ${evidence.matched_drug}${evidence.atc_class ? `, ATC ${evidence.atc_class}` : ""})`);
    }
    if (evidence.note) {
      parts.push(el("br"), el("em", {}, evidence.note));
    }
    return el("li", {}, parts);
  }

  function flagCard(flag) {
    return el(
      "li",
      { class: `flag flag-${flag.severity}` },
      severityBadge(flag.severity),
      " ",
      el("span", { class: "source" }, humanize(flag.category)),
      el("h4", {}, flag.title),
      el("p", {}, el("strong", {}, "Action: "), flag.action),
      el("p", {}, el("strong", {}, "Because of these answers:")),
      el("ul", {}, (flag.evidence || []).map(evidenceItem)),
      el("p", { class: "source" }, `Source: ${flag.source}`),
    );
  }

  function historyItem(entry) {
    return el(
      "li",
      {},
      el("strong", {}, DECISIONS[entry.decision] || entry.decision),
      " by ",
      entry.by_name || entry.by,
      ", ",
      timeElement(entry.at),
      entry.note ? el("p", {}, entry.note) : null,
    );
  }

  /** An answer as text; enum-like answers ("unsure", "lower_back") are made readable, free text is left as typed. */
  function formatValue(value, readable = true) {
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

  function answerList(section, fields, evidenceFields) {
    const readable = CHOICE_SECTIONS.has(section);
    const items = Object.entries(fields).flatMap(([key, answer]) => {
      const path = `${section}.${key}`;
      const attention = evidenceFields.has(path) || (readable && ATTENTION_ANSWERS.has(answer));
      return [
        el("dt", {}, humanize(key)),
        el("dd", attention ? { class: "answer-attention" } : {}, formatValue(answer, readable)),
      ];
    });
    return el("dl", { class: "answers" }, items);
  }

  /** The answers, one block per section; answers a flag cites, and yes/unsure safety answers, stand out. */
  function answersView(answers, evidenceFields) {
    if (!answers) {
      return [el("p", {}, "No answers are kept for intakes without flags.")];
    }
    return Object.entries(answers)
      .filter(([section, value]) => section !== "form_version" && formatValue(value) !== "—")
      .map(([section, value]) => {
        let body;
        if (Array.isArray(value)) {
          body = el("ul", {}, value.map((item) => el("li", {}, formatValue(item, false))));
        } else if (value && typeof value === "object") {
          body = answerList(section, value, evidenceFields);
        } else {
          body = el("p", {}, String(value));
        }
        return el("section", {}, el("h4", {}, humanize(section)), body);
      });
  }

  function renderIntake(record) {
    current = record;
    clearDetail();
    const screening = record.screening || {};
    const flags = screening.flags || [];
    const evidenceFields = new Set(flags.flatMap((flag) => (flag.evidence || []).map((e) => e.field)));
    $("detail-title").textContent = patientName(record);
    $("detail-facts").replaceChildren(...facts(record));
    $("detail-advice").hidden = !screening.patient_advice;
    $("detail-advice-text").textContent = screening.patient_advice || "";
    $("detail-flags").replaceChildren(...(flags.length ? flags.map(flagCard) : [el("li", {}, "No flags.")]));
    const startBack = screening.start_back;
    $("detail-start-back").hidden = !startBack;
    if (startBack) {
      $("detail-start-back").textContent =
        `STarT Back: ${startBack.risk} risk (total ${startBack.total}/9, psychosocial ${startBack.psychosocial}/5).`;
    }
    const history = record.history || [];
    $("detail-history").replaceChildren(...history.map(historyItem));
    $("detail-no-history").hidden = history.length > 0;
    $("decision-title").textContent = history.length ? "Record another decision" : "Record a decision";
    $("expected-version").value = String(record.version);
    decisionForm.hidden = record.status === "clear";
    $("detail-answers").replaceChildren(...answersView(record.answers, evidenceFields));
  }

  async function openIntake(id) {
    warn();
    say("");
    const { response, data } = await api(`/intakes/${encodeURIComponent(id)}`);
    if (!response.ok) {
      warn(response.status === 404 ? "That intake no longer exists." : refusal(response, data));
      return;
    }
    renderIntake(data);
    queue.hidden = true;
    detail.hidden = false;
    detail.focus();
  }

  // ---- decisions ----

  function clearDecisionErrors() {
    for (const id of ["decision-error", "decision-note-error"]) {
      $(id).hidden = true;
      $(id).textContent = "";
    }
    $("decision-field").removeAttribute("aria-describedby");
    $("decision-note").setAttribute("aria-describedby", "decision-note-hint");
    $("decision-note").removeAttribute("aria-invalid");
  }

  function decisionProblems(decision, note) {
    const problems = [];
    if (!decision) {
      problems.push(["decision-error", "Choose a decision.", $("decision-field"), $("decision-cleared")]);
    }
    if ([...note].length > MAX_NOTE) {
      const message = `Keep the note to ${MAX_NOTE} characters or fewer (it has ${[...note].length}).`;
      problems.push(["decision-note-error", message, $("decision-note"), $("decision-note")]);
    }
    return problems;
  }

  function showDecisionProblems(problems) {
    for (const [errorId, message, described] of problems) {
      $(errorId).textContent = message;
      $(errorId).hidden = false;
      const ids = (described.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.setAttribute("aria-describedby", [...ids, errorId].join(" "));
      if (described.tagName === "TEXTAREA") {
        described.setAttribute("aria-invalid", "true");
      }
    }
    warn(`The decision was not recorded: ${problems.map(([, message]) => message).join(" ")}`);
    problems[0][3].focus();
  }

  /** What the colleague whose decision won the race decided, for the 409 message. */
  function conflictMessage(record) {
    const history = record.history || [];
    const latest = history[history.length - 1];
    if (!latest) {
      return "Someone else changed this intake while you were reading it. It has been reloaded: check it again.";
    }
    const when = timeElement(latest.at);
    const note = latest.note ? ` Their note: “${latest.note}”.` : "";
    return [
      `Another practitioner (${latest.by_name || latest.by}) recorded “${DECISIONS[latest.decision] || latest.decision}” at `,
      when,
      `, before your decision was saved.${note} The intake has been reloaded: your decision was not recorded.`,
    ];
  }

  async function submitDecision(event) {
    event.preventDefault();
    if (!current || $("decision-submit").disabled) {
      return;
    }
    clearDecisionErrors();
    warn();
    const decision = (decisionForm.querySelector('input[name="decision"]:checked') || {}).value;
    const note = $("decision-note").value.trim();
    const problems = decisionProblems(decision, note);
    if (problems.length) {
      showDecisionProblems(problems);
      return;
    }
    const body = JSON.stringify({ decision, note, expected_version: Number($("expected-version").value) });
    $("decision-submit").disabled = true;
    try {
      const { response, data } = await api(`/intakes/${encodeURIComponent(current.id)}/review`, {
        method: "POST",
        body,
      });
      if (response.ok) {
        renderIntake(data);
        say(`Decision recorded: ${DECISIONS[decision]}.`);
        $("detail-title").focus();
      } else if (response.status === 409 && data.current) {
        renderIntake(data.current);
        warn(...[conflictMessage(data.current)].flat());
      } else {
        warn(refusal(response, data));
      }
    } finally {
      $("decision-submit").disabled = false;
    }
  }

  // ---- start ----

  function hostedLogin() {
    const meta = document.querySelector('meta[name="cognito-login-url"]');
    const url = meta ? meta.content.trim() : "";
    $("hosted-login").hidden = !url;
    if (url) {
      $("hosted-login-link").href = url;
    }
  }

  function startWith(token) {
    if (token && useToken(token)) {
      const intake = linkedIntake;
      linkedIntake = null;
      attempt(intake ? () => openIntake(intake) : showQueue);
    } else if (!token) {
      signOut("");
    }
  }

  function start() {
    hostedLogin();
    $("detail-title").tabIndex = -1;
    $("sign-in-form").addEventListener("submit", (event) => {
      event.preventDefault();
      warn();
      startWith($("token").value.trim().replace(/^Bearer\s+/i, "") || null);
    });
    $("sign-out").addEventListener("click", () => {
      signOut("");
      say("You have signed out.");
    });
    for (const radio of document.querySelectorAll('input[name="queue-status"]')) {
      radio.addEventListener("change", () => {
        queueStatus = radio.value;
        attempt(() => loadQueue(false));
      });
    }
    $("refresh-queue").addEventListener("click", () => attempt(() => loadQueue(false)));
    $("load-more").addEventListener("click", () => attempt(() => loadQueue(true)));
    $("back-to-queue").addEventListener("click", () => attempt(showQueue).then(() => $("queue-title").focus()));
    $("queue-title").tabIndex = -1;
    decisionForm.addEventListener("submit", (event) => attempt(() => submitDecision(event)));
    startWith(tokenFromRedirect() || sessionStorage.getItem(TOKEN_KEY));
  }

  start();
})();
