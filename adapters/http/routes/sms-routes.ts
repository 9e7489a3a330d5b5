import { Effect, Schema } from "effect"
import { SmsEncoding } from "../../../domain/messaging/message.ts"
import { MAX_SEGMENTS, smsSegmentDetails } from "../../../domain/messaging/sms-segments.ts"
import { route } from "../route.ts"

const tags = ["Messaging"]

/** Longer than any sendable text (10 UCS-2 parts are 670 units), short enough to count in microseconds. */
const MAX_TEXT_LENGTH = 10_000

const SegmentsRequest = Schema.Struct({
  text: Schema.String.check(Schema.isMaxLength(MAX_TEXT_LENGTH)).annotate({
    description: `The message to count, as it would be sent (placeholders already filled in); at most ${MAX_TEXT_LENGTH} characters`
  })
}).annotate({ identifier: "SmsSegmentsRequest" })

export const SmsSegmentsJson = Schema.Struct({
  encoding: SmsEncoding.annotate({ description: "GSM-7, or UCS-2 once any character falls outside GSM-7" }),
  segments: Schema.Int.annotate({
    description: `Segments billed; 0 for an empty text. More than ${MAX_SEGMENTS} is refused when sending`
  }),
  units: Schema.Int.annotate({
    description: "GSM-7 septets (the extension characters ^{}\\[~]|€ take 2) or UCS-2 code units (most emoji take 2)"
  }),
  unitsPerSegment: Schema.Int.annotate({
    description: "What one segment carries: 160 (GSM-7) or 70 (UCS-2) for a one-segment text, 153 or 67 per part once split"
  }),
  nonGsmCharacters: Schema.Array(Schema.String).annotate({
    description: "The characters that forced UCS-2, each once in order of first use (a curly quote, an emoji); empty for GSM-7"
  })
}).annotate({ identifier: "SmsSegments" })

export const smsRoutes = [
  route({
    method: "post",
    path: "/api/sms/segments",
    operationId: "countSmsSegments",
    summary: "Count the segments of a text",
    description: "Answers how a text would be encoded and billed, so a message can be checked before it is used: " +
      "one character outside GSM-7 makes the whole text UCS-2 (70 characters a segment instead of 160), and " +
      "`nonGsmCharacters` shows which to replace. Nothing is stored or sent.",
    tags,
    access: "staff",
    body: SegmentsRequest,
    success: { status: 200, schema: SmsSegmentsJson, description: "The text's encoding and segments" },
    problems: [],
    handler: ({ body }) => Effect.sync(() => smsSegmentDetails(body.text))
  })
]
