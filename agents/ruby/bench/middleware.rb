# frozen_string_literal: true

# What the agent costs the host app: the Rack middleware's added latency per request (p50/p99
# over timed calls) and the reporter's CPU per minute at the real 10 s interval (CPU per report
# cycle x 6), against a local stand-in Ebbflow and a real Sidekiq queue in Redis. Prints a table
# and writes JSON (default bench/results.json).
$LOAD_PATH.unshift File.expand_path("../lib", __dir__)
$LOAD_PATH.unshift File.expand_path("../test", __dir__)
require "json"
require "logger"
require "securerandom"
require "sidekiq"
require "sidekiq/api"
require "ebbflow"
require "ebbflow/sources"
require "fake_ebbflow"

Redis.silence_deprecations = true if Redis.respond_to?(:silence_deprecations=)
out = ARGV.include?("--out") ? ARGV[ARGV.index("--out") + 1] : File.join(__dir__, "results.json")
fake = FakeEbbflow.new
agent = Ebbflow.create_agent({ "EBBFLOW_URL" => fake.url, "DYNO" => "web.1" }, interval: 3600, logger: Logger.new(File::NULL))
app = ->(_env) { nil }
middleware = Ebbflow::Middleware.new(app, agent)
requests = 100_000
durations = Array.new(requests)
requests.times do |i|
  env = { "HTTP_X_REQUEST_START" => ((Time.now.to_f * 1000) - 5).floor.to_s }
  started = Process.clock_gettime(Process::CLOCK_MONOTONIC, :float_millisecond)
  middleware.call(env)
  durations[i] = Process.clock_gettime(Process::CLOCK_MONOTONIC, :float_millisecond) - started
end
sorted = durations.drop(1000).sort
pct = ->(p) { sorted[[(p / 100.0 * sorted.size).ceil - 1, sorted.size - 1].min] }

Sidekiq.configure_client { |config| config.redis = { url: ENV.fetch("REDIS_URL", "redis://127.0.0.1:6379/5") } }
queue = "ebbflow-bench-#{SecureRandom.hex(4)}"
100.times { Sidekiq::Client.push("class" => "BenchJob", "queue" => queue, "args" => []) }
agent.use(Ebbflow::Sources::Sidekiq.new(queues: [queue]))
cycles = 30
cpu_before = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :float_millisecond)
cycles.times do
  1000.times { agent.record_request(((Time.now.to_f * 1000) - 5).floor.to_s) }
  agent.tick
end
cpu_per_cycle = (Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :float_millisecond) - cpu_before) / cycles
agent.stop
Sidekiq::Queue.new(queue).clear
fake.stop

result = {
  agent: "ruby", ruby: RUBY_VERSION, requests: requests,
  middlewareAddedMs: { p50: pct.call(50), p99: pct.call(99), max: sorted.last },
  targetP99Ms: 0.5, reporterCpuMsPerMinute: cpu_per_cycle * 6, reporterCpuMsPerCycle: cpu_per_cycle,
  reportsSent: fake.reports.size, loadAverage: File.read("/proc/loadavg").split.first(3).map(&:to_f)
}
printf("%-24s %.5f\n", "middleware p50 (ms)", result[:middlewareAddedMs][:p50])
printf("%-24s %.5f\n", "middleware p99 (ms)", result[:middlewareAddedMs][:p99])
printf("%-24s %.1f\n", "reporter CPU ms/min", result[:reporterCpuMsPerMinute])
printf("%-24s %.2f\n", "load avg 1m", result[:loadAverage][0])
File.write(out, "#{JSON.pretty_generate(result)}\n")
exit(result[:middlewareAddedMs][:p99] < 0.5 ? 0 : 1)
