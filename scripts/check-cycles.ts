/**
 * Import cycle check (first step of npm test): fails on any cycle between files, and on
 * any cycle between folders: each folder of src/ (src/admin/pages counts as src/admin), each
 * file directly in src/, emails/ and scripts/ is one node. A folder cycle means two parts
 * depend on each other, so neither can be read, tested or moved on its own.
 *
 * Dynamic imports count (a lazily loaded template is still a dependency), and so do type-only
 * imports (`transform: false` keeps them): a type owned by the wrong side is a cycle in the
 * design too.
 */
import { parseDependencyTree, type DependencyTree } from "dpdm";

const entries = ["src/index.ts", "scripts/*.ts", "emails/*.tsx"];

/** file → the project files it imports (packages and unresolved requests left out) */
type Graph = Map<string, Set<string>>;

function projectGraph(tree: DependencyTree): Graph {
  const graph: Graph = new Map();
  for (const [file, dependencies] of Object.entries(tree)) {
    if (!isProjectFile(file)) continue;
    const targets = new Set<string>();
    for (const dependency of dependencies ?? []) {
      if (dependency.id !== null && isProjectFile(dependency.id)) targets.add(dependency.id);
    }
    graph.set(file, targets);
  }
  return graph;
}

function isProjectFile(file: string): boolean {
  return /^(src|emails|scripts)\//.test(file);
}

/** The node a file belongs to in the folder graph. */
function folderOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] !== "src") return parts[0] ?? file;
  return parts.length === 2 ? file : `src/${parts[1]}`;
}

/** Folder graph; each edge remembers one file import that creates it, to print as evidence. */
function folderGraph(files: Graph): { graph: Graph; evidence: Map<string, string> } {
  const graph: Graph = new Map();
  const evidence = new Map<string, string>();
  for (const [file, targets] of files) {
    const from = folderOf(file);
    if (!graph.has(from)) graph.set(from, new Set());
    for (const target of targets) {
      const to = folderOf(target);
      if (to === from) continue;
      graph.get(from)?.add(to);
      if (!evidence.has(`${from} ${to}`)) evidence.set(`${from} ${to}`, `${file} → ${target}`);
    }
  }
  return { graph, evidence };
}

/**
 * Cycles as chains that start and end at the same node: for each node of a strongly
 * connected component (Tarjan), the shortest way back to it (breadth-first search), each
 * distinct loop once.
 */
function findCycles(graph: Graph): string[][] {
  const cycles = new Map<string, string[]>();
  for (const component of stronglyConnected(graph)) {
    const [first] = component;
    const selfLoop = first !== undefined && graph.get(first)?.has(first);
    if (component.length === 1 && !selfLoop) continue;
    for (const start of component) {
      const loop = shortestLoop(graph, start, new Set(component));
      const key = [...new Set(loop)].sort().join(" ");
      if (!cycles.has(key)) cycles.set(key, loop);
    }
  }
  return [...cycles.values()];
}

function stronglyConnected(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

function shortestLoop(graph: Graph, start: string, within: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (next === start) {
        const chain = [node];
        while (chain[0] !== start) chain.unshift(cameFrom.get(chain[0] as string) as string);
        return [...chain, start];
      }
      if (!within.has(next) || cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      queue.push(next);
    }
  }
  return [start, start];
}

async function main(): Promise<void> {
  const tree = await parseDependencyTree(entries, { transform: false, skipDynamicImports: false });
  const files = projectGraph(tree);
  const folders = folderGraph(files);
  const fileCycles = findCycles(files);
  const folderCycles = findCycles(folders.graph);
  for (const cycle of fileCycles) console.error(`file import cycle: ${cycle.join(" → ")}`);
  for (const cycle of folderCycles) {
    console.error(`folder import cycle: ${cycle.join(" → ")}`);
    for (let i = 0; i + 1 < cycle.length; i++) {
      console.error(`  ${folders.evidence.get(`${cycle[i]} ${cycle[i + 1]}`)}`);
    }
  }
  if (fileCycles.length + folderCycles.length > 0) process.exit(1);
  console.log(`no import cycles (${files.size} files, ${folders.graph.size} folders)`);
}

await main();
