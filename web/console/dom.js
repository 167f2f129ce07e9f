/*
 * The page's shared pieces: element lookup, the element builder from common.js (text nodes only, never innerHTML),
 * and the two message regions every view reports through.
 */
export const { apiUrl, el, readJson } = window.IntakeWeb;

export const $ = (id) => document.getElementById(id);

/** A polite status line ("Decision recorded"); an empty message hides it. */
export function say(message) {
  $("console-status").textContent = message;
  $("console-status").hidden = !message;
}

/** The alert region (announced at once); no content hides it. */
export function warn(...content) {
  $("console-alert").replaceChildren(...content.flat());
  $("console-alert").hidden = content.length === 0;
}

/** Shows one field's error next to it and links it to the field for screen readers; "" clears it. */
export function fieldError(field, errorId, message) {
  const error = $(errorId);
  error.textContent = message;
  error.hidden = !message;
  const ids = (field.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== errorId);
  if (message) {
    ids.push(errorId);
  }
  if (ids.length) {
    field.setAttribute("aria-describedby", ids.join(" "));
  } else {
    field.removeAttribute("aria-describedby");
  }
  if (field.tagName !== "FIELDSET") {
    if (message) {
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
  }
}
