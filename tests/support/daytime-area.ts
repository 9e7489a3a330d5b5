// Campaign tests and benchmarks that send now need recipients for whom it is
// daytime, and a window whose end is near (spreading divides what is left of
// the window by the day's allowance).

/** Area codes and their zone (libphonenumber's map), to find one where it is neither late evening nor past midnight. */
export const AREAS = [
  { area: "212", zone: "America/New_York" },
  { area: "312", zone: "America/Chicago" },
  { area: "303", zone: "America/Denver" },
  { area: "415", zone: "America/Los_Angeles" },
  { area: "808", zone: "Pacific/Honolulu" }
] as const

const localMinutes = (zone: string, at: Date) => {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .formatToParts(at)
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return part("hour") * 60 + part("minute")
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`

/**
 * Where the test's recipients live and the window they get: open from
 * midnight until `openMinutes` from now. Spreading divides what is left of
 * the window by the day's remaining allowance (10,000): a window closing
 * soon keeps the gaps between texts short, as a campaign late in the day.
 * The business counts its days in the same zone, so no day ends mid-run.
 */
export const daytimeArea = (openMinutes: number) => {
  const now = new Date()
  const found = AREAS.find(({ zone }) => {
    const minutes = localMinutes(zone, now)
    return minutes >= 60 && minutes + openMinutes + 5 < 24 * 60
  })
  if (found === undefined) throw new Error("no listed zone has daytime now")
  return { ...found, quietHours: { start: "00:00", end: hhmm(localMinutes(found.zone, now) + openMinutes) } }
}

