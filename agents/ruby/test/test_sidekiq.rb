# frozen_string_literal: true

require_relative "test_helper"
require "securerandom"
require "tmpdir"
require "sidekiq"
require "sidekiq/api"
require_relative "sidekiq_app"

# Sidekiq (Debian's ruby-sidekiq) against the real Redis: the source's numbers, a real Sidekiq
# server process quieting itself on Ebbflow's instruction, and the Wake client middleware.
class SidekiqTest < Minitest::Test
  def setup
    Sidekiq.configure_client { |config| config.redis = { url: REDIS_URL } }
    @queue = "ebbflow-test-#{SecureRandom.hex(4)}"
    @dir = Dir.mktmpdir
  end

  def teardown
    Sidekiq.client_middleware { |chain| chain.remove(Ebbflow::Sources::Sidekiq::Wake) }
    Sidekiq::Queue.new(@queue).clear
    Sidekiq::Queue.new("#{@queue}-next").clear
    Sidekiq::ScheduledSet.new.each { |job| job.delete if job.queue == @queue }
  end

  def test_depth_latency_busy
    Sidekiq::Client.push("class" => MarkJob, "queue" => @queue, "args" => [File.join(@dir, "a")])
    sleep 0.3
    Sidekiq::Client.push("class" => MarkJob, "queue" => @queue, "args" => [File.join(@dir, "b")])
    reading = Ebbflow::Sources::Sidekiq.new(queues: [@queue]).collect.first
    assert_equal @queue, reading[:name]
    assert_equal 2, reading[:depth]
    assert_operator reading[:latency_ms], :>=, 300
    assert_equal 0, reading[:busy]
  end

  def test_server_quiet
    fake = FakeEbbflow.new
    gate = File.join(@dir, "gate")
    Sidekiq::Client.push("class" => GateJob, "queue" => @queue, "args" => [gate, File.join(@dir, "first")])
    Sidekiq::Client.push("class" => MarkJob, "queue" => @queue, "args" => [File.join(@dir, "second")])
    env = { "EBBFLOW_URL" => fake.url, "DYNO" => "worker.6", "REDIS_URL" => REDIS_URL }
    pid = Process.spawn(env, "sidekiq", "-r", File.join(__dir__, "sidekiq_app.rb"), "-q", @queue, "-c", "1", out: File::NULL, err: File::NULL)
    begin
      wait_for(40) { fake.reports_snapshot.any? { |r| r["queues"].any? { |q| q["name"] == @queue && q["busy"] == 1 } && r["dynos"][0]["busy"] == 1 } }
      fake.quiet = ["worker.6"]
      wait_for { fake.reports_snapshot.any? { |r| r["dynos"][0]["quiet"] } }
      # Process#quiet! reaches the server on its next heartbeat (every 5 s in Sidekiq 6).
      wait_for(30) { Sidekiq::ProcessSet.new(false).any? { |p| p["pid"].to_i == pid && p.stopping? } }
      File.write(gate, "")
      wait_for { File.exist?(File.join(@dir, "first")) }
      wait_for(30) { fake.reports_snapshot.last["dynos"][0]["busy"].zero? }
      sleep 1.5
      refute File.exist?(File.join(@dir, "second")), "a quiet Sidekiq takes no new job"
      last = fake.reports_snapshot.last
      assert_equal [{ "name" => "worker.6", "quiet" => true, "busy" => 0 }], last["dynos"]
      assert_equal 1, last["queues"].find { |q| q["name"] == @queue }["depth"]
    ensure
      Process.kill("TERM", pid)
      Process.wait(pid)
      fake.stop
    end
  end

  def test_client_push_wakes
    fake = FakeEbbflow.new
    fake.scaled_to_zero = true
    agent = Ebbflow.create_agent({ "EBBFLOW_URL" => fake.url, "DYNO" => "web.1" }, interval: 30, logger: SILENT)
    agent.use(Ebbflow::Sources::Sidekiq.new(process_type: "worker", queues: [@queue]))
    agent.tick
    Sidekiq.configure_client { |config| config.client_middleware { |chain| chain.add Ebbflow::Sources::Sidekiq::Wake, agent } }
    Sidekiq::Client.push("class" => MarkJob, "queue" => @queue, "args" => [File.join(@dir, "later")], "at" => Time.now.to_f + 60)
    sleep 1
    assert_equal 1, fake.reports_snapshot.size, "a scheduled job does not wake"
    pushed = Time.now
    Sidekiq::Client.push("class" => MarkJob, "queue" => @queue, "args" => [File.join(@dir, "now")])
    wait_for(2) { fake.reports_snapshot.size == 2 }
    assert_operator Time.now - pushed, :<, 2
    early = fake.reports_snapshot.last
    assert_equal "worker", early["process_type"]
    assert_equal 1, early["queues"].find { |q| q["name"] == @queue }["depth"], "the early report sees the pushed job"
  ensure
    agent&.stop
    fake&.stop
  end

  def test_wake_middleware_never_raises
    failing = Object.new
    def failing.wake
      raise "boom"
    end
    assert_equal :pushed, Ebbflow::Sources::Sidekiq::Wake.new(failing).call(MarkJob, {}, @queue, nil) { :pushed }
    assert_nil Ebbflow::Sources::Sidekiq::Wake.new(failing).call(MarkJob, {}, @queue, nil) { nil }
  end

  def test_server_install_wakes_on_jobs_enqueued_by_jobs
    fake = FakeEbbflow.new
    fake.scaled_to_zero = true
    env = { "EBBFLOW_URL" => fake.url, "DYNO" => "worker.7", "REDIS_URL" => REDIS_URL, "TEST_INTERVAL" => "30", "TEST_TICK_AT_STARTUP" => "1" }
    pid = Process.spawn(env, "sidekiq", "-r", File.join(__dir__, "sidekiq_app.rb"), "-q", @queue, "-c", "1", out: File::NULL, err: File::NULL)
    begin
      wait_for(40) { fake.reports_snapshot.size == 1 }
      pushed = Time.now
      Sidekiq::Client.push("class" => ChainJob, "queue" => @queue, "args" => ["#{@queue}-next", File.join(@dir, "next")])
      wait_for(10) { fake.reports_snapshot.size == 2 }
      assert_operator Time.now - pushed, :<, 10, "well before the 30 s interval"
      early = fake.reports_snapshot.last
      assert_equal 1, early["queues"].find { |q| q["name"] == "#{@queue}-next" }["depth"]
    ensure
      Process.kill("TERM", pid)
      Process.wait(pid)
      fake.stop
    end
  end
end
