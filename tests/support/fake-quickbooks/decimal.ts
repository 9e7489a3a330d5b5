// Exact decimal arithmetic on the JSON numbers QuickBooks takes, so the fake
// can hold `Amount == Qty x UnitPrice` exactly (to the cent) and refuse a
// third decimal without float error. A number is `digits / 10^scale`.

export interface Decimal {
  readonly digits: bigint
  readonly scale: number
}

/** The shortest decimal that round-trips the JSON number (what the client wrote). */
export const decimalOf = (value: number): Decimal => {
  const [mantissa = "0", exponent = "0"] = String(value).toLowerCase().split("e")
  const negative = mantissa.startsWith("-")
  const [whole = "0", fraction = ""] = mantissa.replace("-", "").split(".")
  let digits = BigInt(`${whole}${fraction}` || "0")
  let scale = fraction.length - Number(exponent)
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale)
    scale = 0
  }
  return { digits: negative ? -digits : digits, scale }
}

const rescale = (d: Decimal, scale: number): bigint => d.digits * 10n ** BigInt(scale - d.scale)

export const multiply = (a: Decimal, b: Decimal): Decimal => ({ digits: a.digits * b.digits, scale: a.scale + b.scale })

export const equals = (a: Decimal, b: Decimal): boolean => {
  const scale = Math.max(a.scale, b.scale)
  return rescale(a, scale) === rescale(b, scale)
}

/** Whole cents, or undefined when the number has a non-zero third decimal. */
export const exactCents = (value: number): number | undefined => {
  const d = decimalOf(value)
  if (d.scale <= 2) return Number(rescale(d, 2))
  const unit = 10n ** BigInt(d.scale - 2)
  return d.digits % unit === 0n ? Number(d.digits / unit) : undefined
}

/** Cents as the JSON number QuickBooks answers with (12345 -> 123.45). */
export const amountOf = (cents: number): number => Number((cents / 100).toFixed(2))

/** `value` rounded half away from zero to cents (QuickBooks rounds a percent discount so). */
export const roundCents = (value: Decimal): number => {
  if (value.scale <= 2) return Number(rescale(value, 2))
  const unit = 10n ** BigInt(value.scale - 2)
  const sign = value.digits < 0n ? -1n : 1n
  const magnitude = value.digits * sign
  return Number(sign * ((magnitude + unit / 2n) / unit))
}
