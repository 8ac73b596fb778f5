import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { POST as provision } from "@/app/heroku/resources/route";
import { disconnectDb } from "@/lib/db/client";
import { closeQueue } from "@/lib/jobs/enqueue";
import { disconnectWebRedis } from "@/lib/redis/connection";
import { herokuAuth, provisionBody } from "../helpers/partner-requests";

/** Findings 8 and 9: JSON routes take only JSON, and refusals carry their issues one by one. */
afterAll(async () => {
  await closeQueue();
  await disconnectWebRedis();
  await disconnectDb();
});

const noParams = { params: Promise.resolve({}) };

function post(body: string, contentType: string | null): Promise<Response> {
  const headers = new Headers({ authorization: herokuAuth() });
  if (contentType) headers.set("content-type", contentType);
  return provision(new NextRequest("http://127.0.0.1:3000/heroku/resources", { method: "POST", headers, body }), noParams);
}

describe("JSON routes", () => {
  it.each([["text/plain"], ["application/x-www-form-urlencoded"], ["multipart/form-data; boundary=x"], [null]])(
    "refuse a valid JSON body sent as %s with 415 and change nothing",
    async (contentType) => {
      const body = provisionBody();
      const response = await post(JSON.stringify(body), contentType);
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    },
  );

  it("answer a bad field with a structured issue (path, message), keeping Heroku's top-level message", async () => {
    const { uuid: _uuid, ...withoutUuid } = provisionBody();
    const response = await post(JSON.stringify({ ...withoutUuid, plan: 42 }), "application/json; charset=utf-8");
    expect(response.status).toBe(422);
    const answer = (await response.json()) as { error: { code: string; message: string; issues: { path: string; message: string }[] }; message: string };
    expect(answer.error.code).toBe("invalid_params");
    expect(answer.error.issues.map((issue) => issue.path).sort()).toEqual(["plan", "uuid"]);
    for (const issue of answer.error.issues) expect(issue.message.length).toBeGreaterThan(0);
    expect(answer.message).toBe(answer.error.message);
  });
});
