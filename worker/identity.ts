import { hostname } from "node:os";

const identity = {
  id: `${process.env.DYNO ?? hostname()}:${process.pid}`,
  hostname: hostname(),
  pid: process.pid,
  startedAt: new Date(),
};

/** Who this worker process is: Heroku's DYNO name when there is one, else host and pid. */
export function currentWorker() {
  return identity;
}
