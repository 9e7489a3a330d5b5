import { Effect, Option } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import type { ContactRepository } from "../ports/contact-repository.ts"
import { DuplicateContact } from "./contact-errors.ts"

/**
 * The duplicate rule: a phone or email may belong to one active contact only.
 * Fails with the owner when another active contact (outside `excluding`) has
 * it. Runs inside the caller's transaction, holding the identity's lock so a
 * concurrent writer claiming the same phone or email waits for the outcome.
 */
export const identityCheck = (repo: ContactRepository["Service"]) =>
  Effect.fnUntraced(function*(
    identity: { readonly phone: string | null; readonly email: string | null },
    excluding: ReadonlyArray<ContactId>
  ) {
    if (identity.phone === null && identity.email === null) return
    yield* repo.lockIdentity(identity)
    const owner = yield* repo.findIdentityOwner({ phone: identity.phone, email: identity.email, excluding })
    if (Option.isSome(owner)) {
      return yield* new DuplicateContact({ existingId: owner.value.id, field: owner.value.field })
    }
  })
