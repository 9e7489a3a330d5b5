/**
 * A/B variants: a recipient's variant is a pure function of the campaign and the
 * contact, so a restart, a replay or a second runner picks the same one, and no
 * assignment has to be stored before the first send.
 */

/** FNV-1a over the UTF-16 code units, 32 bits: small, pure and well spread for short keys. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * MurmurHash3's finaliser: FNV-1a's high bits change little between ids that differ
 * only in their last characters (uuids from one generator), and the high bits pick
 * the variant below.
 */
const mix = (hash: number): number => {
  let h = hash
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A number in [0, 1) fixed by the campaign and contact. */
export const variantPoint = (campaignId: string, contactId: string): number =>
  mix(fnv1a(`${campaignId}\u0000${contactId}`)) / 0x1_0000_0000

/**
 * The index of the recipient's variant, each variant's share proportional to its
 * weight (weights are whole numbers, at least one of them positive; a weight of 0
 * is never picked).
 */
export const pickVariant = (
  campaignId: string,
  contactId: string,
  weights: ReadonlyArray<number>
): number => {
  let total = 0
  for (let i = 0; i < weights.length; i++) total += Math.max(0, weights[i] ?? 0)
  if (total <= 0) return 0
  const target = variantPoint(campaignId, contactId) * total
  let cumulative = 0
  let last = 0
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i] ?? 0
    if (weight <= 0) continue
    last = i
    cumulative += weight
    if (target < cumulative) return i
  }
  // Only reached through floating-point rounding at the very top of the range.
  return last
}
