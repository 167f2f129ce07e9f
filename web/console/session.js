/*
 * Who is signed in. Two ways in: the Cognito hosted UI with the authorization code flow and PKCE (a public client:
 * S256 challenge, `state` and `nonce` from crypto.getRandomValues kept in this tab's sessionStorage and checked on
 * return, the ID token's `nonce` claim checked), or, on the local stack, a pasted `make token`.
 *
 * A token arriving in the address never replaces a session: `#id_token=` fragments are ignored outright, and a
 * `?code=` is used only when this tab started that sign-in (its state matches) and nobody is signed in yet.
 * Sign-out revokes the refresh token (/oauth2/revoke) and ends the hosted UI session (/logout).
 */
const TOKEN_KEY = "intake-review.token";
const REFRESH_KEY = "intake-review.refresh";
const PENDING_KEY = "intake-review.pending-sign-in";
const ADMIN_GROUP = "clinic_admins";

function oauthConfig() {
  const override = window.INTAKE_OAUTH;
  const meta = (name) => (document.querySelector(`meta[name="${name}"]`) || {}).content || "";
  const domain = ((override && override.domain) || meta("oauth-domain")).trim().replace(/\/+$/, "");
  const clientId = ((override && override.clientId) || meta("oauth-client-id")).trim();
  return domain && clientId ? { domain, clientId } : null;
}

export const hostedUi = oauthConfig();

/** This page's address without query or fragment: the redirect and logout URI registered on the app client. */
const pageUri = () => window.location.origin + window.location.pathname;

/** The token's claims, for display, expiry and the nonce check only: the API verifies the signature. */
export function claimsOf(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "=")));
    return claims && typeof claims === "object" && !Array.isArray(claims) ? claims : null;
  } catch {
    return null;
  }
}

const isExpired = (claims) => typeof claims.exp === "number" && claims.exp * 1000 <= Date.now();

export const currentToken = () => sessionStorage.getItem(TOKEN_KEY);

export function currentClaims() {
  const token = currentToken();
  return token ? claimsOf(token) : null;
}

/** Who the console says is signed in: the username (admin-set), else a verified email, else the subject. */
export function displayName(claims) {
  const verified = claims.email_verified === true || claims.email_verified === "true";
  return claims["cognito:username"] || (verified && claims.email) || claims.sub || "?";
}

export function isAdmin() {
  const claims = currentClaims();
  const groups = claims && claims["cognito:groups"];
  return Array.isArray(groups) && groups.includes(ADMIN_GROUP);
}

/** Keeps a token for this tab; the reason it cannot be used otherwise. */
export function adopt(token, refreshToken) {
  const claims = claimsOf(token);
  if (!claims) {
    return "That does not look like a sign-in token. Paste the whole token and try again.";
  }
  if (isExpired(claims)) {
    return "That sign-in token has expired. Get a new one and sign in again.";
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  if (refreshToken) {
    sessionStorage.setItem(REFRESH_KEY, refreshToken);
  }
  return "";
}

// ---- authorization code + PKCE ----

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** Sends the browser to the hosted UI; `then` (an intake id from an alert link) is reopened after the return. */
export async function startHostedSignIn(then) {
  const state = randomText();
  const nonce = randomText();
  const verifier = randomText();
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, nonce, verifier, then: then || null }));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: hostedUi.clientId,
    redirect_uri: pageUri(),
    scope: "openid email profile",
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  window.location.assign(`${hostedUi.domain}/oauth2/authorize?${params}`);
}

function takePending() {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  try {
    const pending = JSON.parse(raw);
    return pending && typeof pending.state === "string" ? pending : null;
  } catch {
    return null;
  }
}

/**
 * Reads what the address brought and removes it from the address bar at once: an alert's `#intake=<id>`, and the
 * hosted UI's `?code=&state=` (or `?error=`). Returns {intake, problem}: `problem` says why a sign-in was refused.
 */
export async function finishRedirect() {
  const query = new URLSearchParams(window.location.search);
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const linked = fragment.get("intake");
  let intake = linked && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(linked) ? linked : null;
  if (window.location.search || window.location.hash) {
    history.replaceState(null, "", window.location.pathname);
  }
  if (!query.has("code") && !query.has("error")) {
    return { intake, problem: fragment.has("id_token") ? "A sign-in token in the address was ignored." : "" };
  }
  const pending = takePending();
  if (currentToken()) {
    return { intake, problem: "A sign-in in the address was ignored: you are already signed in in this tab." };
  }
  if (!hostedUi || !pending || query.get("state") !== pending.state) {
    return { intake, problem: "That sign-in did not start in this tab, so it was refused. Please sign in again." };
  }
  intake = intake || pending.then;
  if (!query.has("code")) {
    return { intake, problem: "The clinic account sign-in did not complete. Please try again." };
  }
  const response = await fetch(`${hostedUi.domain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: hostedUi.clientId,
      code: query.get("code"),
      redirect_uri: pageUri(),
      code_verifier: pending.verifier,
    }),
    credentials: "omit",
    cache: "no-store",
  });
  const tokens = response.ok ? await response.json().catch(() => ({})) : {};
  const claims = typeof tokens.id_token === "string" ? claimsOf(tokens.id_token) : null;
  if (!claims || claims.nonce !== pending.nonce || claims.aud !== hostedUi.clientId) {
    if (typeof tokens.refresh_token === "string") {
      await revoke(tokens.refresh_token);
    }
    return { intake, problem: "That sign-in could not be verified, so it was refused. Please sign in again." };
  }
  return { intake, problem: adopt(tokens.id_token, tokens.refresh_token) };
}

async function revoke(refreshToken) {
  try {
    await fetch(`${hostedUi.domain}/oauth2/revoke`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: refreshToken, client_id: hostedUi.clientId }),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    // Unreachable hosted UI: the tokens are still dropped from this tab, and the ID token expires within the hour.
  }
}

/**
 * Forgets the tokens and, after a hosted UI sign-in, revokes the refresh token. With `leave`, also ends the hosted
 * UI session: the browser goes to /logout and comes back to this page; returns true when it is leaving.
 */
export async function endSession(leave) {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  for (const key of [TOKEN_KEY, REFRESH_KEY, PENDING_KEY]) {
    sessionStorage.removeItem(key);
  }
  if (!refreshToken || !hostedUi) {
    return false;
  }
  await revoke(refreshToken);
  if (!leave) {
    return false;
  }
  const params = new URLSearchParams({ client_id: hostedUi.clientId, logout_uri: pageUri() });
  window.location.assign(`${hostedUi.domain}/logout?${params}`);
  return true;
}
