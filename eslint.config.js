// One linter, type-aware (typescript-eslint's recommendedTypeChecked) over every TypeScript file.
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/dist/**", "**/dist-test/**", "**/node_modules/**", ".tmp/**", "**/*.js", "**/*.mjs", "**/*.cjs"],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Listener signatures and wire payloads are `unknown`-heavy by nature; these rules
      // fire on every JSON boundary without finding bugs.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-floating-promises": "error",
      // Runtime contracts are objects of plain functions (no `this`), passed around by design.
      "@typescript-eslint/unbound-method": "off",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Function']", message: "No new Function." },
      ],
      "no-eval": "error",
    },
  },
  {
    // Core code is runtime-neutral: it receives a runtime object instead of touching Node.
    files: [
      "packages/protocol/src/**/*.ts",
      "packages/server/src/engine/**/*.ts",
      "packages/server/src/socketio/**/*.ts",
      "packages/server/src/adapter/**/*.ts",
    ],
    rules: {
      "no-restricted-globals": [
        "error",
        "process",
        "Buffer",
        "window",
        "document",
        "wx",
        "my",
        "tt",
        "uni",
        "swan",
        "global",
        "require",
      ],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "ws", "../adapters/*", "../../adapters/*"],
              message: "Core code must stay runtime-neutral; put runtime code in src/adapters/<runtime>.",
            },
          ],
        },
      ],
    },
  },
  {
    // The client core is host-neutral: hosts reach it only through the Platform object
    // (packages/client/test/platform-boundary.test.ts checks the same rule on the source text).
    files: [
      "packages/client/src/engine/**/*.ts",
      "packages/client/src/platform/**/*.ts",
      "packages/client/src/socketio/**/*.ts",
    ],
    rules: {
      "no-restricted-globals": [
        "error",
        "window",
        "document",
        "navigator",
        "process",
        "Buffer",
        "WebSocket",
        "fetch",
        "XMLHttpRequest",
        "wx",
        "my",
        "tt",
        "uni",
        "swan",
        "qq",
        "ks",
        "jd",
        "Taro",
        "globalThis",
        "global",
        "require",
      ],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "ws", "../platforms/*", "../../platforms/*"],
              message: "Client core must stay host-neutral; put host code in src/platforms/<host>.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-floating-promises": "off",
    },
  },
);
