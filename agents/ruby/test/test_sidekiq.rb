# frozen_string_literal: true

require_relative "test_helper"
require "securerandom"
require "tmpdir"
require "sidekiq"
require "sidekiq/api"
require_relative "sidekiq_app"

# Sidekiq (Debian's ruby-sidekiq) against the real Redis: the source's numbers, and a real
# Sidekiq server process quieting itself on Ebbflow's instruction.
class SidekiqTest < Minitest::Test
  def setup
    Sidekiq.configure_client { |config| config.redis = { url: REDIS_URL } }
    @queue = "ebbflow-test-#{SecureRandom.hex(4)}"
    @dir = Dir.mktmpdir
  end

  def teardown
    Sidekiq::Queue.new(@queue).clear
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
end
