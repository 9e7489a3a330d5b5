import { Cause, Effect, Schema, Stream } from "effect"
import type { Context as HonoContext } from "hono"
import type {
  ImportFileRejected,
  ImportLayoutRejected,
  ImportNotFound,
  ImportStateConflict
} from "../../../application/imports/import-errors.ts"
import { ImportLimits, Imports } from "../../../application/imports/imports.ts"
import { ContactLists } from "../../../application/lists/contact-lists.ts"
import { ImportId, type ImportOptions, ImportMode, RowOutcome } from "../../../domain/import/import-job.ts"
import { LayoutId, MappingInput } from "../../../domain/import/layouts.ts"
import { ContactListId } from "../../../domain/list/contact-list.ts"
import { authenticate } from "../authenticate.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { type ApplicationError, problemForError } from "../error-mapping.ts"
import { type HttpResponse, jsonResponse, problemResponse } from "../http-response.ts"
import type { HttpServices } from "../http-services.ts"
import { ImportJson, importJson, importPreviewJson, ImportPreviewJson, importRowJson, ImportRowJson } from "../import-json.ts"
import { readMultipartUpload } from "../multipart-upload.ts"
import { type HttpProblem, httpProblem } from "../problem.ts"
import { type Route, type RouteDoc, route } from "../route.ts"
import { validationProblem } from "../validation-problem.ts"
import { BooleanQuery, pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Imports"]
const ImportParams = Schema.Struct({ id: ImportId })
const nextImport = encodeCursor(ImportId)
const RowNumber = Schema.Int
const nextRow = encodeCursor(RowNumber)

type ImportError = ImportFileRejected | ImportLayoutRejected | ImportNotFound | ImportStateConflict

/** The importer's errors as problems (kept here: only these routes raise them). */
const importProblem = (error: ImportError): HttpProblem => {
  switch (error._tag) {
    case "ImportFileRejected":
      return error.reason === "file_too_large"
        ? httpProblem("payload-too-large", error.message)
        : httpProblem("validation", `file: ${error.message}`, { errors: [{ path: "file", message: error.message }] })
    case "ImportLayoutRejected":
      return httpProblem("validation", `${error.field}: ${error.message}`, { errors: [{ path: error.field, message: error.message }] })
    case "ImportNotFound":
      return httpProblem("not-found", `No import has id ${error.id}`)
    case "ImportStateConflict":
      return httpProblem("conflict", `${error.message} (status ${error.status})`)
  }
}
const asProblem = <A, R>(self: Effect.Effect<A, ImportError, R>) => Effect.mapError(self, importProblem)

/** Form fields of an upload (sent before the file part). */
const UploadFields = Schema.Struct({
  mode: Schema.optionalKey(ImportMode),
  overwrite: Schema.optionalKey(BooleanQuery),
  layout: Schema.optionalKey(LayoutId),
  mapping: Schema.optionalKey(Schema.fromJsonString(MappingInput)),
  listId: Schema.optionalKey(ContactListId),
  newListName: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(100)))
})
const decodeFields = Schema.decodeUnknownEffect(UploadFields)

const UPLOAD_DESCRIPTION = "`multipart/form-data`: optional fields first — `mode` (create_only | create_or_update | update_only, " +
  "default create_or_update), `overwrite` (true | false), `layout` (propertyradar | openphone | google | outlook | quickbooks | " +
  "generic), `mapping` (JSON: our field -> column or columns, null unmaps), `listId` or `newListName` — then the `file` part " +
  "(CSV, up to 50 MB unless IMPORT_MAX_BYTES says otherwise; UTF-8, UTF-16 or Windows-1252; comma, semicolon, tab or pipe). "

/**
 * A route that reads a multipart upload itself (the JSON pipeline of
 * route.ts would buffer it): authenticated as staff, errors as problems.
 */
const uploadRoute = (
  doc: RouteDoc,
  handle: (upload: Effect.Success<ReturnType<typeof readMultipartUpload>>, options: ImportOptions & { readonly newListName: string | undefined }) =>
    Effect.Effect<HttpResponse, ApplicationError, HttpServices>
): Route => ({
  honoPath: doc.path,
  doc,
  run: (c: HonoContext, requestId: string) =>
    Effect.gen(function*() {
      yield* authenticate(c.req.header("authorization"))
      const upload = yield* readMultipartUpload(c, (yield* ImportLimits).maxBytes)
      const fields = yield* decodeFields(upload.fields, { errors: "all", onExcessProperty: "error" }).pipe(
        Effect.mapError((error) => validationProblem(error.issue, "(body)"))
      )
      if (fields.listId !== undefined && fields.newListName !== undefined) {
        return yield* httpProblem("validation", "listId: send listId or newListName, not both", {
          errors: [{ path: "listId", message: "Send listId or newListName, not both" }]
        })
      }
      return yield* handle(upload, {
        mode: fields.mode ?? "create_or_update",
        overwrite: fields.overwrite === "true",
        layout: fields.layout ?? null,
        mapping: fields.mapping ?? null,
        listId: fields.listId ?? null,
        newListName: fields.newListName
      })
    }).pipe(
      Effect.catch((error) => Effect.succeed(problemResponse(problemForError(error), requestId))),
      Effect.catchCause((cause) =>
        Effect.as(
          Effect.logError("request failed").pipe(Effect.annotateLogs({ requestId, cause: Cause.pretty(cause) })),
          problemResponse(httpProblem("internal", "The request failed unexpectedly"), requestId)
        ))
    )
})

const csvCell = (value: string, delimiter: string): string =>
  value.includes(delimiter) || /["\r\n]/u.test(value) ? `"${value.replaceAll("\"", "\"\"")}"` : value

export const importRoutes: ReadonlyArray<Route> = [
  uploadRoute({
    method: "post",
    path: "/api/imports/preview",
    operationId: "previewImport",
    summary: "Preview an import: layout, mapping, first rows; changes nothing",
    description: UPLOAD_DESCRIPTION + "Reads only the first 20 rows and shows them as they would be stored.",
    tags,
    access: "staff",
    success: { status: 200, schema: ImportPreviewJson, description: "The detected layout and the first rows" },
    problems: ["validation", "payload-too-large", "unsupported-media-type", "malformed-request"]
  }, (upload, options) =>
    Effect.gen(function*() {
      const preview = yield* (yield* Imports).preview(upload.bytes, options).pipe(asProblem)
      return jsonResponse(200, importPreviewJson(preview))
    })),
  uploadRoute({
    method: "post",
    path: "/api/imports",
    operationId: "startImport",
    summary: "Upload a CSV file and start importing it",
    description: UPLOAD_DESCRIPTION + "The file is stored and read through once (a bad file is refused with nothing kept); " +
      "the import then runs as a background job, one transaction per 1,000 rows. Follow it with GET /api/imports/{id}.",
    tags,
    access: "staff",
    success: { status: 202, schema: ImportJson, description: "The import, queued", location: "/api/imports/{id}" },
    problems: ["validation", "payload-too-large", "unsupported-media-type", "malformed-request", "not-found", "conflict"]
  }, (upload, { newListName, ...options }) =>
    Effect.gen(function*() {
      const imports = yield* Imports
      const lists = yield* ContactLists
      const created = newListName === undefined
        ? undefined
        : yield* lists.create({ name: newListName, description: `Imported from ${upload.fileName}` })
      const job = yield* imports.start({
        fileName: upload.fileName,
        bytes: upload.bytes,
        options: { ...options, listId: created?.list.id ?? options.listId }
      }).pipe(
        // A list made for a refused file goes with it.
        Effect.tapError(() => (created === undefined ? Effect.void : Effect.ignore(lists.remove(created.list.id)))),
        Effect.catchTags({
          ImportFileRejected: (error) => Effect.fail(importProblem(error)),
          ImportLayoutRejected: (error) => Effect.fail(importProblem(error))
        })
      )
      return jsonResponse(202, importJson(job), { location: `/api/imports/${job.id}` })
    })),
  route({
    method: "get",
    path: "/api/imports",
    operationId: "listImports",
    summary: "List imports, newest first",
    tags,
    access: "staff",
    query: pageQuery(ImportId, {}),
    success: { status: 200, schema: PageOf(ImportJson, "ImportPage"), description: "A page of imports" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* Imports).list(pageRequest(query))
        return { data: page.items.map(importJson), nextCursor: nextImport(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/imports/{id}",
    operationId: "getImport",
    summary: "An import's status, progress and counts",
    description: "The counts (created, updated, unchanged, merged_in_file, skipped, rejected) always add up to rowsRead.",
    tags,
    access: "staff",
    params: ImportParams,
    success: { status: 200, schema: ImportJson, description: "The import" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(asProblem((Imports.use((imports) => imports.get(params.id)))), importJson)
  }),
  route({
    method: "get",
    path: "/api/imports/{id}/rows",
    operationId: "listImportRows",
    summary: "Page an import's row outcomes",
    tags,
    access: "staff",
    params: ImportParams,
    query: pageQuery(RowNumber, { outcome: Schema.optionalKey(RowOutcome) }),
    success: { status: 200, schema: PageOf(ImportRowJson, "ImportRowPage"), description: "Row outcomes in row order" },
    problems: ["not-found"],
    handler: ({ params, query }) =>
      Effect.gen(function*() {
        const page = yield* asProblem(Imports.use((imports) =>
          imports.rows(params.id, { outcome: query.outcome, page: pageRequest(query) })))
        return { data: page.items.map(importRowJson), nextCursor: nextRow(page.next) }
      })
  }),
  {
    honoPath: "/api/imports/:id/rejected.csv",
    doc: {
      method: "get",
      path: "/api/imports/{id}/rejected.csv",
      operationId: "getRejectedRows",
      summary: "The rejected rows as they came in, plus a reason column (text/csv)",
      description: "Ready to fix and import again: the file's header, then each rejected row's text unchanged, " +
        "with `Import error` (field: reason) appended. UTF-8, in the file's delimiter.",
      tags,
      access: "staff",
      params: ImportParams,
      success: { status: 200, schema: Schema.String, description: "text/csv" },
      problems: ["not-found"]
    },
    run: (c, requestId) =>
      Effect.gen(function*() {
        yield* authenticate(c.req.header("authorization"))
        const id = yield* Schema.decodeUnknownEffect(ImportId)(c.req.param("id")).pipe(
          Effect.mapError(() => httpProblem("not-found", `Nothing exists at ${c.req.path}`))
        )
        const imports = yield* Imports
        const job = yield* asProblem(imports.get(id))
        const delimiter = job.delimiter ?? ","
        const rows = yield* Stream.runCollect(yield* asProblem(imports.rejectedRows(id)))
        const header = [...(job.headers ?? []), "Import error"].map((cell) => csvCell(cell, delimiter)).join(delimiter)
        const lines = [...rows].map((row) =>
          `${row.raw ?? ""}${delimiter}${csvCell(row.field === null ? row.reason ?? "" : `${row.field}: ${row.reason ?? ""}`, delimiter)}`)
        const name = job.fileName.replace(/\.csv$/iu, "").replace(/[^\w.-]+/gu, "_")
        return {
          status: 200,
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="${name}-rejected.csv"`
          },
          body: [header, ...lines].join("\r\n") + "\r\n"
        } satisfies HttpResponse
      }).pipe(
        Effect.catch((error) => Effect.succeed(problemResponse(problemForError(error), requestId))),
        Effect.catchCause((cause) =>
          Effect.as(
            Effect.logError("request failed").pipe(Effect.annotateLogs({ requestId, cause: Cause.pretty(cause) })),
            problemResponse(httpProblem("internal", "The request failed unexpectedly"), requestId)
          ))
      )
  },
  route({
    method: "post",
    path: "/api/imports/{id}/revert",
    operationId: "revertImport",
    summary: "Undo an import",
    description: "Runs as a background job, one transaction per 500 changes: deletes the contacts and properties the import " +
      "created (unless something refers to them since: kept, counted in keptCount) and restores the fields it updated " +
      "(a field changed since keeps its new value).",
    tags,
    access: "staff",
    params: ImportParams,
    success: { status: 202, schema: ImportJson, description: "The import, reverting" },
    problems: ["not-found", "conflict"],
    handler: ({ params }) => Effect.map(asProblem(Imports.use((imports) => imports.revert(params.id))), importJson)
  })
]

