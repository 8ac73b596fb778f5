/**
 * How to connect each job library, shown on the sources page: what to paste for a probe, and a
 * small agent for push mode that posts `{process_type, queues: [{name, depth, latency_ms, busy}]}`
 * to EBBFLOW_URL every 5 s. The agent runs in an always-on process (web.1), because the
 * workers it reports on may be scaled to zero.
 */
export interface SetupSnippet {
  library: "Sidekiq" | "BullMQ" | "Celery" | "RQ";
  backend: "sidekiq" | "bullmq" | "celery" | "rq";
  probe: string;
  agentFile: string;
  agent: string;
}

export function setupSnippets(processType: string): SetupSnippet[] {
  return [
    {
      library: "Sidekiq",
      backend: "sidekiq",
      probe: "Probe: backend sidekiq, URL = your Sidekiq Redis URL (heroku config:get REDIS_URL), namespace only if you use redis-namespace.",
      agentFile: "config/initializers/ebbflow.rb",
      agent: `require "json"
require "net/http"
require "sidekiq/api"

# Reports Sidekiq's queues to Ebbflow every 5 s from web.1 (workers may be scaled to zero).
if ENV["EBBFLOW_URL"] && ENV["DYNO"] == "web.1"
  Thread.new do
    uri = URI(ENV.fetch("EBBFLOW_URL"))
    loop do
      queues = Sidekiq::Queue.all.map { |q| { name: q.name, depth: q.size, latency_ms: (q.latency * 1000).round } }
      request = Net::HTTP::Post.new(uri, "Content-Type" => "application/json")
      request.basic_auth(uri.user, uri.password)
      request.body = JSON.generate(process_type: "${processType}", queues: queues)
      Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == "https") { |http| http.request(request) }
    rescue StandardError => e
      warn "ebbflow report failed: #{e.message}"
    ensure
      sleep 5
    end
  end
end`,
    },
    {
      library: "BullMQ",
      backend: "bullmq",
      probe: "Probe: backend bullmq, URL = the Redis URL your queues use; prefix only if you changed BullMQ's default (bull).",
      agentFile: "ebbflow-agent.mjs (import it from your web process)",
      agent: `import { Queue } from "bullmq";

// Reports BullMQ queues to Ebbflow every 5 s from the web process.
const endpoint = new URL(process.env.EBBFLOW_URL);
const token = decodeURIComponent(endpoint.password);
endpoint.username = "";
endpoint.password = "";
const queues = ["default"].map((name) => new Queue(name, { connection: { url: process.env.REDIS_URL } }));

setInterval(async () => {
  try {
    const report = await Promise.all(queues.map(async (queue) => {
      const counts = await queue.getJobCounts("wait", "active");
      const [oldest] = await queue.getJobs(["wait"], 0, 0, true);
      return { name: queue.name, depth: counts.wait, busy: counts.active, latency_ms: oldest ? Date.now() - oldest.timestamp : null };
    }));
    await fetch(endpoint, {
      method: "POST",
      headers: { authorization: \`Bearer \${token}\`, "content-type": "application/json" },
      body: JSON.stringify({ process_type: "${processType}", queues: report }),
    });
  } catch (error) {
    console.warn("ebbflow report failed", error);
  }
}, 5000);`,
    },
    {
      library: "Celery",
      backend: "celery",
      probe: "Probe: backend celery, URL = your Redis broker URL (CELERY_BROKER_URL); prefix only if you set global_keyprefix.",
      agentFile: "ebbflow_agent.py (run it in a thread of your web process)",
      agent: `import json, os, time, urllib.parse, urllib.request
import redis

# Reports Celery's Redis queues to Ebbflow every 5 s. Celery messages carry no enqueue
# time, so this reports depth only; use a probe for latency.
url = urllib.parse.urlsplit(os.environ["EBBFLOW_URL"])
token = urllib.parse.unquote(url.password or "")
endpoint = urllib.parse.urlunsplit((url.scheme, url.hostname + (f":{url.port}" if url.port else ""), url.path, "", ""))
broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
QUEUES = ["celery"]

def report_forever():
    while True:
        try:
            body = {"process_type": "${processType}", "queues": [{"name": q, "depth": broker.llen(q)} for q in QUEUES]}
            request = urllib.request.Request(endpoint, data=json.dumps(body).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=5).read()
        except Exception as error:
            print("ebbflow report failed:", error)
        time.sleep(5)`,
    },
    {
      library: "RQ",
      backend: "rq",
      probe: "Probe: backend rq, URL = the Redis URL your RQ workers use.",
      agentFile: "ebbflow_agent.py (run it in a thread of your web process)",
      agent: `import json, os, time, urllib.parse, urllib.request
from datetime import datetime, timezone
from redis import Redis
from rq import Queue

# Reports RQ queues to Ebbflow every 5 s.
url = urllib.parse.urlsplit(os.environ["EBBFLOW_URL"])
token = urllib.parse.unquote(url.password or "")
endpoint = urllib.parse.urlunsplit((url.scheme, url.hostname + (f":{url.port}" if url.port else ""), url.path, "", ""))
queues = [Queue(name, connection=Redis.from_url(os.environ["REDIS_URL"])) for name in ["default"]]

def latency_ms(queue):
    ids = queue.get_job_ids(0, 1)
    job = queue.fetch_job(ids[0]) if ids else None
    if not job or not job.enqueued_at:
        return None
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    return max(0, int((now - job.enqueued_at.replace(tzinfo=None)).total_seconds() * 1000))

def report_forever():
    while True:
        try:
            body = {"process_type": "${processType}", "queues": [{"name": q.name, "depth": q.count, "latency_ms": latency_ms(q)} for q in queues]}
            request = urllib.request.Request(endpoint, data=json.dumps(body).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=5).read()
        except Exception as error:
            print("ebbflow report failed:", error)
        time.sleep(5)`,
    },
  ];
}
