/**
 * `npm run build`: compiles every workspace (the registry's services and the packages they import
 * by name) to CommonJS JavaScript with source maps, so the processes run on plain `node` instead of through
 * the tsx loader, whose resolve and transform hooks showed in every CPU profile (issue 10).
 *
 * swc, file by file (no bundling): it is a direct devDependency and the transform jest already
 * runs (@swc/jest with the same target and module settings as .swcrc), so tests and processes
 * execute identically compiled code. It strips types only; `npm run typecheck` checks them.
 * One file in, one file out at the same depth keeps every `__dirname`-relative path and
 * node_modules lookup the same as from source (layout and freshness: infra/build.ts).
 *
 * The web client is the exception: Vite bundles web/ into web/dist/ (hashed file names, the same
 * bytes for the same sources), staged and swapped in the same way.
 *
 * Workspaces whose sources have not changed are skipped; `--force` rebuilds them all.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformFileSync } from '@swc/core';
import {
  compiledPath,
  filesUnder,
  isFresh,
  listWorkspaces,
  OUT_DIR,
  ROOT,
  buildWorkspaces,
  sourceHash,
  STAMP_FILE,
  webSourceHash,
  webWorkspace,
  type Workspace,
} from '../infra/build';

/** Workspace packages resolve through node_modules to their `main`, a .ts file Node cannot run. */
const WORKSPACE_IMPORT = /require\("(@ticketing\/[^"/]+)"\)/g;

function relativeImport(fromFile: string, toFile: string): string {
  const relative = path.relative(path.dirname(fromFile), toFile);
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** Points each `require("@ticketing/x")` at x's compiled main, relative to the output file. */
function rewriteWorkspaceImports(code: string, outFile: string, workspaces: Map<string, Workspace>, sourceFile: string): string {
  const rewritten = code.replace(WORKSPACE_IMPORT, (_match, name: string) => {
    const target = workspaces.get(name);
    if (!target) throw new Error(`${sourceFile} imports ${name}, which is no workspace of this repository`);
    return `require(${JSON.stringify(relativeImport(outFile, path.join(ROOT, compiledPath(path.join(target.dir, target.main), workspaces))))})`;
  });
  // A deep import (`@ticketing/x/src/y`) would load a .ts file at run time: refuse it here instead.
  if (rewritten.includes('require("@ticketing/')) throw new Error(`${sourceFile} imports a workspace package by a path below its main`);
  return rewritten;
}

/** Compiles one workspace into a fresh directory, then swaps it in whole: a running reader never sees half a build. */
function buildWorkspace(workspace: Workspace, workspaces: Map<string, Workspace>, hash: string): number {
  const sourceDir = path.join(ROOT, workspace.dir, 'src');
  const outDir = path.join(ROOT, workspace.dir, OUT_DIR);
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  let compiled: number;
  try {
    compiled = compileInto(staging, sourceDir, outDir, workspaces);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  writeFileSync(path.join(staging, STAMP_FILE), hash);
  swapIn(staging, outDir, workspace, hash);
  return compiled;
}

/** `vite build` of the web client into a staging directory, then the same swap as the services. */
function buildWeb(workspace: Workspace, hash: string): void {
  const outDir = path.join(ROOT, workspace.dir, OUT_DIR);
  const staging = `${outDir}.tmp-${process.pid}`;
  const vite = spawnSync(
    process.execPath,
    [path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--config', path.join(ROOT, workspace.dir, 'vite.config.ts'), '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'],
    // Always React's production build: Vite keeps a NODE_ENV it inherits, and jest's `test` made the
    // app the browser specs drive (and a later `npm start`, the stamp being the same) a development build.
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (vite.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`vite build of ${workspace.dir} failed (exit ${vite.status ?? vite.signal})`);
  }
  writeFileSync(path.join(staging, STAMP_FILE), hash);
  swapIn(staging, outDir, workspace, hash);
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Replaces the workspace's output with the staged one. Two builds may race (two test workers, a
 * benchmark and `npm start`): one that finds the same sources already in place keeps them.
 */
function swapIn(staging: string, outDir: string, workspace: Workspace, hash: string): void {
  const retired = `${outDir}.old-${process.pid}`;
  for (;;) {
    if (isFresh(workspace, hash)) break;
    try {
      renameSync(outDir, retired);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
    try {
      renameSync(staging, outDir);
      break;
    } catch (error) {
      // Another build put its output in between the two renames: look again.
      if (errorCode(error) !== 'ENOTEMPTY' && errorCode(error) !== 'EEXIST') throw error;
    } finally {
      rmSync(retired, { recursive: true, force: true });
    }
  }
  rmSync(staging, { recursive: true, force: true });
}

function compileInto(staging: string, sourceDir: string, outDir: string, workspaces: Map<string, Workspace>): number {
  let compiled = 0;
  for (const file of filesUnder(sourceDir)) {
    const sourceFile = path.join(sourceDir, file);
    const outFile = path.join(ROOT, compiledPath(path.relative(ROOT, sourceFile), workspaces));
    const stagedFile = path.join(staging, path.relative(outDir, outFile));
    mkdirSync(path.dirname(stagedFile), { recursive: true });
    if (!file.endsWith('.ts')) {
      // Assets read next to a module at run time (the gateway's playground files).
      copyFileSync(sourceFile, stagedFile);
      continue;
    }
    if (file.endsWith('.d.ts')) continue;
    const output = transformFileSync(sourceFile, {
      swcrc: false,
      configFile: false,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: true,
      // The .ts files stay beside the build; the map only needs to point at them.
      inlineSourcesContent: false,
      sourceFileName: relativeImport(outFile, sourceFile),
    });
    const code = rewriteWorkspaceImports(output.code, outFile, workspaces, path.relative(ROOT, sourceFile));
    writeFileSync(stagedFile, `${code}\n//# sourceMappingURL=${path.basename(outFile)}.map\n`);
    writeFileSync(`${stagedFile}.map`, output.map ?? '');
    compiled += 1;
  }
  return compiled;
}

function main() {
  const force = process.argv.includes('--force');
  const workspaces = listWorkspaces();
  const started = Date.now();
  let compiled = 0;
  const built: string[] = [];
  for (const workspace of buildWorkspaces(workspaces)) {
    const hash = sourceHash(workspace, workspaces);
    if (!force && isFresh(workspace, hash)) continue;
    compiled += buildWorkspace(workspace, workspaces, hash);
    built.push(workspace.dir);
  }
  const web = webWorkspace(workspaces);
  if (web) {
    const hash = webSourceHash(web);
    if (force || !isFresh(web, hash)) {
      buildWeb(web, hash);
      built.push(web.dir);
    }
  }
  console.log(
    built.length === 0
      ? '[build] services up to date'
      : `[build] ${compiled} files in ${Date.now() - started} ms: ${built.join(', ')} → <workspace>/${OUT_DIR}/`,
  );
}

main();
