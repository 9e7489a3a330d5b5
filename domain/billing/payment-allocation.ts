/**
 * How a payment is shared among an invoice's lines, for revenue by service:
 * in proportion to what each line still owes, the leftover cents going to
 * the largest remainders. No line is ever paid more than it owes, and the
 * shares add up to the payment exactly.
 *
 * Tied remainders are broken by the lines' own figures (the line owing more
 * first), as pricing shares a fixed document discount, so a line's share
 * never depends on where it stands; only lines owing the same amount are
 * told apart by their order.
 */
export const allocatePayment = (amountCents: number, owedCents: ReadonlyArray<number>): Array<number> => {
  const owed = owedCents.reduce((acc, cents) => acc + cents, 0)
  if (owed === 0) return owedCents.map(() => 0)
  const amount = BigInt(amountCents)
  const total = BigInt(owed)
  const shares = owedCents.map((cents) => (amount * BigInt(cents)) / total)
  let left = amount - shares.reduce((acc, share) => acc + share, 0n)
  const order = owedCents
    .map((cents, index) => ({ index, cents, remainder: (amount * BigInt(cents)) % total }))
    .sort((a, b) => compare(b.remainder, a.remainder) || b.cents - a.cents || a.index - b.index)
  for (const { index } of order) {
    if (left === 0n) break
    shares[index]! += 1n
    left -= 1n
  }
  return shares.map(Number)
}

const compare = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0)
