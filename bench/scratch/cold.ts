import { APP_CONFIG, APP_VARS, buildWorker } from "../lib/build.ts";
import { startWorkerd } from "../lib/workerd.ts";
import { prepareServing } from "../sections/serving.ts";
const app = await buildWorker("app");
const setup = await prepareServing(app);
const subjects = {
  app: { build: app, configPath: APP_CONFIG, bindings: APP_VARS },
  constSame: { build: setup.constant.build, configPath: APP_CONFIG, bindings: { RESPONSES: setup.captured } },
};
const res: Record<string, { ready: number[]; first: number[]; second: number[] }> = {};
for (let r = 0; r < Number(process.env.R ?? 8); r++) {
  for (const [name, s] of Object.entries(subjects)) {
    const t0 = performance.now();
    const rt = await startWorkerd(s.build, { configPath: s.configPath, bindings: s.bindings as never });
    const t1 = performance.now();
    if (process.env.FIRST) { const z = await fetch(new URL(process.env.FIRST, rt.url)); await z.arrayBuffer(); }
    const t1b = performance.now();
    const a = await fetch(new URL("/rss.xml", rt.url)); await a.arrayBuffer();
    const t2 = performance.now();
    const b = await fetch(new URL("/atom.xml", rt.url)); await b.arrayBuffer();
    const t3 = performance.now();
    await rt.dispose();
    const e = (res[name] ??= { ready: [], first: [], second: [] });
    e.ready.push(t1 - t0); e.first.push(t2 - t1b); (e as any).pre = [...((e as any).pre ?? []), t1b - t1]; e.second.push(t3 - t2);
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
for (const [n, e] of Object.entries(res)) console.log(n, "ready", med(e.ready), "pre", (e as any).pre ? med((e as any).pre) : "", "first", med(e.first), "second", med(e.second));
process.exit(0);
