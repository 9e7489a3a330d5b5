import { execFileSync } from "node:child_process"
import { readdir, readFile } from "node:fs/promises"

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat's CPU times (100 on Linux almost always). */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100
  } catch {
    return 100
  }
})()

interface ProcStat {
  readonly ppid: number
  /** utime + stime, ms. */
  readonly ownMs: number
  /** cutime + cstime: children that exited and were waited for, ms. */
  readonly reapedChildrenMs: number
}

const procStat = async (pid: number): Promise<ProcStat | undefined> => {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined)
  if (text === undefined) return undefined
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ")
  const ms = (i: number) => (Number(fields[i]) * 1000) / ticksPerSecond
  return { ppid: Number(fields[1]), ownMs: ms(11) + ms(12), reapedChildrenMs: ms(13) + ms(14) }
}

/** CPU time (user + system) a process has used so far, ms; null when it cannot be read. */
export const processCpuMs = async (pid: number | undefined): Promise<number | null> =>
  pid === undefined ? null : ((await procStat(pid))?.ownMs ?? null)

/**
 * CPU time used so far by a PostgreSQL server: the postmaster, its live
 * backends and the backends that already exited; null when it cannot be read.
 */
export const postgresCpuMs = async (postmasterPid: number | undefined): Promise<number | null> => {
  if (postmasterPid === undefined) return null
  const postmaster = await procStat(postmasterPid)
  if (postmaster === undefined) return null
  const pids = (await readdir("/proc").catch(() => [])).filter((name) => /^\d+$/u.test(name)).map(Number)
  const children = await Promise.all(pids.map(async (pid) => {
    const stat = await procStat(pid)
    return stat?.ppid === postmasterPid ? stat.ownMs : 0
  }))
  return postmaster.ownMs + postmaster.reapedChildrenMs + children.reduce((a, b) => a + b, 0)
}

/** The postmaster's pid from its data folder's postmaster.pid (first line). */
export const postmasterPid = async (clusterDir: string): Promise<number | undefined> => {
  const text = await readFile(`${clusterDir}/postmaster.pid`, "utf8").catch(() => undefined)
  const pid = Number(text?.split("\n")[0])
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}
