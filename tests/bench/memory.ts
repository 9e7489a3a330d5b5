import { readFile, writeFile } from "node:fs/promises"

/** A figure of a process's memory (Linux), in MiB: VmHWM is the peak so far, VmRSS the current. */
const memoryMb = (field: "VmHWM" | "VmRSS") => async (pid: number | undefined) => {
  if (pid === undefined) return null
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "")
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`, "u").exec(status)?.[1]
  return kb === undefined ? null : Number(kb) / 1024
}
export const peakRssMb = memoryMb("VmHWM")
export const currentRssMb = memoryMb("VmRSS")

/**
 * Watches a process's resident memory while `work` runs and returns the
 * peak: the kernel's own high-water mark, reset just before (writing 5 to
 * /proc/<pid>/clear_refs), so earlier peaks do not count; where that reset
 * is refused, the highest of samples taken every 20 ms.
 */
export const peakRssDuring = async <A>(pid: number | undefined, work: () => Promise<A>) => {
  const reset = pid !== undefined && await writeFile(`/proc/${pid}/clear_refs`, "5").then(() => true, () => false)
  let sampled = 0
  const sample = async () => {
    sampled = Math.max(sampled, (await currentRssMb(pid)) ?? 0)
  }
  const timer = setInterval(() => void sample(), 20)
  try {
    const result = await work()
    await sample()
    const peak = reset ? await peakRssMb(pid) : sampled
    return { result, peakRssMb: peak === 0 ? null : peak, settledRssMb: await currentRssMb(pid) }
  } finally {
    clearInterval(timer)
  }
}
