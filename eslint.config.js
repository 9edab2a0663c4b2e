import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "coverage/",
      "types/",
      "reports/",
      "ignition/deployments/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      // Node runs our TypeScript by stripping types: no enums or parameter properties. (tsc's
      // erasableSyntaxOnly would say the same but also rejects typechain's generated namespaces.)
      "no-restricted-syntax": [
        "error",
        { selector: "TSEnumDeclaration", message: "Node's type stripping cannot run enums: use a union of literals." },
        { selector: "TSParameterProperty", message: "Node's type stripping cannot run parameter properties." },
      ],
    },
  },
  {
    // The keeper's pure core: no `any`, no I/O modules.
    files: ["keeper/risk/**/*.ts", "keeper/options/**/*.ts", "keeper/planner/**/*.ts", "keeper/sim/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "node:fs*",
                "node:net",
                "node:http*",
                "node:child_process",
                "node:sqlite",
                "viem*",
                "ethers*",
                "hardhat*",
              ],
              message: "The pure core has no I/O: move this to keeper/shell/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        console: "readonly",
        __dirname: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
