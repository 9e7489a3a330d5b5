import { Context, DateTime, Effect, Layer, Option, Result, Schema } from "effect"
import { ContactId } from "../../domain/contact.ts"
import { type Message, MessageId, type MessageStatus } from "../../domain/messaging/message.ts"
import { smsSegments } from "../../domain/messaging/sms-segments.ts"
import { E164, normalizePhone } from "../../domain/phone.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { Ids } from "../ports/ids.ts"
import { MessageRepository } from "../ports/message-repository.ts"
import {
  type BusinessNumber,
  type ProviderMessage,
  SmsGateway,
  type SmsGatewayError
} from "../ports/sms-gateway.ts"
import { type SyncCheckpoint, SyncProgress, type SyncSource, type SyncTotals } from "../ports/sync-progress.ts"
import { Transactor } from "../ports/transactor.ts"
import { Leads } from "./leads.ts"

const isE164 = Schema.is(E164)

/** The largest page `GET /v1/messages` serves (maxResults 1..100, shared/reference/openphone-facts.md). */
const PAGE_SIZE = 100

export type SyncEvent =
  | { readonly _tag: "PhoneNumbers"; readonly numbers: ReadonlyArray<BusinessNumber> }
  | { readonly _tag: "Resumed"; readonly checkpoint: SyncCheckpoint }
  /** The provider no longer lists conversations: the contacts' numbers are synced instead. */
  | { readonly _tag: "ContactsFallback" }
  | {
    readonly _tag: "Page"
    readonly participant: string
    readonly fetched: number
    readonly stored: number
    readonly totals: SyncTotals
  }

export type SyncReport =
  /** The sandbox gateway records our own texts and has no history. */
  | { readonly _tag: "NothingToSync"; readonly reason: string }
  | {
    readonly _tag: "Synced"
    readonly source: SyncSource
    /** Whether this run continued one that had stopped part-way. */
    readonly resumed: boolean
    /** Since the run started, across resumes. */
    readonly totals: SyncTotals
  }

export interface SyncRequest {
  /** Only messages created after this; all history when absent. */
  readonly since: DateTime.Utc | undefined
  /**
   * Ignore an unfinished run's checkpoint and start from the first page, e.g.
   * when the provider no longer accepts its saved page token. Stored messages stay stored.
   */
  readonly restart?: boolean | undefined
  /** Items asked for per page; the provider's maximum unless a test wants small pages. */
  readonly pageSize?: number | undefined
  /** Told after each stored page, e.g. to print a progress line. */
  readonly onEvent?: ((event: SyncEvent) => Effect.Effect<void>) | undefined
}

/** The run a rerun with the same `--since` resumes. */
export const syncKey = (since: DateTime.Utc | undefined): string =>
  since === undefined ? "all" : `since:${DateTime.formatIso(since)}`

/** A page of people to sync and where the next page starts. */
interface ParticipantPage {
  readonly participants: ReadonlyArray<string>
  readonly next: string | null
}

/**
 * The other party as stored: the normalised number when libphonenumber knows
 * it, else the provider's own E.164 (it validates numbers itself; test ranges
 * such as 555 are not "assigned"), else nothing and the message is skipped.
 */
const asE164 = (raw: string): string | undefined => {
  const normalised = normalizePhone(raw)
  if (Result.isSuccess(normalised)) return normalised.success.e164
  return isE164(raw) ? raw : undefined
}

// A backfilled outbound text reached the provider, so `queued` there is `sent` here.
const outboundStatus = (status: ProviderMessage["status"]): MessageStatus => status === "queued" ? "sent" : status

const zeroTotals: SyncTotals = { pages: 0, messages: 0, contactsCreated: 0, participants: 0 }

/**
 * `npm run crm -- openphone sync`: backfills the provider's history. Phone
 * numbers first, then every conversation (or, when the provider no longer
 * lists them, every active contact's number) and its messages page by page.
 * Each page is stored with its checkpoint in one transaction, so a rerun
 * after a crash resumes at the next page and stores nothing twice; messages
 * are stored once per provider id in any case.
 */
export class OpenPhoneSync extends Context.Service<OpenPhoneSync, {
  readonly run: (request: SyncRequest) => Effect.Effect<SyncReport, SmsGatewayError>
}>()("crm/application/messaging/OpenPhoneSync") {
  static readonly layer = Layer.effect(
    OpenPhoneSync,
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const messages = yield* MessageRepository
      const contacts = yield* ContactRepository
      const progress = yield* SyncProgress
      const leads = yield* Leads
      const tx = yield* Transactor
      const ids = yield* Ids

      const participantPage = (checkpoint: SyncCheckpoint, since: DateTime.Utc | undefined, pageSize: number) =>
        checkpoint.source === "conversations"
          ? Effect.map(
            gateway.listConversations({
              updatedAfter: since,
              pageToken: checkpoint.pageCursor ?? undefined,
              maxResults: pageSize
            }),
            (page): ParticipantPage => ({
              participants: [...new Set(page.conversations.flatMap((c) => c.participants))],
              next: Option.getOrNull(page.nextPageToken)
            })
          )
          : Effect.map(
            contacts.list({
              status: "active",
              after: checkpoint.pageCursor === null ? undefined : ContactId.make(checkpoint.pageCursor),
              limit: pageSize
            }),
            (rows): ParticipantPage => ({
              participants: [...new Set(rows.flatMap((c) => c.phone === null ? [] : [c.phone]))],
              next: rows.length < pageSize ? null : rows[rows.length - 1]!.id
            })
          )

      /** Stores one page's messages; answers how many were new and how many leads it made. */
      const storeMessages = (page: ReadonlyArray<ProviderMessage>, participant: string, business: BusinessNumber) =>
        Effect.gen(function*() {
          const now = yield* DateTime.now
          const contactByNumber = new Map<string, ContactId>()
          let stored = 0
          let contactsCreated = 0
          for (const provided of page) {
            if (Option.isSome(yield* messages.findByProviderId(provided.providerId))) continue
            const inbound = provided.direction === "incoming"
            const other = asE164(inbound ? provided.from : provided.to.includes(participant) ? participant : provided.to[0] ?? participant)
            const ours = inbound ? (provided.to.includes(business.number) ? business.number : provided.to[0]) : provided.from
            if (other === undefined || ours === undefined || !isE164(ours)) continue
            let contactId = contactByNumber.get(other)
            if (contactId === undefined) {
              const found = yield* leads.contactForNumber(other)
              if (found.created) contactsCreated++
              contactId = found.contact.id
              contactByNumber.set(other, contactId)
            }
            const { encoding, segments } = smsSegments(provided.text)
            const message: Message = {
              id: MessageId.make(yield* ids.next),
              direction: inbound ? "inbound" : "outbound",
              contactId,
              businessNumber: ours,
              contactNumber: other,
              body: provided.text,
              segments,
              encoding,
              providerId: provided.providerId,
              status: inbound ? "received" : outboundStatus(provided.status),
              error: null,
              createdAt: provided.createdAt,
              updatedAt: now,
              sentAt: inbound ? null : provided.createdAt,
              deliveredAt: provided.status === "delivered" && !inbound ? provided.createdAt : null,
              // History is not news: imported texts would otherwise flood the inbox's unread counts.
              readAt: inbound ? now : null
            }
            const result = yield* messages.insert(message)
            if (result._tag === "Inserted") stored++
          }
          return { stored, contactsCreated }
        })

      const run = Effect.fn("OpenPhoneSync.run")(function*(request: SyncRequest) {
        const tell = request.onEvent ?? (() => Effect.void)
        const pageSize = request.pageSize ?? PAGE_SIZE
        if (gateway.kind === "sandbox") {
          return {
            _tag: "NothingToSync",
            reason: "The SMS gateway is the sandbox (no OPENPHONE_API_KEY is set): there is no OpenPhone history to sync."
          } as const
        }
        const numbers = yield* gateway.listPhoneNumbers
        yield* tell({ _tag: "PhoneNumbers", numbers })
        const business = yield* gateway.businessNumber
        const key = syncKey(request.since)
        const saved = Option.filter(yield* progress.find(key), (c) => c.finishedAt === null && request.restart !== true)
        const startedAt = yield* DateTime.now
        let checkpoint: SyncCheckpoint = Option.getOrElse(saved, (): SyncCheckpoint => ({
          key,
          source: "conversations",
          pageCursor: null,
          doneInPage: [],
          participant: null,
          messagePageToken: null,
          totals: zeroTotals,
          startedAt,
          updatedAt: startedAt,
          finishedAt: null
        }))
        if (Option.isSome(saved)) yield* tell({ _tag: "Resumed", checkpoint })
        const save = (next: Omit<SyncCheckpoint, "updatedAt">) =>
          Effect.map(DateTime.now, (updatedAt): SyncCheckpoint => ({ ...next, updatedAt })).pipe(
            Effect.tap((c) => progress.save(c))
          )

        while (true) {
          const page: ParticipantPage = yield* participantPage(checkpoint, request.since, pageSize).pipe(
            Effect.catchIf(
              (error) => error.reason === "not-found" && checkpoint.source === "conversations" && checkpoint.pageCursor === null,
              () =>
                Effect.gen(function*() {
                  checkpoint = yield* save({ ...checkpoint, source: "contacts", doneInPage: [], participant: null, messagePageToken: null })
                  yield* tell({ _tag: "ContactsFallback" })
                  return yield* participantPage(checkpoint, request.since, pageSize)
                })
            )
          )
          for (const participant of page.participants) {
            if (checkpoint.doneInPage.includes(participant)) continue
            let token = checkpoint.participant === participant ? checkpoint.messagePageToken : null
            while (true) {
              const fetched = yield* gateway.listMessages({
                participant,
                createdAfter: request.since,
                pageToken: token ?? undefined,
                maxResults: pageSize
              })
              const next = Option.getOrNull(fetched.nextPageToken)
              const current = checkpoint
              // The page's rows and the checkpoint past it commit together, or neither does.
              checkpoint = yield* tx.withTransaction(Effect.gen(function*() {
                const { contactsCreated, stored } = yield* storeMessages(fetched.messages, participant, business)
                const totals: SyncTotals = {
                  pages: current.totals.pages + 1,
                  messages: current.totals.messages + stored,
                  contactsCreated: current.totals.contactsCreated + contactsCreated,
                  participants: current.totals.participants + (next === null ? 1 : 0)
                }
                return yield* save({
                  ...current,
                  doneInPage: next === null ? [...current.doneInPage, participant] : current.doneInPage,
                  participant: next === null ? null : participant,
                  messagePageToken: next,
                  totals
                })
              }))
              yield* tell({
                _tag: "Page",
                participant,
                fetched: fetched.messages.length,
                stored: checkpoint.totals.messages - current.totals.messages,
                totals: checkpoint.totals
              })
              if (next === null) break
              token = next
            }
          }
          if (page.next === null) break
          checkpoint = yield* save({ ...checkpoint, pageCursor: page.next, doneInPage: [], participant: null, messagePageToken: null })
        }
        const finishedAt = yield* DateTime.now
        checkpoint = yield* save({ ...checkpoint, finishedAt })
        return { _tag: "Synced", source: checkpoint.source, resumed: Option.isSome(saved), totals: checkpoint.totals } as const
      })

      return OpenPhoneSync.of({ run: (request) => Effect.map(run(request), (report): SyncReport => report) })
    })
  )
}
