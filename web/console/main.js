/*
 * The clinic console: sign in, then the day list (it opens on today, clinic-local), the review queue, finding a
 * patient, and one intake at a time. Only the sign-in tokens are kept (this tab's sessionStorage); patient data
 * lives in the page and is cleared on sign-out.
 */
import { $, say, warn } from "./dom.js";
import { attempt, onTokenRefused } from "./api.js";
import { loadQuestionLabels } from "./format.js";
import { clearDay, currentDay, loadDay, wireDay } from "./day.js";
import { clearQueue, loadQueue, wireQueue } from "./queue.js";
import { clearSearch, wireSearch } from "./patients.js";
import { clearIntake, openIntake } from "./intake.js";
import { wireDecision } from "./decision.js";
import { wireAdmin } from "./admin.js";
import { onOpen } from "./summary.js";
import {
  adopt,
  currentClaims,
  displayName,
  endSession,
  finishRedirect,
  hostedUi,
  startHostedSignIn,
} from "./session.js";

const VIEWS = ["sign-in", "day", "queue", "patients", "detail"];
const BACK_TEXT = { day: "Back to the day list", queue: "Back to the queue", patients: "Back to the search" };

let listView = "day";
/** An alert link's intake, opened once the practitioner has signed in. */
let pendingIntake = null;

function show(view) {
  for (const id of VIEWS) {
    $(id).hidden = id !== view;
  }
  $("console-nav").hidden = view === "sign-in";
  for (const button of $("console-nav").querySelectorAll("button")) {
    if (button.dataset.view === view) {
      button.setAttribute("aria-current", "page");
    } else {
      button.removeAttribute("aria-current");
    }
  }
}

async function showList(view) {
  listView = view;
  show(view);
  if (view === "day") {
    await loadDay(currentDay());
  } else if (view === "queue") {
    await loadQueue();
  }
}

async function showIntake(id) {
  warn();
  say("");
  if (await openIntake(id)) {
    $("back").textContent = BACK_TEXT[listView];
    show("detail");
    $("detail-title").focus();
  }
}

/** Back at sign-in with every patient detail gone from the page. */
function signedOut(message) {
  clearDay();
  clearQueue();
  clearSearch();
  clearIntake();
  $("account").hidden = true;
  $("account-name").textContent = "";
  $("token").value = "";
  show("sign-in");
  say("");
  warn(...(message ? [message] : []));
  (hostedUi ? $("hosted-login-button") : $("token")).focus();
}

function signedIn(then) {
  const claims = currentClaims();
  $("account-name").textContent = `Signed in as ${displayName(claims)}`;
  $("account").hidden = false;
  attempt(async () => {
    await showList("day");
    if (then) {
      await showIntake(then);
    }
  });
}

async function signOut() {
  const leaving = await endSession(true);
  signedOut("");
  if (!leaving) {
    say("You have signed out.");
  }
}

function wire() {
  onOpen((id) => attempt(() => showIntake(id)));
  onTokenRefused((message) => {
    endSession(false);
    signedOut(message);
  });
  wireDay(attempt);
  wireQueue(attempt);
  wireSearch(attempt);
  wireDecision(attempt);
  wireAdmin(attempt);
  $("hosted-login").hidden = !hostedUi;
  $("hosted-login-button").addEventListener("click", () => startHostedSignIn(pendingIntake));
  $("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    warn();
    const problem = adopt($("token").value.trim().replace(/^Bearer\s+/i, ""));
    if (problem) {
      signedOut(problem);
    } else {
      signedIn(pendingIntake);
      pendingIntake = null;
    }
  });
  $("sign-out").addEventListener("click", () => attempt(signOut));
  for (const button of $("console-nav").querySelectorAll("button")) {
    button.addEventListener("click", () => {
      warn();
      say("");
      attempt(() => showList(button.dataset.view)).then(() => $(`${button.dataset.view}-title`).focus());
    });
  }
  $("back").addEventListener("click", () =>
    attempt(() => showList(listView)).then(() => $(`${listView}-title`).focus()),
  );
  $("print-intake").addEventListener("click", () => window.print());
}

async function start() {
  wire();
  const [{ intake, problem }] = await Promise.all([finishRedirect(), loadQuestionLabels()]);
  if (currentClaims()) {
    signedIn(intake);
    if (problem) {
      warn(problem);
    }
  } else {
    pendingIntake = intake;
    signedOut(problem);
  }
}

attempt(start);
