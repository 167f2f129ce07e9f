// ESLint flat config for the pages in web/: ES modules loaded by the browser (no build step), plus two plain scripts
// (common.js, shared helpers on window.IntakeWeb, and form/unsupported.js, which must run where modules do not).
// `make lint-js` runs the pinned ESLint from .tools/node (scripts/node-tools) with NODE_PATH pointing there, which is
// how the require()s below find their packages.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

const rules = {
  ...js.configs.recommended.rules,
  eqeqeq: ["error", "always"],
  "no-var": "error",
  "prefer-const": "error",
  "no-unused-vars": ["error", { args: "after-used", caughtErrors: "all" }],
};

module.exports = [
  {
    files: ["web/**/*.js"],
    ignores: ["web/common.js", "web/form/unsupported.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules,
  },
  {
    files: ["web/common.js", "web/form/unsupported.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: { ...rules, "no-implicit-globals": "error", strict: ["error", "function"] },
  },
];
