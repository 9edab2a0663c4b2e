// Adds the optional, platform-specific packages that npm leaves out of package-lock.json when the
// lockfile is made on a machine whose registry mirror lacks them (for example
// @nomicfoundation/edr-darwin-arm64). Without those entries `npm ci` fails on other platforms with
// "Missing: ... from lock file". Run after any dependency change:
//   node tools/complete-lockfile.mjs && npm install --package-lock-only
// Metadata (version, integrity, os/cpu/libc/engines) comes from `npm view`, i.e. the registry.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const packages = lock.packages;
let added = 0;

function resolveSlot(parentKey, name) {
  // npm's lookup: nested node_modules of the parent first, then upwards to the root.
  let base = parentKey;
  for (;;) {
    const slot = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[slot]) return { slot, present: true };
    if (!base) return { slot: `node_modules/${name}`, present: false };
    const cut = base.lastIndexOf("/node_modules/");
    base = cut === -1 ? "" : base.slice(0, cut);
  }
}

function npmView(spec) {
  try {
    const fields = ["version", "dist", "os", "cpu", "libc", "engines", "license"];
    const out = execFileSync("npm", ["view", spec, "--json", ...fields], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const parsed = JSON.parse(out);
    return Array.isArray(parsed) ? parsed[parsed.length - 1] : parsed;
  } catch {
    return undefined;
  }
}

for (const [key, meta] of Object.entries({ ...packages })) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const { slot, present } = resolveSlot(key, name);
    if (present) continue;
    let view = npmView(`${name}@${range}`);
    let version = view?.version;
    if (!view) {
      // The mirror lacks this version (it carries only some platforms' binaries). The platform
      // fields do not change between versions of these packages, so take them from the newest
      // version the registry has, keep the version the parent pins, and leave out the integrity
      // (npm records it on first install on that platform).
      view = npmView(name);
      if (!view || !/^\d+\.\d+\.\d+$/.test(range)) {
        console.warn(`complete-lockfile: ${name}@${range} is not on the registry; left out`);
        continue;
      }
      version = range;
      delete view.dist;
    }
    const entry = { version };
    if (view.dist?.integrity) entry.integrity = view.dist.integrity;
    entry.optional = true;
    if (view.license) entry.license = view.license;
    for (const field of ["cpu", "os", "libc", "engines"]) if (view[field]) entry[field] = view[field];
    packages[slot] = entry;
    added += 1;
    console.log(`complete-lockfile: added ${slot}@${version}`);
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
console.log(`complete-lockfile: ${added} entr${added === 1 ? "y" : "ies"} added`);
