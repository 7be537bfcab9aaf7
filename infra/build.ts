/**
 * Where the compiled services live and whether they are up to date. The compiler itself is
 * scripts/build.ts (`npm run build`); this file stays free of it so that the test harness can ask
 * "is the build fresh?" without loading a native module into every jest worker.
 *
 * Layout: each workspace's `src/<path>.ts` compiles to `dist/<path>.js` in the same workspace, at
 * the same depth. Everything a service finds relative to its own file then resolves as it does
 * from source: `path.join(__dirname, '..')` (its schema.graphql), `../generated/prisma` (the
 * Prisma client and its WASM engine stay where `prisma generate` wrote them), the gateway's
 * supergraph root, and the node_modules a workspace has of its own (gateway, history and
 * event-store pin versions the root does not hold).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIR = 'src';
export const OUT_DIR = 'dist';
/**
 * The web client (web/, an npm workspace like the others) is bundled by Vite into web/dist/,
 * which the gateway serves at / (gateway/src/web-client.ts); swc never compiles it.
 */
export const WEB_DIR = 'web';
/** Written last by a workspace's build; a build that died half-way leaves no stamp and reruns. */
export const STAMP_FILE = '.source-hash';

export interface Workspace {
  /** Package name, e.g. `@ticketing/platform`. */
  name: string;
  /** Directory from the repository root, e.g. `packages/platform`. */
  dir: string;
  /** `main` of its package.json (a .ts file under src/), from the workspace directory. */
  main: string;
}

interface PackageJson {
  name: string;
  main?: string;
  workspaces?: string[];
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;

/** Every npm workspace of the root package.json (`dir/*` patterns or plain directories). */
export function listWorkspaces(): Map<string, Workspace> {
  const patterns = readJson(path.join(ROOT, 'package.json')).workspaces ?? [];
  const dirs = patterns.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(path.join(ROOT, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
  const workspaces = new Map<string, Workspace>();
  for (const dir of dirs) {
    const manifest = path.join(ROOT, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = readJson(manifest);
    workspaces.set(pkg.name, { name: pkg.name, dir, main: pkg.main ?? `${SOURCE_DIR}/index.ts` });
  }
  return workspaces;
}

/** The workspace holding a file, by path from the repository root. */
function workspaceOf(file: string, workspaces: Map<string, Workspace>): Workspace {
  const owner = [...workspaces.values()].find((workspace) => file.startsWith(`${workspace.dir}/`));
  if (!owner) throw new Error(`${file} is in no npm workspace`);
  return owner;
}

/**
 * What gets compiled: every workspace with sources. The services' entries are in them, and so is
 * everything they import by package name, whether or not a package.json lists it (the gateway
 * imports @ticketing/contracts without declaring it).
 */
export function buildWorkspaces(workspaces = listWorkspaces()): Workspace[] {
  return [...workspaces.values()]
    .filter((workspace) => workspace.dir !== WEB_DIR && existsSync(path.join(ROOT, workspace.dir, SOURCE_DIR)))
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The web client's workspace, if this checkout has one. */
export function webWorkspace(workspaces = listWorkspaces()): Workspace | undefined {
  return [...workspaces.values()].find((workspace) => workspace.dir === WEB_DIR);
}

/**
 * What the web bundle depends on: everything in web/ that Vite reads (page, config, sources,
 * public files, manifest), the build script and Vite's version. The generated schema and
 * codegen config are left out: they change the bundle only through web/src/generated.
 */
export function webSourceHash(workspace: Workspace): string {
  const hash = createHash('sha256');
  const add = (label: string, file: string) => hash.update(`${label}\0`).update(readFileSync(file)).update('\0');
  const dir = path.join(ROOT, workspace.dir);
  add('compiler', path.join(ROOT, 'scripts', 'build.ts'));
  add('vite', path.join(ROOT, 'node_modules', 'vite', 'package.json'));
  for (const file of ['package.json', 'index.html', 'vite.config.ts']) add(file, path.join(dir, file));
  for (const sub of [SOURCE_DIR, 'public']) for (const file of filesUnder(path.join(dir, sub))) add(`${sub}/${file}`, path.join(dir, sub, file));
  return hash.digest('hex');
}

/** `subgraphs/booking/src/main.ts` → `subgraphs/booking/dist/main.js` (paths from the repository root). */
export function compiledPath(sourceFile: string, workspaces = listWorkspaces()): string {
  const workspace = workspaceOf(sourceFile, workspaces);
  const inWorkspace = path.relative(workspace.dir, sourceFile);
  if (!inWorkspace.startsWith(`${SOURCE_DIR}/`)) throw new Error(`${sourceFile} is not under ${workspace.dir}/${SOURCE_DIR}/`);
  return path.join(workspace.dir, OUT_DIR, inWorkspace.slice(SOURCE_DIR.length + 1).replace(/\.ts$/, '.js'));
}

/** Every file under a directory, sorted, as paths relative to it. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * What a workspace's output depends on: its sources and assets, its package.json, the
 * package.json of every workspace (imports of them are rewritten from their `main`), the
 * compiler script and the compiler's version.
 */
export function sourceHash(workspace: Workspace, workspaces: Map<string, Workspace>): string {
  const hash = createHash('sha256');
  const add = (label: string, file: string) => hash.update(`${label}\0`).update(readFileSync(file)).update('\0');
  add('compiler', path.join(ROOT, 'scripts', 'build.ts'));
  add('swc', path.join(ROOT, 'node_modules', '@swc', 'core', 'package.json'));
  for (const other of workspaces.values()) add(other.dir, path.join(ROOT, other.dir, 'package.json'));
  const sources = path.join(ROOT, workspace.dir, SOURCE_DIR);
  for (const file of filesUnder(sources)) add(file, path.join(sources, file));
  return hash.digest('hex');
}

export function isFresh(workspace: Workspace, hash: string): boolean {
  const stamp = path.join(ROOT, workspace.dir, OUT_DIR, STAMP_FILE);
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === hash;
}

let checked = false;

/**
 * Compiles what is stale, once per process, before the first service is spawned from the
 * build. The check is a hash of a few hundred small files; the compiler runs as its own process
 * (a native module, kept out of jest's per-file module registries). Concurrent callers are safe:
 * each workspace's output is swapped in whole by rename, and identical sources compile identically.
 */
export function ensureBuilt(): void {
  if (checked) return;
  const workspaces = listWorkspaces();
  const web = webWorkspace(workspaces);
  const stale = [
    ...buildWorkspaces(workspaces).filter((workspace) => !isFresh(workspace, sourceHash(workspace, workspaces))),
    ...(web && !isFresh(web, webSourceHash(web)) ? [web] : []),
  ];
  if (stale.length > 0) {
    const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'build.ts')], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`the build failed (exit ${build.status ?? build.signal}); run \`npm run build\` to see why`);
  }
  checked = true;
}
