import fs from 'node:fs'
import { build } from 'esbuild'

// The second half of `npm run build` (after `remix vite:build`): what production runs besides the
// Remix build, compiled to JavaScript so that the image holds neither tsx nor TypeScript sources.

const common = { platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning' }

// The HTTP server, compiled file for file, not bundled: it reaches the app only through the server
// build (build/server/index.js), so a bundle of it would hold a second copy of whatever it imported.
await build({ ...common, entryPoints: ['server.ts'], outfile: 'build/server.js', bundle: false })
const server = fs.readFileSync('build/server.js', 'utf8')
const appImport = /from\s+["'](#app|#db|\.{1,2}\/(app|db))\//.exec(server) ?? /import\(\s*["'](#app|#db|\.{1,2}\/(app|db))\//.exec(server)
if (appImport) {
  console.error(`build-node: server.ts imports app code (${appImport[0]}): take it from the build's runtime instead`)
  process.exit(1)
}

// The operator's commands (npm run db:migrate and the rest run the same files under tsx), each one
// bundled with the app modules it uses; packages stay in node_modules.
await build({
  ...common,
  entryPoints: {
    'db-migrate': 'scripts/db-migrate.ts',
    'db-seed': 'scripts/db-seed.ts',
    'db-backup': 'scripts/db-backup.ts',
    'db-restore': 'scripts/db-restore.ts',
    'user-create': 'scripts/user-create.ts',
  },
  outdir: 'build/commands',
  bundle: true,
  packages: 'external',
})
