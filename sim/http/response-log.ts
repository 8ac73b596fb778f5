import type { ApiResponseEvent } from "./types";

export interface LoggedResponse extends ApiResponseEvent {
  seq: number;
}

/**
 * The last Platform API responses the sim sent, numbered, so a test in another process can
 * fetch them (`GET /__sim/api-responses`) and check each against Heroku's schema.
 */
export class ResponseLog {
  private readonly entries: LoggedResponse[] = [];
  private seq = 0;

  constructor(private readonly capacity = 2000) {}

  record(event: ApiResponseEvent): void {
    this.seq += 1;
    this.entries.push({ ...event, seq: this.seq });
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  /** Responses numbered above `afterSeq`, oldest first, and the newest number. */
  since(afterSeq: number): { lastSeq: number; responses: LoggedResponse[] } {
    return { lastSeq: this.seq, responses: this.entries.filter((entry) => entry.seq > afterSeq) };
  }
}
