/**
 * The rules imports between the project's files obey, as pure functions over an import
 * graph (scripts/check-imports.ts builds the graph with dpdm and runs them in `npm test`;
 * test/node/import-rules.test.ts feeds them fixture graphs):
 *
 * - no cycle between files, and none between folders: each folder of src/ (src/admin/pages
 *   counts as src/admin), each file directly in src/, emails/ and scripts/ is one node. A
 *   folder cycle means two parts depend on each other, so neither can be read, tested or
 *   moved on its own;
 * - direction: folders sit in the layers of FOLDER_ORDER, bottom to top, and a folder imports
 *   only folders of lower layers (not its peers). A wrong-way import is named file → file
 *   with the rule it breaks.
 *
 * Dynamic imports count (a lazily loaded template is still a dependency), and so do type-only
 * imports: a type owned by the wrong side is a wrong-way dependency in the design too.
 */
import type { DependencyTree } from "dpdm";

/**
 * The folders, bottom to top (README.md, Architecture). Leaves first: shared text rules and
 * the small single-file modules; the templates and the content model; rendering and feeds;
 * digests; subscribers; pages and delivery (neither needs the other); the console and the
 * HTTP plumbing; routes; the app; the entry point. The build scripts sit on top: nothing
 * that ships imports them.
 */
export const FOLDER_ORDER: readonly (readonly string[])[] = [
  ["src/text", "src/clock.ts", "src/config.ts", "src/log.ts", "src/zod-messages.ts"],
  ["emails", "src/content", "src/queue-message.ts"],
  ["src/email", "src/feeds"],
  ["src/digests"],
  ["src/subscribers"],
  ["src/pages", "src/delivery"],
  ["src/admin", "src/http"],
  ["src/routes"],
  ["src/app.ts"],
  ["src/index.ts"],
  ["scripts"],
];

/** file → the project files it imports (packages and unresolved requests left out) */
export type Graph = Map<string, Set<string>>;

export function projectGraph(tree: DependencyTree): Graph {
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
export function folderOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] !== "src") return parts[0] ?? file;
  return parts.length === 2 ? file : `src/${parts[1]}`;
}

/** Folder graph; each edge remembers one file import that creates it, to print as evidence. */
export function folderGraph(files: Graph): { graph: Graph; evidence: Map<string, string> } {
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
export function findCycles(graph: Graph): string[][] {
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

/** An import that breaks the folder order, with the rule it breaks. */
export interface WrongWayImport {
  from: string;
  to: string;
  rule: string;
}

/**
 * Every file import between two folders that FOLDER_ORDER does not allow: into a higher
 * layer, into a peer of the same layer, or from or into a folder the order does not list.
 */
export function wrongWayImports(files: Graph, order: readonly (readonly string[])[] = FOLDER_ORDER): WrongWayImport[] {
  const layerOf = new Map<string, number>();
  order.forEach((layer, index) => layer.forEach((folder) => layerOf.set(folder, index)));
  const found: WrongWayImport[] = [];
  for (const [file, targets] of files) {
    const from = folderOf(file);
    for (const target of [...targets].sort()) {
      const to = folderOf(target);
      if (to === from) continue;
      const fromLayer = layerOf.get(from);
      const toLayer = layerOf.get(to);
      let rule: string | null = null;
      if (fromLayer === undefined || toLayer === undefined) {
        rule = `${fromLayer === undefined ? from : to} is in no layer of the folder order: add it to FOLDER_ORDER`;
      } else if (toLayer === fromLayer) {
        rule = `${from} and ${to} are peers in the folder order (layer ${fromLayer + 1}): peers do not import each other`;
      } else if (toLayer > fromLayer) {
        rule = `${from} (layer ${fromLayer + 1}) may import only lower layers, and ${to} is layer ${toLayer + 1}`;
      }
      if (rule) found.push({ from: file, to: target, rule });
    }
  }
  return found;
}
