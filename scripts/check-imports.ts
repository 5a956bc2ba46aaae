/**
 * First step of `npm test` (`npm run check:imports`): the import rules of
 * scripts/import-rules.ts over the project's real import graph (dpdm, type-only and dynamic
 * imports included), every package that a file imports declared in package.json, and no
 * console call in src/ but src/log.ts's. Each failure prints what breaks the rule: a cycle
 * one import per step, a wrong-way import as file → file with its rule, an undeclared package
 * with the file that imports it, a console call with its line.
 */
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { execFileSync } from "node:child_process";
import { parseDependencyTree } from "dpdm";
import ts from "typescript";
import { findCycles, folderGraph, projectGraph, wrongWayImports } from "./import-rules.ts";

const entries = ["src/index.ts", "scripts/*.ts", "emails/*.tsx"];

/** The package a bare import names (`@scope/name/sub` → `@scope/name`), or null for a relative path, a builtin or a runtime module. */
function packageOf(specifier: string): string | null {
  if (/^(\.|\/|node:|cloudflare:)/.test(specifier)) return null;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
  return builtinModules.includes(name) ? null : name;
}

/** Packages imported by a tracked source file (tests, bench and configs too) but not declared in package.json. */
function undeclaredPackages(): string[] {
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as Record<string, Record<string, string> | undefined>;
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
  const files = execFileSync("git", ["ls-files", "*.ts", "*.tsx", "*.cjs", "*.mjs", "*.js"], { encoding: "utf8" })
    .split("\n")
    .filter((file) => file !== "" && !file.endsWith(".d.ts"));
  const problems: string[] = [];
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      const name = packageOf(fileName);
      if (name !== null && !declared.has(name)) problems.push(`undeclared package: ${file} imports "${fileName}"; add ${name} to package.json`);
    }
  }
  return problems;
}

/** Direct console calls in the Worker's code: every log line goes through src/log.ts (one JSON object per line). */
function consoleCallsOutsideLog(): string[] {
  const files = execFileSync("git", ["ls-files", "src"], { encoding: "utf8" }).split("\n").filter((file) => /\.(ts|tsx|cjs)$/.test(file) && file !== "src/log.ts");
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, index) => (/\bconsole\.(log|info|warn|error|debug)\(/.test(line) ? [`console call: ${file}:${index + 1} logs directly; use log.info/warn/error (src/log.ts)`] : [])),
  );
}

const tree = await parseDependencyTree(entries, { transform: false, skipDynamicImports: false });
const files = projectGraph(tree);
const folders = folderGraph(files);
const fileCycles = findCycles(files);
const folderCycles = findCycles(folders.graph);
const wrongWay = wrongWayImports(files);
const undeclared = undeclaredPackages();
const consoleCalls = consoleCallsOutsideLog();
for (const cycle of fileCycles) console.error(`file import cycle: ${cycle.join(" → ")}`);
for (const cycle of folderCycles) {
  console.error(`folder import cycle: ${cycle.join(" → ")}`);
  for (let i = 0; i + 1 < cycle.length; i++) {
    console.error(`  ${folders.evidence.get(`${cycle[i]} ${cycle[i + 1]}`)}`);
  }
}
for (const { from, to, rule } of wrongWay) console.error(`wrong-way import: ${from} → ${to} (${rule}; scripts/import-rules.ts)`);
for (const problem of [...undeclared, ...consoleCalls]) console.error(problem);
if (fileCycles.length + folderCycles.length + wrongWay.length + undeclared.length + consoleCalls.length > 0) process.exit(1);
console.log(`imports follow the rules: no cycles, every import goes down the folder order, every package declared, logs only through src/log.ts (${files.size} files, ${folders.graph.size} folders)`);
