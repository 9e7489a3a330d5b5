import { createHmac } from "node:crypto"
import { describe, expect, it } from "vitest"
import {
  FAKE_QBO_CLIENT_ID,
  FAKE_QBO_CLIENT_SECRET,
  FAKE_QBO_VERIFIER,
  type FakeQuickBooks
} from "../support/fake-quickbooks.ts"
import { fakesPerTest } from "../support/fake-quickbooks/server-env.ts"

// The fake's OAuth side (authorize, code exchange, refresh rotation, revoke)
// and its signed webhooks: the connect, token-refresh and pull tests lean on them.

const start = fakesPerTest()

const REDIRECT = "http://localhost:3000/integrations/quickbooks/callback"
const basic = (id = FAKE_QBO_CLIENT_ID, secret = FAKE_QBO_CLIENT_SECRET) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`

const authorize = async (fake: FakeQuickBooks, params: Record<string, string> = {}) => {
  const query = new URLSearchParams({
    client_id: FAKE_QBO_CLIENT_ID,
    response_type: "code",
    scope: "com.intuit.quickbooks.accounting",
    redirect_uri: REDIRECT,
    state: "st-123",
    ...params
  })
  return fetch(`${fake.url}/connect/oauth2?${query}`, { redirect: "manual" })
}

const tokenCall = async (fake: FakeQuickBooks, form: Record<string, string>, authorization = basic()) => {
  const response = await fetch(`${fake.url}/oauth2/v1/tokens/bearer`, {
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams(form).toString()
  })
  const body: unknown = await response.json()
  const field = (name: string) => (typeof body === "object" && body !== null && name in body ? Reflect.get(body, name) : undefined)
  return { status: response.status, field }
}

const refresh = (fake: FakeQuickBooks, refreshToken: string) => tokenCall(fake, { grant_type: "refresh_token", refresh_token: refreshToken })
const companyInfo = (fake: FakeQuickBooks, accessToken: unknown) =>
  fetch(`${fake.url}/v3/company/${fake.realmId}/companyinfo/${fake.realmId}`, { headers: { authorization: `Bearer ${String(accessToken)}` } })

describe("fake QuickBooks OAuth", () => {
  it("authorize redirects back with code, state and realmId; the code buys tokens once", async () => {
    const fake = await start({ redirectUri: REDIRECT })
    const consent = await authorize(fake)
    expect(consent.status).toBe(302)
    const back = new URL(consent.headers.get("location") ?? "")
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT)
    expect([back.searchParams.get("state"), back.searchParams.get("realmId")]).toEqual(["st-123", fake.realmId])
    const code = back.searchParams.get("code") ?? ""
    const grant = await tokenCall(fake, { grant_type: "authorization_code", code, redirect_uri: REDIRECT })
    expect(grant.status).toBe(200)
    expect([grant.field("token_type"), grant.field("expires_in"), grant.field("x_refresh_token_expires_in")]).toEqual(["bearer", 3600, 8_726_400])
    expect((await companyInfo(fake, grant.field("access_token"))).status).toBe(200)
    expect((await tokenCall(fake, { grant_type: "authorization_code", code, redirect_uri: REDIRECT })).field("error")).toBe("invalid_grant")
  })

  it("refuses a bad client, another redirect URI, a missing scope or state; a cancelled consent comes back as access_denied", async () => {
    const fake = await start({ redirectUri: REDIRECT })
    expect((await authorize(fake, { redirect_uri: "http://evil.example/cb" })).status).toBe(400)
    expect((await authorize(fake, { scope: "openid" })).status).toBe(400)
    expect((await authorize(fake, { state: "" })).status).toBe(400)
    expect((await authorize(fake, { client_id: "other" })).status).toBe(400)
    const code = new URL((await authorize(fake)).headers.get("location") ?? "").searchParams.get("code") ?? ""
    const wrongSecret = await tokenCall(fake, { grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(FAKE_QBO_CLIENT_ID, "nope"))
    expect([wrongSecret.status, wrongSecret.field("error")]).toEqual([401, "invalid_client"])
    fake.setAuthorizeDecision({ allow: false })
    const denied = new URL((await authorize(fake)).headers.get("location") ?? "")
    expect([denied.searchParams.get("error"), denied.searchParams.get("state"), denied.searchParams.get("code")]).toEqual(["access_denied", "st-123", null])
  })

  it("an access token lasts an hour of the fake's clock, then answers 401 until a refresh", async () => {
    let clock = Date.parse("2026-03-01T12:00:00Z")
    const fake = await start({ now: () => clock })
    const { accessToken, refreshToken } = fake.connect()
    clock += 3_599_000
    expect((await companyInfo(fake, accessToken)).status).toBe(200)
    clock += 1000
    const expired = await companyInfo(fake, accessToken)
    expect(expired.status).toBe(401)
    expect(JSON.stringify(await expired.json())).toContain("Token expired")
    const renewed = await refresh(fake, refreshToken)
    expect((await companyInfo(fake, renewed.field("access_token"))).status).toBe(200)
  })

  it("rotates the refresh token on every refresh; the used one works until its successor is used", async () => {
    const fake = await start()
    const first = fake.connect().refreshToken
    const a = await refresh(fake, first)
    const second = String(a.field("refresh_token"))
    expect(second).not.toBe(first)
    // Another process that still holds `first` (its refresh answer was lost) may use it once more...
    expect(fake.refreshTokenWorks(first)).toBe(true)
    const b = await refresh(fake, second)
    // ...until the newer token has been used: then `first` is refused for good.
    expect((await refresh(fake, first)).field("error")).toBe("invalid_grant")
    expect(fake.refreshTokenWorks(String(b.field("refresh_token")))).toBe(true)
    expect(fake.tokenCounts().refreshes).toBe(2)
  })

  it("with immediate rotation a used refresh token is refused at once; with a grace, after it", async () => {
    const strict = await start({ rotation: "immediate" })
    const used = strict.connect().refreshToken
    expect((await refresh(strict, used)).status).toBe(200)
    expect((await refresh(strict, used)).field("error")).toBe("invalid_grant")

    let clock = 0
    const graced = await start({ rotation: { graceMillis: 30_000 }, now: () => clock })
    const token = graced.connect().refreshToken
    expect((await refresh(graced, token)).status).toBe(200)
    clock += 29_000
    expect((await refresh(graced, token)).status).toBe(200)
    clock += 1000
    expect((await refresh(graced, token)).status).toBe(400)
  })

  it("revoking a refresh token ends the grant: its access tokens stop working too", async () => {
    const fake = await start()
    const { accessToken, refreshToken } = fake.connect()
    const revoked = await fetch(`${fake.url}/v2/oauth2/tokens/revoke`, {
      method: "POST",
      headers: { authorization: basic(), "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ token: refreshToken })
    })
    expect(revoked.status).toBe(200)
    expect((await companyInfo(fake, accessToken)).status).toBe(401)
    expect((await refresh(fake, refreshToken)).field("error")).toBe("invalid_grant")
  })
})

describe("fake QuickBooks webhooks", () => {
  it("signs the raw body with the verifier token: base64 HMAC-SHA256 in intuit-signature", async () => {
    const fake = await start()
    const delivery = fake.webhookFor([{ name: "Payment", id: "180", operation: "Create" }])
    const expected = createHmac("sha256", FAKE_QBO_VERIFIER).update(delivery.body).digest("base64")
    expect(delivery.headers["intuit-signature"]).toBe(expected)
    expect(JSON.parse(delivery.body)).toEqual({
      eventNotifications: [{
        realmId: fake.realmId,
        dataChangeEvent: { entities: [{ name: "Payment", id: "180", operation: "Create", lastUpdated: expect.stringMatching(/-0700$/u) }] }
      }]
    })
  })

  it("builds the CloudEvents form: qbo.<entity>.<operation>.v1 with the entity and account ids", async () => {
    const fake = await start()
    const delivery = fake.webhookFor([{ name: "Invoice", id: "155", operation: "Void" }], "cloudevents", "other-verifier")
    expect(JSON.parse(delivery.body)).toEqual([expect.objectContaining({
      specversion: "1.0",
      type: "qbo.invoice.voided.v1",
      intuitentityid: "155",
      intuitaccountid: fake.realmId
    })])
    expect(delivery.headers["intuit-signature"]).toBe(createHmac("sha256", "other-verifier").update(delivery.body).digest("base64"))
  })
})
