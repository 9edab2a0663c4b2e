// Hardhat 3 needs its native engine (@nomicfoundation/edr-<platform>), an optional dependency
// that npm skips when it runs under Node < 22 (the engine's `engines` field says node >= 22).
// When that happened, re-run the install under the Node 24 binary that the `node` devDependency
// put in node_modules/.bin, so a single `npm install` works on machines that start with Node 20.
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const fs = require("node:fs");

function edrLoads() {
  try {
    require("@nomicfoundation/edr");
    return true;
  } catch {
    return false;
  }
}

if (process.env.RPV_ENSURE_EDR_NESTED === "1" || edrLoads()) process.exit(0);

const root = path.resolve(__dirname, "..");
const node24 = path.join(root, "node_modules", ".bin", "node");
if (!fs.existsSync(node24)) {
  console.error("ensure-edr: Hardhat's native engine is missing and no Node >= 22 is installed.");
  console.error("ensure-edr: install Node 22.13+ (see .nvmrc) and run npm install again.");
  process.exit(1);
}
const npmCli = process.env.npm_execpath;
console.log(`ensure-edr: reinstalling optional native packages under ${node24}`);
execFileSync(node24, [npmCli, "install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, RPV_ENSURE_EDR_NESTED: "1" },
});
if (!edrLoads()) {
  // This process runs under the old Node; check from the new one instead.
  execFileSync(node24, ["-e", "require('@nomicfoundation/edr')"], { cwd: root, stdio: "inherit" });
}
console.log("ensure-edr: Hardhat's native engine is installed.");
