/*
 * Sending: one Idempotency-Key per version of the answers (a retry of the same answers reuses it; a changed answer
 * gets a new one, so an edited form is never refused as a conflict) and a 20-second limit on waiting.
 */
const { apiUrl, readJson } = window.IntakeWeb;

export const SUBMIT_TIMEOUT_S = 20;

export function newIdempotencyKey() {
  if (typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The key for this body: the previous attempt's when the body is the same, else a new one. */
export function attemptFor(bodyText, previous) {
  return previous && previous.bodyText === bodyText ? previous : { bodyText, key: newIdempotencyKey() };
}

/** POST /intakes. Resolves to {outcome: "sent" | "fields" | "refused" | "timeout" | "offline", response?, data?}. */
export async function sendIntake(attempt) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SUBMIT_TIMEOUT_S * 1000);
  try {
    const response = await fetch(apiUrl("/intakes"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": attempt.key },
      body: attempt.bodyText,
      credentials: "omit",
      cache: "no-store",
      signal: controller.signal,
    });
    const data = await readJson(response);
    if (response.ok && typeof data.id === "string") {
      return { outcome: "sent", response, data };
    }
    const fields = response.status === 422 && Array.isArray(data.errors) && data.errors.length;
    return { outcome: fields ? "fields" : "refused", response, data };
  } catch {
    return { outcome: controller.signal.aborted ? "timeout" : "offline" };
  } finally {
    clearTimeout(timer);
  }
}

/** The message key (and its values) for an answer that is neither a success nor field errors. */
export function refusal(response) {
  if (response.status === 503) {
    return { messageKey: "ui.not_sent.busy", params: { seconds: Number(response.headers.get("Retry-After")) || 30 } };
  }
  if (response.status === 413) {
    return { messageKey: "ui.not_sent.too_large", params: {} };
  }
  return { messageKey: "ui.not_sent.refused", params: {} };
}
