// Stryker writes this machine's absolute path into its incremental files as "projectRoot"; the
// committed files name the project's root as "." (no path of a machine in the repository).
import fs from 'node:fs'

for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) continue
  const report = JSON.parse(fs.readFileSync(file, 'utf8'))
  if (report.projectRoot === '.') continue
  report.projectRoot = '.'
  fs.writeFileSync(file, JSON.stringify(report, null, 2))
}
