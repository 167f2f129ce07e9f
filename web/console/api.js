/*
 * Calls to the screening API with the signed-in practitioner's token. A 401 ends the session (the console goes
 * back to sign-in); every other answer is the caller's to read. Patient names travel in bodies, never in URLs.
 */
import { apiUrl, readJson, warn } from "./dom.js";
import { currentToken } from "./session.js";

/** Raised after the API refused the token: the console is already back at sign-in, so callers just stop. */
export class SignedOut extends Error {}

let whenRefused = () => {};

/** What to do when the API refuses the token (main.js signs out with a message). */
export function onTokenRefused(handler) {
  whenRefused = handler;
}

async function send(path, options) {
  const token = currentToken();
  if (!token) {
    whenRefused("Please sign in.");
    throw new SignedOut();
  }
  const headers = { Authorization: `Bearer ${token}`, ...(options.body ? { "Content-Type": "application/json" } : {}) };
  const response = await fetch(apiUrl(path), { ...options, headers, credentials: "omit", cache: "no-store" });
  if (response.status === 401) {
    whenRefused("Your sign-in has expired or was not accepted. Please sign in again.");
    throw new SignedOut();
  }
  return response;
}

/** A JSON call: {response, data}, `data` being {} when the body is not JSON. */
export async function api(path, options = {}) {
  const response = await send(path, options);
  return { response, data: await readJson(response) };
}

/** A file download (the day's CSV): {response, blob}. */
export async function download(path) {
  const response = await send(path, {});
  return { response, blob: response.ok ? await response.blob() : null };
}

/** What to tell the practitioner when the API refused a request. */
export function refusal(response, data) {
  if (response.status === 403) {
    return "Your account is not allowed to do this. Ask the clinic's administrator.";
  }
  if (response.status === 503) {
    return "The service is busy or could not record this access. Nothing was shown or changed: try again shortly.";
  }
  const detail = typeof data.message === "string" ? `: ${data.message}` : "";
  return `The request failed (${response.status}${detail}). Please try again.`;
}

/** Runs an API action, turning network failures (fetch's TypeError) into a visible, announced message. */
export async function attempt(action) {
  try {
    await action();
  } catch (error) {
    if (error instanceof SignedOut) {
      return;
    }
    warn("Could not reach the screening service. Check the connection and try again.");
    if (!(error instanceof TypeError)) {
      throw error; // a fault of this page, not of the network: let it show
    }
  }
}
