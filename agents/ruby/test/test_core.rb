# frozen_string_literal: true

require_relative "test_helper"

class CoreTest < Minitest::Test
  def test_request_start_forms
    assert_equal 1_700_000_000_123, Ebbflow::RequestStart.parse("1700000000123")
    assert_in_delta 1_700_000_000_123, Ebbflow::RequestStart.parse("t=1700000000.123"), 1
    assert_in_delta 1_700_000_000_123.456, Ebbflow::RequestStart.parse("1700000000123456"), 0.01
    assert_nil Ebbflow::RequestStart.parse("nope")
    assert_nil Ebbflow::RequestStart.parse(nil)
    assert_equal 250, Ebbflow::RequestStart.queue_time_ms("1000000000000", 1_000_000_000_250)
    assert_equal 150, Ebbflow::RequestStart.queue_time_ms("1000000000000", 1_000_000_000_250, 100)
    assert_equal 0, Ebbflow::RequestStart.queue_time_ms("1000000009000", 1_000_000_000_000)
  end

  def test_config
    config = Ebbflow::Config.read({ "EBBFLOW_URL" => "https://agent:s3cr%2Bt-token-abcdef@ebbflow.example/", "DYNO" => "worker.3" })
    assert_equal "https://ebbflow.example/api/v1/reports", config[:endpoint].to_s
    assert_equal "s3cr+t-token-abcdef", config[:token]
    assert_equal "worker", config[:process_type]
    assert_nil Ebbflow::Config.read({})
    assert_nil Ebbflow::Config.read({ "EBBFLOW_URL" => "" })
  end

  def test_disabled_without_url
    agent = Ebbflow.create_agent({})
    refute agent.enabled?
    agent.use(FakeSource.new)
    agent.record_request("1700000000000")
    assert_nil agent.thread
    assert_empty agent.sources
    app = Ebbflow::Middleware.new(->(_env) { [200, {}, ["ok"]] }, agent)
    assert_equal 200, app.call({ "HTTP_X_REQUEST_START" => "1" })[0]
  end

  def test_web_stats
    stats = Ebbflow::WebStats.new(100)
    1000.times { |i| stats.record(i % 100) }
    summary = stats.take(stats.started_at + 10)
    assert_equal 1000, summary[:requests]
    assert_equal 10, summary[:window_seconds]
    q = summary[:queue_time_ms]
    assert q[:p99] >= q[:p95] && q[:p95] >= q[:p50]
    refute stats.take.key?(:queue_time_ms)
  end

  def test_one_report_per_process_type
    fake = FakeEbbflow.new
    agent = Ebbflow.create_agent({ "EBBFLOW_URL" => fake.url, "DYNO" => "web.2" }, interval: 0.1)
    agent.use(FakeSource.new(queues: [{ name: "default", depth: 4, latency_ms: 10, busy: 1 }], process_type: "worker"))
    agent.record_request(((Time.now.to_f * 1000) - 30).floor.to_s)
    wait_for { fake.reports.size >= 2 }
    agent.stop
    by_type = fake.reports.first(2).to_h { |r| [r["process_type"], r] }
    assert_equal({ "protocol" => 2, "process_type" => "worker", "queues" => [{ "name" => "default", "depth" => 4, "latency_ms" => 10, "busy" => 1 }],
                   "dynos" => [{ "name" => "web.2", "quiet" => false, "busy" => 0 }] }, by_type["worker"])
    assert_equal 1, by_type["web"]["web"]["requests"]
    assert_operator by_type["web"]["web"]["queue_time_ms"]["p50"], :>=, 30
    assert_equal [], by_type["web"]["queues"]
  ensure
    fake.stop
  end

  def test_buffer_backoff_and_resume
    fake = FakeEbbflow.new
    fake.stop
    agent = Ebbflow::Agent.new(Ebbflow::Config.read({ "EBBFLOW_URL" => fake.url, "DYNO" => "worker.1" }, interval: 0.02, max_buffered: 5), logger: SILENT)
    source = FakeSource.new(queues: [{ name: "q", depth: nil, latency_ms: nil, busy: 0 }])
    agent.use(source)
    wait_for { source.calls >= 12 }
    assert_operator agent.buffer.size, :<=, 5
    assert_operator agent.dropped, :>=, 6
    assert_operator agent.failures, :<, source.calls, "backed off instead of retrying every window"
    fake.start
    wait_for(30) { fake.reports.size >= 3 }
    agent.stop
    depths = fake.reports.map { |r| r["queues"][0]["depth"] }
    assert_operator depths[0], :>, 6, "the oldest reports were dropped first"
    assert_equal depths.sort, depths, "sent oldest first"
    assert_equal 0, agent.failures
  ensure
    fake.stop
  end

  def test_quiet_only_own_dyno
    fake = FakeEbbflow.new
    fake.quiet = ["worker.9"]
    agent = Ebbflow.create_agent({ "EBBFLOW_URL" => fake.url, "DYNO" => "worker.1" }, interval: 0.05)
    source = FakeSource.new(busy: 3)
    agent.use(source)
    wait_for { fake.reports.size >= 2 }
    assert_equal 0, source.quieted
    fake.quiet = ["worker.1"]
    wait_for { fake.reports_snapshot.any? { |r| r["dynos"][0]["quiet"] } }
    agent.stop
    assert_equal 1, source.quieted
    assert_equal [{ "name" => "worker.1", "quiet" => true, "busy" => 3 }], fake.reports.last["dynos"]
  ensure
    fake.stop
  end

  def test_failing_source_and_4xx
    fake = FakeEbbflow.new
    fake.status = 422
    agent = Ebbflow.create_agent({ "EBBFLOW_URL" => fake.url, "DYNO" => "worker.1" }, interval: 0.03, logger: SILENT)
    agent.use(FakeSource.new(fail: true))
    agent.use(FakeSource.new(queues: [{ name: "q", depth: 1, latency_ms: nil, busy: 0 }]))
    sleep 0.3
    agent.stop
    assert_empty agent.buffer
    assert_equal 0, agent.failures
  ensure
    fake.stop
  end
end
