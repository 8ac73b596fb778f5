# frozen_string_literal: true

require_relative "test_helper"
require "json"
require "securerandom"
require "redis"

# Resque is not packaged by Debian: its Redis layout (as Resque's own code writes it, see the
# agent's README) is built here with the real redis gem against the real Redis, and read back.
class ResqueTest < Minitest::Test
  def setup
    Redis.silence_deprecations = true if Redis.respond_to?(:silence_deprecations=)
    @redis = Redis.new(url: REDIS_URL)
    @ns = "resque-test-#{SecureRandom.hex(4)}"
  end

  def teardown
    keys = @redis.keys("#{@ns}:*")
    @redis.del(*keys) unless keys.empty?
  end

  def test_layout
    @redis.sadd("#{@ns}:queues", %w[mail video])
    3.times { |i| @redis.rpush("#{@ns}:queue:mail", JSON.generate(class: "Mailer", args: [i])) }
    worker = "host:#{Process.pid}:mail,video"
    @redis.sadd("#{@ns}:workers", [worker, "other:1:video"])
    @redis.set("#{@ns}:worker:#{worker}", JSON.generate(queue: "mail", run_at: Time.now.utc.to_s, payload: { class: "Mailer", args: [9] }))
    source = Ebbflow::Sources::Resque.new(redis: @redis, namespace: @ns, worker_pid: Process.pid)
    assert_equal [{ name: "mail", depth: 3, latency_ms: nil, busy: 1 }, { name: "video", depth: 0, latency_ms: nil, busy: 0 }], source.collect
    assert_equal 1, source.busy
  end
end
