/*
 * A flag as a practitioner reads it: what fired, what to do, and the answers behind it, each written as the
 * question the patient saw and the text they gave. Stored evidence only points at an answer (a path such as
 * "medications[3].name", plus the drug and class it was read as), so the text is read from the stored answers.
 */
import { el } from "./dom.js";
import { answerAt, answerNode, humanize, questionOf, severityBadge } from "./format.js";

/** Sections whose answers are choices (shown readable), unlike names, medicines and notes (shown as typed). */
export const CHOICE_SECTIONS = new Set(["back_pain", "safety", "red_flags", "start_back"]);

const isChoice = (path) => CHOICE_SECTIONS.has(String(path).split(/[.[]/)[0]);

/** What the patient answered at the evidence's path: the stored answer, else a value the evidence carries. */
function answerText(evidence, answers) {
  const stored = answerAt(answers, evidence.field);
  const value = stored === undefined ? evidence.value : stored;
  return answerNode(value, isChoice(evidence.field));
}

function readAs(evidence) {
  if (!evidence.matched_drug) {
    return null;
  }
  const detail = [evidence.atc_class, evidence.atc_code ? `ATC ${evidence.atc_code}` : null].filter(Boolean);
  return el(
    "span",
    { class: "read-as" },
    ` — read as ${evidence.matched_drug}${detail.length ? ` (${detail.join(", ")})` : ""}`,
  );
}

function evidenceItem(evidence, answers) {
  return el(
    "li",
    { class: "evidence" },
    el("span", { class: "question" }, questionOf(evidence.field)),
    " ",
    el("span", { class: "answer" }, "“", answerText(evidence, answers), "”"),
    readAs(evidence),
    evidence.note ? el("span", { class: "evidence-note" }, evidence.note) : null,
  );
}

export function flagCard(flag, answers) {
  return el(
    "li",
    { class: `flag flag-${flag.severity}`, "data-rule-id": flag.rule_id },
    severityBadge(flag.severity),
    " ",
    el("span", { class: "source" }, humanize(flag.category)),
    el("h4", {}, flag.title),
    el("p", {}, el("strong", {}, "Action: "), flag.action),
    el("p", {}, el("strong", {}, "Because of these answers:")),
    el("ul", { class: "evidence-list" }, (flag.evidence || []).map((evidence) => evidenceItem(evidence, answers))),
    el("p", { class: "source" }, `Source: ${flag.source}`),
  );
}

/** The answers cited by any flag (their paths), so the answers list can make them stand out. */
export function citedPaths(flags) {
  return new Set(flags.flatMap((flag) => (flag.evidence || []).map((evidence) => evidence.field)));
}
