#!/usr/bin/env node
// `npm run dist`: one-file builds of the CLI.
//   dist/crashlog.mjs  the CLI and its dependencies in one ES module (esbuild), SQLite's
//                      WebAssembly inlined: copy it anywhere Node 20+ runs.
//   dist/crashlog      a Node single executable application: Node itself with the CLI
//                      inside, for machines without Node (rescue images, air-gapped hosts).
//   dist/crashlog.1    the man page, and dist/completion/crashlog.{bash,zsh}, generated
//                      from the commander definitions.
// `node scripts/dist.mjs man` writes only the man page and completions (npm pack runs it).
// `node scripts/dist.mjs mjs` stops after the ES module (no executable); `build` makes both
// without measuring them (the tests' build). The full build ends with the start-up time of
// both beside Node's own.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants as zlib } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const what = process.argv[2] ?? 'all';

/**
 * node-sqlite3-wasm finds its .wasm beside itself (__dirname): in a bundle it is inlined,
 * brotli-compressed (1.3 MB of WebAssembly is 0.5 MB of base64 then, which every start
 * must scan: uncompressed it was a third of the bundle's compile time), and inflated
 * only when a rasdaemon database is read (a few ms).
 */
let packedWasm;
const inlineSqliteWasm = {
  name: 'inline-sqlite-wasm',
  setup(build) {
    build.onResolve({ filter: /^crashlog:sqlite-wasm$/ }, () => ({ path: 'sqlite-wasm', namespace: 'crashlog' }));
    build.onLoad({ filter: /^sqlite-wasm$/, namespace: 'crashlog' }, () => {
      if (!packedWasm) {
        const wasm = readFileSync(join(root, 'node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm'));
        packedWasm = brotliCompressSync(wasm, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: wasm.length } }).toString('base64');
      }
      return { contents: `module.exports = require('node:zlib').brotliDecompressSync(Buffer.from(${JSON.stringify(packedWasm)}, 'base64'));`, loader: 'js' };
    });
    build.onLoad({ filter: /node-sqlite3-wasm[\\/]dist[\\/]node-sqlite3-wasm\.js$/ }, (args) => {
      let js = readFileSync(args.path, 'utf8');
      const swaps = [
        ['var wasmBinary;', 'var wasmBinary=require("crashlog:sqlite-wasm");'],
        ['scriptDirectory=__dirname+"/"', 'scriptDirectory="/"'],
      ];
      for (const [from, to] of swaps) {
        if (!js.includes(from)) throw new Error(`node-sqlite3-wasm changed: "${from}" not found; update scripts/dist.mjs`);
        js = js.replace(from, to);
      }
      return { contents: js, loader: 'js' };
    });
  },
};

async function bundle(format, outfile) {
  const esbuild = await import('esbuild');
  const banner = format === 'esm'
    // CommonJS dependencies call require() for Node's built-in modules.
    ? "import { createRequire as __crashlogRequire } from 'node:module';\nconst require = __crashlogRequire(import.meta.url);"
    : '';
  const t0 = performance.now();
  await esbuild.build({
    entryPoints: [join(root, 'src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    minify: true,
    legalComments: 'none',
    banner: { js: banner },
    define: { __CRASHLOG_VERSION__: JSON.stringify(pkg.version) },
    plugins: [inlineSqliteWasm],
    logLevel: 'warning',
    // version.ts reads import.meta only where __CRASHLOG_VERSION__ is not defined.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  console.log(`${outfile.slice(root.length + 1)}: ${(statSync(outfile).size / 1e6).toFixed(2)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** The man page and completions, from the commander definitions (bundled, so no tsc build is needed). */
async function docs() {
  const esbuild = await import('esbuild');
  const out = join(dist, 'sea', 'docs.mjs');
  await esbuild.build({
    stdin: {
      contents: "export { buildProgram } from './src/cli.ts'; export { manPage } from './src/util/manpage.ts'; export { completionScript } from './src/util/completion.ts';",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: "import { createRequire as __crashlogRequire } from 'node:module';\nconst require = __crashlogRequire(import.meta.url);" },
    define: { __CRASHLOG_VERSION__: JSON.stringify(pkg.version) },
    plugins: [inlineSqliteWasm],
    logLevel: 'warning',
  });
  const { buildProgram, manPage, completionScript } = await import(pathToFileURL(out).href);
  const program = buildProgram({ stdout: () => {}, stderr: () => {} });
  writeFileSync(join(dist, 'crashlog.1'), manPage(program, { version: pkg.version, date: new Date().toISOString().slice(0, 10) }));
  mkdirSync(join(dist, 'completion'), { recursive: true });
  for (const shell of ['bash', 'zsh']) writeFileSync(join(dist, 'completion', `crashlog.${shell}`), completionScript(program, shell));
  console.log('dist/crashlog.1, dist/completion/crashlog.{bash,zsh}');
}

/** Node's single executable application: the CommonJS bundle injected into a copy of node. */
function sea() {
  const work = join(dist, 'sea');
  mkdirSync(work, { recursive: true });
  const config = join(work, 'sea-config.json');
  const blob = join(work, 'crashlog.blob');
  writeFileSync(config, JSON.stringify({ main: join(work, 'crashlog.cjs'), output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
  run(process.execPath, ['--experimental-sea-config', config]);
  const exe = join(dist, 'crashlog');
  rmSync(exe, { force: true });
  copyFileSync(process.execPath, exe);
  chmodSync(exe, 0o755);
  // The fuse is the one Node's build puts in every binary (doc/api/single-executable-applications.md).
  run(process.execPath, [join(root, 'node_modules/postject/dist/cli.js'), exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2']);
  console.log(`dist/crashlog: ${(statSync(exe).size / 1e6).toFixed(1)} MB (node ${process.version} with the CLI inside)`);
}

/** Start-up beyond Node's own: median wall time of `--help` against `node -e 0`. */
function startup(files) {
  const runs = 11;
  const median = (cmd, args) => {
    const t = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      spawnSync(cmd, args, { stdio: 'ignore' });
      t.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return t.sort((a, b) => a - b)[runs >> 1];
  };
  const base = median(process.execPath, ['-e', '0']);
  for (const [name, cmd, args] of files) {
    console.log(`start-up: ${name} --help ${median(cmd, [...args, '--help']).toFixed(0)} ms, node -e 0 ${base.toFixed(0)} ms (median of ${runs})`);
  }
}

function run(cmd, args) {
  // postject warns about ELF note sections it leaves alone: shown only when it fails.
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
}

mkdirSync(join(dist, 'sea'), { recursive: true });
if (what !== 'man') await bundle('esm', join(dist, 'crashlog.mjs'));
await docs();
if (what === 'all' || what === 'build') {
  await bundle('cjs', join(dist, 'sea', 'crashlog.cjs'));
  sea();
}
if (what === 'all') startup([['dist/crashlog.mjs', process.execPath, [join(dist, 'crashlog.mjs')]], ['dist/crashlog', join(dist, 'crashlog'), []]]);
