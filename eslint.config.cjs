// ESLint flat config for the pages in web/: plain browser scripts (no modules, no build step), each an IIFE in strict
// mode sharing window.IntakeWeb. `make lint-js` runs the pinned ESLint from .tools/node (scripts/node-tools) with
// NODE_PATH pointing there, which is how the require()s below find their packages.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    files: ["web/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      ...js.configs.recommended.rules,
      eqeqeq: ["error", "always"],
      "no-implicit-globals": "error",
      "no-var": "error",
      "prefer-const": "error",
      strict: ["error", "function"],
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "all" }],
    },
  },
];
