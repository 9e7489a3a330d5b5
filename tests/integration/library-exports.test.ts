import { execFile } from "node:child_process"
import { readdir, stat } from "node:fs/promises"
import { join } from "node:path"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "../..")
const exec = promisify(execFile)

// What a service that embeds the CRM writes: plain Node, importing by package name.
const consumer = `
import { Effect, Schema } from "effect"
import { NewContact, normalizePhone } from "attack-a-crack-crm/domain"
import { Contacts } from "attack-a-crack-crm/application"
import { TestApplication } from "attack-a-crack-crm/application/testing"

const program = Effect.gen(function*() {
  const contacts = yield* Contacts
  const input = yield* Schema.decodeUnknownEffect(NewContact)({ firstName: "Ann", phone: "415 555 2671" })
  return yield* contacts.create(input)
}).pipe(Effect.provide(TestApplication))

const contact = await Effect.runPromise(program)
console.log(JSON.stringify({ phone: contact.phone, valid: normalizePhone("555-123-4567")._tag }))
`

/** The first source of tsconfig.build.json whose dist/ output is missing or older than it, if any. */
const staleSource = async (): Promise<string | undefined> => {
  for (const folder of ["domain", "application"]) {
    const files = await readdir(join(root, folder), { recursive: true })
    for (const file of files.filter((f) => f.endsWith(".ts"))) {
      const source = join(folder, file)
      const built = await stat(join(root, "dist", source.replace(/\.ts$/, ".js"))).catch(() => undefined)
      if (built === undefined || built.mtimeMs < (await stat(join(root, source))).mtimeMs) return source
    }
  }
  return undefined
}

describe("the package's exports", () => {
  it("serve ./domain, ./application and ./application/testing to plain Node after the build", async () => {
    // `npm ci` / `npm install` build dist/ (the `prepare` script), so a fresh
    // clone never builds here; only a working tree edited since the last build does.
    if (await staleSource() !== undefined) {
      await exec(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], { cwd: root })
    }
    const { stdout } = await exec(process.execPath, ["--input-type=module", "-e", consumer], { cwd: root })
    expect(JSON.parse(stdout)).toEqual({ phone: "+14155552671", valid: "Failure" })
  }, 180_000)
})
