import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * CPU time and memory of another process, read from Linux's /proc: process.cpuUsage() and
 * process.memoryUsage() only describe the process that calls them, and a benchmark must not
 * measure itself. /proc/<pid>/stat fields 14 and 15 are utime and stime in clock ticks;
 * /proc/<pid>/status has VmRSS (now) and VmHWM (the peak resident set since the start).
 */

let ticksPerSecond: number | undefined;

function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    ticksPerSecond = Number.isFinite(answer) && answer > 0 ? answer : 100;
  }
  return ticksPerSecond;
}

/** User plus system CPU seconds the process has used since it started. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) is in parentheses and may hold spaces: split after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
  const utimeTicks = Number(fields[11]);
  const stimeTicks = Number(fields[12]);
  return (utimeTicks + stimeTicks) / clockTicksPerSecond();
}

export interface MemoryMb {
  rssMb: number;
  peakRssMb: number;
}

/** Resident memory now and its peak since the process started, in MiB. */
export function memoryOf(pid: number): MemoryMb {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) : Number.NaN;
  };
  return { rssMb: kib("VmRSS") / 1024, peakRssMb: kib("VmHWM") / 1024 };
}

/** The 1, 5 and 15 minute load averages of the machine. */
export function loadAverage(): [number, number, number] {
  const [one = "NaN", five = "NaN", fifteen = "NaN"] = readFileSync("/proc/loadavg", "utf8").split(" ");
  return [Number(one), Number(five), Number(fifteen)];
}
