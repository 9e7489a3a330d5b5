import { describe, expect, it } from "@effect/vitest"
import { Hono } from "hono"
import { contractClient } from "../support/contract.ts"

const document = {
  openapi: "3.1.0",
  paths: {
    "/things/{id}": {
      get: {
        responses: {
          "200": {
            content: {
              "application/json": { schema: { $ref: "#/components/schemas/Thing" } }
            }
          }
        }
      }
    }
  },
  components: {
    schemas: {
      Thing: { type: "object", properties: { id: { type: "string" } }, required: ["id"], additionalProperties: false }
    }
  }
}

const appAnswering = (status: number, body: unknown) => {
  const app = new Hono()
  app.get("/openapi.json", (c) => c.json(document))
  app.get("/things/:id", (c) => c.json(body as object, status as 200))
  return app
}

describe("the contract checker", () => {
  it("accepts a response that matches the document", async () => {
    const { request } = await contractClient(appAnswering(200, { id: "1" }))
    expect((await request("GET", "/things/1")).status).toBe(200)
  })

  it("rejects a body with a field the document does not list", async () => {
    const { request } = await contractClient(appAnswering(200, { id: "1", extra: true }))
    await expect(request("GET", "/things/1")).rejects.toThrow(/must NOT have additional properties/)
  })

  it("rejects a body missing a required field", async () => {
    const { request } = await contractClient(appAnswering(200, {}))
    await expect(request("GET", "/things/1")).rejects.toThrow(/must have required property 'id'/)
  })

  it("rejects a status the document does not list", async () => {
    const { request } = await contractClient(appAnswering(418, { id: "1" }))
    await expect(request("GET", "/things/1")).rejects.toThrow(/answered 418/)
  })
})
