/*
 * Helpers shared by the intake form and the review console. Plain script (no modules, no build step) so a clinic
 * can host or embed the pages anywhere; everything hangs off window.IntakeWeb.
 *
 * Patient text is only ever put into the page as text nodes (never innerHTML), so an answer cannot inject markup.
 */
(function () {
  "use strict";

  /** The API origin: window.INTAKE_API_BASE, else <meta name="api-base">, else this page's own origin. */
  function apiBase() {
    if (typeof window.INTAKE_API_BASE === "string") {
      return window.INTAKE_API_BASE.replace(/\/+$/, "");
    }
    const meta = document.querySelector('meta[name="api-base"]');
    return meta ? meta.content.trim().replace(/\/+$/, "") : "";
  }

  function apiUrl(path) {
    return apiBase() + path;
  }

  /** Builds an element: el("p", {class: "hint"}, "text", otherNode). Strings become text nodes. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) {
        continue;
      }
      if (name.startsWith("on")) {
        node.addEventListener(name.slice(2), value);
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  /** The response body as JSON, or {} when it has none or is not JSON (a proxy's HTML error page, say). */
  async function readJson(response) {
    try {
      const data = await response.json();
      return data && typeof data === "object" ? data : {};
    } catch {
      return {};
    }
  }

  const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

  /** A <time> element showing an ISO timestamp in the reader's locale; "—" when there is none. */
  function timeElement(iso) {
    const parsed = iso ? new Date(iso) : null;
    if (!parsed || Number.isNaN(parsed.getTime())) {
      return document.createTextNode("—");
    }
    return el("time", { datetime: iso }, dateTimeFormat.format(parsed));
  }

  window.IntakeWeb = { apiUrl, el, readJson, timeElement };
})();
