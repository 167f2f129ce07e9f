/*
 * The page's words: one catalog per language under web/i18n/, chosen from the browser's languages among those the
 * clinic enabled. Elements name their message with data-i18n; {placeholders} take the clinic's details.
 */

/** Fetches the catalog of every enabled language; a missing one is an error (the form cannot be shown). */
export async function loadCatalogs(codes) {
  const loaded = await Promise.all(
    codes.map(async (code) => {
      const response = await fetch(new URL(`../i18n/${code}.json`, import.meta.url), { cache: "no-cache" });
      if (!response.ok) {
        throw new Error(`catalog ${code}: ${response.status}`);
      }
      return [code, await response.json()];
    }),
  );
  return new Map(loaded);
}

/** The enabled language that fits a BCP 47 tag: any zh except Traditional-script ones is zh-Hans. */
function matching(tag, enabled) {
  const lower = String(tag).toLowerCase();
  if (lower.startsWith("zh")) {
    const traditional = /-(hant|tw|hk|mo)(-|$)/.test(lower);
    return traditional ? undefined : enabled.find((code) => code === "zh-Hans");
  }
  const base = lower.split("-")[0];
  return enabled.find((code) => code.toLowerCase() === base);
}

/** The first of the browser's languages the clinic enabled, else the clinic's first language. */
export function preferredLocale(enabled, preferences) {
  for (const tag of preferences || []) {
    const found = matching(tag, enabled);
    if (found) {
      return found;
    }
  }
  return enabled[0];
}

/** t(key, params): the message in the current language, {name} replaced from params, then the defaults. */
export function translator(catalog, defaults) {
  return (key, params = {}) => {
    const text = catalog[key];
    if (typeof text !== "string") {
      return key; // never reached while `make check-generated` passes: it fails on any missing message
    }
    return text.replace(/\{([a-z_]+)\}/g, (whole, name) => {
      const value = name in params ? params[name] : defaults[name];
      return value === undefined ? whole : String(value);
    });
  };
}

/** Puts each [data-i18n] element's message in it (data-n gives a number placeholder, as in "Medicine {n}"). */
export function applyTexts(root, t) {
  for (const node of root.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n, node.dataset.n ? { n: node.dataset.n } : {});
  }
}
